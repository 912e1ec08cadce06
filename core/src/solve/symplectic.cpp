// Symplectic compositions for separable second-order systems q' = v, v' = a(q, t) (fixed step): energy errors stay
// bounded over very long runs instead of drifting. The (position, velocity) pairs come from the problem.
#include <algorithm>

#include "solve/dense.h"
#include "solve/registry.h"
#include "solve/stepper.h"
#include "solve/tableaus.h"

namespace numen::detail {
namespace {

class Symplectic final : public Stepper {
 public:
  Symplectic(const SymplecticTableau& tab, Integration& ig)
      : Stepper(ig), tab_(tab), pairs_(ig.problem.second_order_pairs()) {
    const std::size_t n = static_cast<std::size_t>(n_);
    for (auto* v : {&x_old_, &f_, &f0_, &f1_, &compensation_}) v->resize(n);
  }

  std::string name() const override { return tab_.name; }
  int dense_degree() const override { return 3; }

  void reset(double t, const double* x) override {
    t_ = t_prev_ = t;
    std::copy(x, x + n_, x_.begin());
    std::fill(compensation_.begin(), compensation_.end(), 0.0);
    ig_.f(t, x, f1_.data());
    grid_.reset(t, ig_.options.dt);
  }

  bool step(double t_limit) override {
    const FixedStepGrid::Step next = grid_.next(t_, t_limit);
    const double h = next.h;
    std::copy(x_.begin(), x_.end(), x_old_.begin());
    f0_ = f1_;  // f at the step's start, from the last step's end
    double t = t_;
    bool fresh = true;  // f_ holds f(t, x) at the current positions
    f_ = f0_;
    for (std::size_t s = 0; s < tab_.kick.size(); ++s) {
      if (tab_.kick[s] != 0.0) {
        if (!fresh) ig_.f(t, x_.data(), f_.data());
        for (const auto& [q, v] : pairs_) add(v, h * tab_.kick[s] * f_[static_cast<std::size_t>(v)]);
        fresh = true;  // kicks change velocities only: accelerations depend on positions alone
      }
      if (tab_.drift[s] != 0.0) {
        for (const auto& [q, v] : pairs_) add(q, h * tab_.drift[s] * x_[static_cast<std::size_t>(v)]);
        t += h * tab_.drift[s];
        fresh = false;
      }
    }
    t_prev_ = t_;
    t_ = next.t_end;
    grid_.advance(next);
    ig_.f(t_, x_.data(), f1_.data());
    return true;
  }

  void dense_coefficients(double* c) override {
    hermite_coefficients(n_, t_ - t_prev_, x_old_.data(), f0_.data(), x_.data(), f1_.data(), {}, c);
  }

 private:
  // x_i += delta with compensated (Kahan) summation: over millions of steps, plain rounding would accumulate into
  // an energy drift that the method itself does not have (Hairer, Lubich & Wanner, Geometric Numerical
  // Integration, VIII.5).
  void add(int i, double delta) {
    const std::size_t k = static_cast<std::size_t>(i);
    const double y = delta - compensation_[k];
    const double t = x_[k] + y;
    compensation_[k] = (t - x_[k]) - y;
    x_[k] = t;
  }

  const SymplecticTableau& tab_;
  std::vector<std::pair<int, int>> pairs_;
  std::vector<double> x_old_, f_, f0_, f1_, compensation_;
  FixedStepGrid grid_;
};

}  // namespace

std::unique_ptr<Stepper> make_symplectic(const MethodRow& row, Integration& ig) {
  if (!row.tableau.symplectic) return nullptr;
  return std::make_unique<Symplectic>(*row.tableau.symplectic, ig);
}

}  // namespace numen::detail
