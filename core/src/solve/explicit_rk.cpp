// Explicit Runge-Kutta pairs (adaptive, with their continuous extensions) and the classic fixed-step methods.
// Coefficients are published facts: see tableaus_erk.cpp.
#include <algorithm>
#include <limits>

#include "solve/dense.h"
#include "solve/registry.h"
#include "solve/stepper.h"
#include "solve/tableaus.h"

namespace numen::detail {
namespace {

// out = base + h * sum_j w_j k_j over `count` stages (base may be null: then 0), the one kernel of every stage,
// solution, error and dense-output sum. At a few states loop control costs more than the arithmetic, so the common
// stage counts are template arguments and the sum unrolls; the weights and stage pointers are copied to locals
// because the compiler cannot know that `out` aliases neither. The order of the additions is the plain loop's.
template <int Count>
void weighted_sum_of(int n, const double* w, const double* const* k, const double* base, double h, double* out) {
  double wl[Count];
  const double* kl[Count];
  for (int j = 0; j < Count; ++j) {
    wl[j] = w[j];
    kl[j] = k[j];
  }
  for (int m = 0; m < n; ++m) {
    double acc = 0.0;
    for (int j = 0; j < Count; ++j) acc += wl[j] * kl[j][m];
    out[m] = base ? base[m] + h * acc : h * acc;
  }
}

void weighted_sum(int count, int n, const double* w, const double* const* k, const double* base, double h,
                  double* out) {
  switch (count) {
    case 1: return weighted_sum_of<1>(n, w, k, base, h, out);
    case 2: return weighted_sum_of<2>(n, w, k, base, h, out);
    case 3: return weighted_sum_of<3>(n, w, k, base, h, out);
    case 4: return weighted_sum_of<4>(n, w, k, base, h, out);
    case 5: return weighted_sum_of<5>(n, w, k, base, h, out);
    case 6: return weighted_sum_of<6>(n, w, k, base, h, out);
    case 7: return weighted_sum_of<7>(n, w, k, base, h, out);
    case 8: return weighted_sum_of<8>(n, w, k, base, h, out);
    default:
      for (int m = 0; m < n; ++m) {
        double acc = 0.0;
        for (int j = 0; j < count; ++j) acc += w[j] * k[j][m];
        out[m] = base ? base[m] + h * acc : h * acc;
      }
  }
}

class ExplicitRK final : public Stepper {
 public:
  ExplicitRK(const ErkTableau& tab, int order, bool adaptive, Integration& ig)
      : Stepper(ig), tab_(tab), order_(order), adaptive_(adaptive) {
    const std::size_t n = static_cast<std::size_t>(n_);
    const int total = tab.total_stages();
    k_.assign(static_cast<std::size_t>(total), std::vector<double>(n));
    stage_pointers_.resize(static_cast<std::size_t>(total));
    // r is stored stage by stage; the dense sums want each power's weights together.
    for (int m = 0; m < tab.dense_degree && !tab.r.empty(); ++m)
      for (int i = 0; i < total; ++i)
        dense_weights_.push_back(tab.r[static_cast<std::size_t>(i * tab.dense_degree + m)]);
    for (auto* v : {&x_old_, &tmp_, &err_, &f_end_}) v->resize(n);
  }

  std::string name() const override { return tab_.name; }
  int dense_degree() const override { return tab_.r.empty() ? 3 : tab_.dense_degree; }

  void reset(double t, const double* x) override {
    t_ = t_prev_ = t;
    std::copy(x, x + n_, x_.begin());
    ig_.f(t, x, k_[0].data());
    have_k0_ = true;
    grid_.reset(t, ig_.options.dt);
    if (h_ <= 0) {
      if (!adaptive_) h_ = ig_.options.dt;
      else h_ = ig_.options.dt0 > 0 ? ig_.options.dt0 : initial_step(t, x, k_[0].data(), order_);
    }
    err_old_ = 1e-4;
  }

  bool step(double t_limit) override {
    const int s = tab_.stages;
    if (!have_k0_) {  // k_ held the last step's stages for its dense output until now
      if (tab_.fsal) std::swap(k_[0], k_[static_cast<std::size_t>(s - 1)]);  // first same as last
      else if (have_f_end_) std::swap(k_[0], f_end_);
      else ig_.f(t_, x_.data(), k_[0].data());
      have_k0_ = true;
    }
    have_f_end_ = false;
    extra_ready_ = false;
    std::copy(x_.begin(), x_.end(), x_old_.begin());
    nonfinite_ = false;
    have_g0_ = false;
    bool rejected = false;
    int cuts = 0;  // times this step was cut to land on a switching point
    for (;;) {
      // Adaptive steps are clipped to t_limit; fixed ones keep to their grid (FixedStepGrid).
      const FixedStepGrid::Step fixed = adaptive_ ? FixedStepGrid::Step{} : grid_.next(t_, t_limit);
      const double h = adaptive_ ? clip(h_, t_limit) : fixed.h;
      const bool lands = adaptive_ ? h == t_limit - t_ : fixed.t_end == t_limit;
      if (h <= 16 * std::numeric_limits<double>::epsilon() * std::max(1.0, std::fabs(t_))) {
        std::copy(x_old_.begin(), x_old_.end(), x_.begin());
        if (nonfinite_) return ig_.fail(SolveStatus::NonFinite, nonfinite_message_);
        return ig_.fail_step_size(t_, h, name());
      }
      compute_stages(t_, h, 1, s);
      if (!tab_.fsal) weighted_sum(s, n_, tab_.b.data(), stage_pointers(), x_old_.data(), h, x_.data());
      double err = 0.0;
      if (adaptive_) {
        weighted_sum(s, n_, tab_.btilde.data(), stage_pointers(), nullptr, h, err_.data());
        err = ig_.error_norm(err_.data(), x_old_.data(), x_.data());
      } else {
        for (int m = 0; m < n_ && std::isfinite(err); ++m)
          if (!std::isfinite(x_[static_cast<std::size_t>(m)])) err = std::numeric_limits<double>::infinity();
      }
      if (!std::isfinite(err)) {
        // NaN or Inf inside the step: remember where, and shrink hard. If the step size underflows this way, the
        // failure names the equation that produced it.
        ++ig_.stats.rejected_steps;
        note_non_finite(h);
        if (!adaptive_) {
          std::copy(x_old_.begin(), x_old_.end(), x_.begin());
          return ig_.fail(SolveStatus::NonFinite, nonfinite_message_ + "; try a smaller dt");
        }
        h_ = h * 0.25;
        continue;
      }
      nonfinite_ = false;
      // PI step-size control (Hairer-Wanner, DOPRI5's controller): exponents from the embedded order.
      // The estimate behaves like h^(q+1), q the lower of the two orders (Fehlberg 7(8) propagates the 7th).
      const double q = std::min(order_, tab_.embedded_order);
      const double expo1 = adaptive_ ? 1.0 / (q + 1) - 0.75 * tab_.beta : 0.0;
      const double fac11 = adaptive_ ? std::pow(std::max(err, 1e-300), expo1) : 1.0;
      if (err <= 1.0) {
        if (adaptive_) {
          double fac = fac11 / std::pow(err_old_, tab_.beta);
          fac = std::max(1.0 / 10.0, std::min(1.0 / 0.2, fac / 0.9));  // facmax 10, facmin 0.2, safety 0.9
          err_old_ = std::max(err, 1e-4);
          h_ = h / fac;
          // No growth right after a rejection (Hairer's DOPRI5), a cut onto a switching point included: letting
          // the step grow there saves steps but costs accuracy (five times the global error on fluid_poppet).
          if (rejected) h_ = std::min(h_, h);
          if (lands) h_ = std::max(h_, h);  // a step shortened to land on t_limit says nothing about the next one
        }
        t_prev_ = t_;
        t_ = adaptive_ ? (lands ? t_limit : t_ + h) : fixed.t_end;
        if (!adaptive_) grid_.advance(fixed);
        h_last_ = t_ - t_prev_;
        have_k0_ = false;
        return true;
      }
      ++ig_.stats.rejected_steps;
      rejected = true;
      h_ = h / std::min(1.0 / 0.2, fac11 / 0.9);
      // A branch of f switched inside the step (a contact closed, a flow choked): f has a kink there, and a
      // smaller step that still crosses it would fail again. Step onto the crossing instead (estimated by linear
      // interpolation of the switching function; a retry that still crosses refines it, like a secant step); the
      // step after it starts on the far side, where f is smooth again. Not when the error says the step was far
      // too long anyway (err 1e4: about 6 times too long for a fifth-order pair): its end state is too poor to
      // say where anything switched.
      if (adaptive_ && cuts < kMaxCuts && err < kMaxCutError) {
        // A crossing in the step's first thousandth is the one the last step landed on, seen again through
        // rounding (or one so close that a smaller step clears it anyway): leave that to the controller.
        const double theta = switch_crossing(h);
        if (theta > 1e-3) {
          ++cuts;
          h_ = theta * h;
        }
      }
    }
  }

  void dense_coefficients(double* c) override {
    const std::size_t n = static_cast<std::size_t>(n_);
    const double h = t_ - t_prev_;
    if (tab_.r.empty()) {
      // Cubic Hermite from the end points; f at the end is the FSAL stage, or one evaluation kept for the next step.
      const double* f1 = nullptr;
      if (tab_.fsal) {
        f1 = k_[static_cast<std::size_t>(tab_.stages - 1)].data();
      } else {
        if (!have_f_end_) {
          ig_.f(t_, x_.data(), f_end_.data());
          have_f_end_ = true;
        }
        f1 = f_end_.data();
      }
      hermite_coefficients(n_, h, x_old_.data(), k_[0].data(), x_.data(), f1, ig_.mask, c);
      return;
    }
    if (!extra_ready_ && tab_.total_stages() > tab_.stages) {
      compute_stages(t_prev_, h_last_, tab_.stages, tab_.total_stages());
      extra_ready_ = true;
    }
    // x(theta) = x0 + h * sum_i k_i * b_i(theta), b_i(theta) = sum_m r[i][m] theta^(m+1).
    const int deg = tab_.dense_degree;
    const int total = tab_.total_stages();
    std::copy(x_old_.begin(), x_old_.end(), c);
    const double* const* k = stage_pointers();
    for (int m = 1; m <= deg; ++m)
      weighted_sum(total, n_, &dense_weights_[static_cast<std::size_t>((m - 1) * total)], k, nullptr, h_last_,
                   c + static_cast<std::size_t>(m) * n);
  }

  /// h * rho, rho estimated from the last two stages (both at c = 1) as max_i |dk_i / dx_i| (Hairer & Wanner's
  /// stiffness detection for DOPRI5, taken componentwise as OrdinaryDiffEq does: a norm ratio would be dominated
  /// by the large, slow components and miss a small stiff one); 0 when the tableau lacks such a pair.
  double stiffness() const override {
    const int s = tab_.stages;
    if (!tab_.fsal || s < 2 || tab_.c[static_cast<std::size_t>(s - 2)] != 1.0) return 0.0;
    const double* a = &tab_.a[static_cast<std::size_t>((s - 2) * tab_.total_stages())];
    double rho = 0.0;
    for (int m = 0; m < n_; ++m) {
      double g = x_old_[static_cast<std::size_t>(m)];
      for (int j = 0; j < s - 2; ++j)
        g += h_last_ * a[j] * k_[static_cast<std::size_t>(j)][static_cast<std::size_t>(m)];
      const double dk = k_[static_cast<std::size_t>(s - 1)][static_cast<std::size_t>(m)] -
                        k_[static_cast<std::size_t>(s - 2)][static_cast<std::size_t>(m)];
      const double dx = x_[static_cast<std::size_t>(m)] - g;
      if (dx != 0.0) rho = std::max(rho, std::fabs(dk / dx));
    }
    return h_last_ * rho;
  }
  double step_size() const override { return h_; }
  void set_step_size(double h) override { h_ = h; }

 private:
  /// Where each stage's values are now (the FSAL swap moves them).
  const double* const* stage_pointers() {
    for (std::size_t j = 0; j < k_.size(); ++j) stage_pointers_[j] = k_[j].data();
    return stage_pointers_.data();
  }

  // Stages first .. last-1 of the step from (t0, x_old_) with size h (stage 0 is already in k_[0]).
  void compute_stages(double t0, double h, int first, int last) {
    const int total = tab_.total_stages();
    const double* const* k = stage_pointers();
    for (int i = first; i < last; ++i) {
      // The last stage of an FSAL pair is f at the new solution: computed in place.
      double* x_stage = tab_.fsal && i == tab_.stages - 1 ? x_.data() : tmp_.data();
      weighted_sum(i, n_, &tab_.a[static_cast<std::size_t>(i * total)], k, x_old_.data(), h, x_stage);
      ig_.f(t0 + tab_.c[static_cast<std::size_t>(i)] * h, x_stage, k_[static_cast<std::size_t>(i)].data());
    }
  }

  /// The fraction of the attempted step h at which the first switching function changes sign (0 if none does),
  /// from the values at the step's start and at its attempted end.
  double switch_crossing(double h) {
    const int m = ig_.problem.switch_count();
    if (m == 0) return 0.0;
    g0_.resize(static_cast<std::size_t>(m));
    g1_.resize(static_cast<std::size_t>(m));
    if (!have_g0_) {
      ig_.problem.switch_functions(t_, x_old_.data(), g0_.data());
      have_g0_ = true;
    }
    ig_.problem.switch_functions(t_ + h, x_.data(), g1_.data());
    double theta = 1.0;
    for (std::size_t k = 0; k < g0_.size(); ++k) {
      const double a = g0_[k], b = g1_[k];
      if ((a < 0 && b > 0) || (a > 0 && b < 0)) theta = std::min(theta, a / (a - b));
    }
    return theta < 1.0 ? theta : 0.0;
  }

  // Finds the first stage whose derivative is not finite and describes it.
  void note_non_finite(double h) {
    nonfinite_ = true;
    for (int i = 0; i < tab_.stages; ++i) {
      const auto& k = k_[static_cast<std::size_t>(i)];
      for (int j = 0; j < n_; ++j) {
        if (std::isfinite(k[static_cast<std::size_t>(j)])) continue;
        nonfinite_message_ =
            ig_.non_finite_message(t_ + tab_.c[static_cast<std::size_t>(i)] * h, j, k[static_cast<std::size_t>(j)]);
        return;
      }
    }
    nonfinite_message_ = "the solution became NaN or Inf in the step from t = " + std::to_string(t_);
  }

  const ErkTableau& tab_;
  int order_;  ///< the registry row's
  bool adaptive_;
  std::vector<std::vector<double>> k_;
  std::vector<const double*> stage_pointers_;
  std::vector<double> dense_weights_;  ///< r transposed: the weights of theta^(m+1) at [m * total_stages + i]
  static constexpr int kMaxCuts = 4;   ///< cuts onto switching points per step, before leaving it to the controller
  static constexpr double kMaxCutError = 1e4;
  std::vector<double> x_old_, tmp_, err_, f_end_, g0_, g1_;
  bool have_g0_ = false;
  double h_ = 0.0, h_last_ = 0.0, err_old_ = 1e-4;
  FixedStepGrid grid_;  ///< fixed-step methods only
  bool have_k0_ = false, have_f_end_ = false, extra_ready_ = false;
  bool nonfinite_ = false;
  std::string nonfinite_message_;
};

}  // namespace

std::unique_ptr<Stepper> make_explicit_rk(const MethodRow& row, Integration& ig) {
  if (!row.tableau.erk) return nullptr;
  return std::make_unique<ExplicitRK>(*row.tableau.erk, row.info.order, row.info.adaptive, ig);
}

}  // namespace numen::detail
