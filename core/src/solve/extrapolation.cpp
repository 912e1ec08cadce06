// Bulirsch-Stoer extrapolation through Boost.Odeint's controlled stepper; cubic Hermite dense output.
#include <algorithm>
#include <boost/numeric/odeint/stepper/bulirsch_stoer.hpp>
#include <limits>

#include "solve/dense.h"
#include "solve/registry.h"
#include "solve/stepper.h"

namespace numen::detail {
namespace {

namespace odeint = boost::numeric::odeint;
using State = std::vector<double>;

class BulirschStoer final : public Stepper {
 public:
  explicit BulirschStoer(Integration& ig)
      : Stepper(ig),
        // Boost's error check is per component with one absolute tolerance: use the strictest of ours.
        stepper_(*std::min_element(ig.atol.begin(), ig.atol.end()), ig.rtol), f0_(static_cast<std::size_t>(ig.n)),
        f1_(static_cast<std::size_t>(ig.n)), x_old_(static_cast<std::size_t>(ig.n)) {}

  std::string name() const override { return "BulirschStoer"; }
  int dense_degree() const override { return 3; }

  void reset(double t, const double* x) override {
    t_ = t_prev_ = t;
    std::copy(x, x + n_, x_.begin());
    ig_.f(t, x, f1_.data());
    if (h_ <= 0) h_ = ig_.options.dt0 > 0 ? ig_.options.dt0 : initial_step(t, x, f1_.data(), 8);
    stepper_.reset();
  }

  bool step(double t_limit) override {
    auto system = [this](const State& x, State& dxdt, double t) { ig_.f(t, x.data(), dxdt.data()); };
    x_old_ = x_;
    f0_ = f1_;
    for (;;) {
      double dt = clip(h_, t_limit);
      const bool lands = dt == t_limit - t_;
      if (dt <= 16 * std::numeric_limits<double>::epsilon() * std::max(1.0, std::fabs(t_)))
        return ig_.fail_step_size(t_, dt, name());
      double t = t_;
      const odeint::controlled_step_result result = stepper_.try_step(system, x_, t, dt);
      if (result == odeint::success) {
        bool finite = true;
        for (double v : x_) finite = finite && std::isfinite(v);
        if (!finite) {
          x_ = x_old_;
          return ig_.fail(SolveStatus::NonFinite, ig_.describe_non_finite(t_, x_old_.data()));
        }
        t_prev_ = t_;
        t_ = lands ? t_limit : t;
        h_ = lands ? std::max(dt, h_) : dt;  // Boost returns its proposal for the next step in dt
        ig_.f(t_, x_.data(), f1_.data());
        return true;
      }
      ++ig_.stats.rejected_steps;
      h_ = dt;  // Boost shrank it
    }
  }

  void dense_coefficients(double* c) override {
    hermite_coefficients(n_, t_ - t_prev_, x_old_.data(), f0_.data(), x_.data(), f1_.data(), ig_.mask, c);
  }

 private:
  odeint::bulirsch_stoer<State> stepper_;
  State f0_, f1_, x_old_;
  double h_ = 0.0;
};

}  // namespace

std::unique_ptr<Stepper> make_bulirsch_stoer(const MethodRow&, Integration& ig) {
  return std::make_unique<BulirschStoer>(ig);
}

}  // namespace numen::detail
