// Auto: the default method. Starts with Tsit5; when its steps are limited by stability rather than accuracy
// (h * rho, estimated from its last two stages, keeps sitting near the edge of its stability region) it switches
// to a stiff method, Rodas5P for small systems or BDF for large ones; when the stiff method's steps would be
// stable for Tsit5 again (h * ||J|| well inside the region), it switches back. DAEs start and stay stiff.
#include <algorithm>

#include "numen/methods.h"
#include "solve/registry.h"
#include "solve/stepper.h"

namespace numen::detail {
namespace {

constexpr double kTsit5Stability = 3.5;  // |h lambda| where Tsit5's stability region meets the negative real axis
constexpr int kStiffSteps = 10;          // consecutive stability-limited steps before switching to stiff
constexpr int kNonstiffSteps = 25;       // consecutive comfortably-stable stiff steps before switching back
constexpr int kLargeSystem = 200;        // from here BDF's sparse, reusable iteration matrices win

class AutoSwitch final : public Stepper {
 public:
  explicit AutoSwitch(Integration& ig) : Stepper(ig) {
    nonstiff_ = make_stepper(*find_method("Tsit5"), ig);
    stiff_name_ = ig.n >= kLargeSystem || ig.mass_varies ? "BDF" : "Rodas5P";
    stiff_ = make_stepper(*find_method(stiff_name_), ig);
    active_ = ig.has_mass() ? stiff_.get() : nonstiff_.get();
    record(0.0, active_->name(), true);
  }

  std::string name() const override { return used_; }
  int dense_degree() const override { return active_->dense_degree(); }
  void dense_coefficients(double* c) override { active_->dense_coefficients(c); }

  void reset(double t, const double* x) override {
    active_->reset(t, x);
    sync();
  }

  bool step(double t_limit) override {
    if (pending_switch_) switch_method();
    if (!active_->step(t_limit)) {
      // Tsit5 giving up (step size underflow) on a stiff stretch is the clearest signal of all.
      if (active_ == nonstiff_.get() && ig_.failure == SolveStatus::StepSizeTooSmall) {
        ig_.failure = SolveStatus::Success;
        ig_.failure_message.clear();
        switch_method();
        if (!active_->step(t_limit)) return false;
      } else {
        return false;
      }
    }
    sync();
    observe();
    return true;
  }

 private:
  void sync() {
    t_ = active_->t();
    t_prev_ = active_->t_prev();
    x_ = active_->x();
  }

  void observe() {
    if (active_ == nonstiff_.get()) {
      ++nonstiff_run_;
      // Hairer & Wanner's DOPRI5 test: count steps at the stability boundary; forget them only after six
      // comfortable steps in a row (the step-size controller makes h rho hover around the boundary).
      const double h_rho = nonstiff_->stiffness();
      if (h_rho > 0.9 * kTsit5Stability) {
        ++counter_;
        calm_ = 0;
      } else if (++calm_ >= 6) {
        counter_ = 0;
      }
      pending_switch_ = counter_ >= kStiffSteps;
    } else if (!ig_.has_mass()) {
      const double h = t_ - t_prev_;
      const double h_norm = h * stiff_jacobian_norm();
      counter_ = h_norm < 0.5 * kTsit5Stability ? counter_ + 1 : 0;
      pending_switch_ = counter_ >= nonstiff_needed_;
    }
  }

  double stiff_jacobian_norm() {
    // Tracked by the stiff stepper's statistics cheaply: the norm of J at the last accepted point. Computed here
    // by one Jacobian evaluation every few steps only.
    if (++since_norm_ >= 5 || jacobian_norm_ < 0) {
      since_norm_ = 0;
      std::vector<double> values(
          static_cast<std::size_t>(ig_.problem.jacobian_pattern() ? ig_.problem.jacobian_pattern()->nnz() : 0));
      if (ig_.problem.jacobian_pattern()) {
        ig_.problem.jacobian(t_, x_.data(), values.data());
        const SparsityPattern& p = *ig_.problem.jacobian_pattern();
        std::vector<double> rows(static_cast<std::size_t>(n_), 0.0);
        for (int j = 0; j < n_; ++j)
          for (int k = p.col_start[static_cast<std::size_t>(j)]; k < p.col_start[static_cast<std::size_t>(j) + 1]; ++k)
            rows[static_cast<std::size_t>(p.row_index[static_cast<std::size_t>(k)])] +=
                std::fabs(values[static_cast<std::size_t>(k)]);
        jacobian_norm_ = *std::max_element(rows.begin(), rows.end());
      } else {
        jacobian_norm_ = std::numeric_limits<double>::infinity();  // no cheap estimate: stay stiff
      }
    }
    return jacobian_norm_;
  }

  void switch_method() {
    pending_switch_ = false;
    counter_ = 0;
    calm_ = 0;
    jacobian_norm_ = -1;
    const double h = t_ - t_prev_;
    if (active_ == nonstiff_.get()) {
      // A non-stiff stretch that turned stiff again at once was a mistake: wait twice as long before the next one.
      if (nonstiff_run_ < 4 * kStiffSteps) nonstiff_needed_ = std::min(nonstiff_needed_ * 2, 1 << 16);
      active_ = stiff_.get();
    } else {
      nonstiff_run_ = 0;
      active_ = nonstiff_.get();
      if (h > 0) nonstiff_->set_step_size(h);
    }
    active_->reset(t_, x_.data());
    record(t_, active_->name(), false);
  }

  void record(double t, const std::string& method, bool first) {
    if (ig_.switches && !first) ig_.switches->emplace_back(t, method);
    if (used_.find(method) == std::string::npos) used_ = used_.empty() ? method : used_ + "+" + method;
  }

  std::unique_ptr<Stepper> nonstiff_, stiff_;
  Stepper* active_ = nullptr;
  std::string stiff_name_, used_;
  int counter_ = 0, since_norm_ = 0;
  int nonstiff_needed_ = kNonstiffSteps, nonstiff_run_ = 0, calm_ = 0;
  double jacobian_norm_ = -1;
  bool pending_switch_ = false;
};

}  // namespace

std::unique_ptr<Stepper> make_auto(const MethodRow&, Integration& ig) { return std::make_unique<AutoSwitch>(ig); }

}  // namespace numen::detail
