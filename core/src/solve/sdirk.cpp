// Diagonally implicit Runge-Kutta methods (TRBDF2, KenCarp4): each stage solves
//   M Z_i = h sum_{j<i} a_ij F_j + h gamma f(t + c_i h, x + Z_i)
// by simplified Newton with W = M / (h gamma) - J, the Jacobian kept across steps while Newton converges well.
// Index-1 DAEs through the mass matrix (their algebraic rows read 0 = sum a_ij g_j + gamma g(Y_i)).
//
// The Newton strategy follows Hairer & Wanner's RADAU5 (Solving ODEs II, section IV.8): the convergence rate
// theta = ||dZ_k|| / ||dZ_{k-1}|| is watched; the iteration stops when eta ||dZ|| <= kappa tol with
// eta = theta / (1 - theta) (the previous stage's eta at the first iteration), and gives up early when theta >= 0.99
// (divergence) or when theta^(k_max - k) / (1 - theta) ||dZ|| predicts it will not reach the tolerance in time. A
// failure with a stale Jacobian refreshes it and retries the same h; with a fresh one the step is cut, by the
// observed rate (by half on divergence). A step that converged slowly (theta > 0.1) refreshes J before the next one.
// Stage predictors extrapolate: the first implicit stage from the step's start (differential states along f,
// algebraic ones along their slope over the last step), later stages from the previous stage's Z.
#include <algorithm>
#include <limits>

#include "solve/controller.h"
#include "solve/dense.h"
#include "solve/linear.h"
#include "solve/registry.h"
#include "solve/stepper.h"
#include "solve/tableaus.h"

namespace numen::detail {
namespace {

class Dirk final : public Stepper {
 public:
  Dirk(const DirkTableau& tab, int order, Integration& ig)
      : Stepper(ig), tab_(tab), order_(order), w_(ig), control_(tab.embedded_order + 1) {
    const std::size_t n = static_cast<std::size_t>(n_);
    F_.assign(static_cast<std::size_t>(tab.stages), std::vector<double>(n));
    for (auto* v : {&x_old_, &z_, &dz_, &y_, &r_, &fy_, &err_, &f_end_, &slope_}) v->resize(n);
    // DAEs: algebraic variables are interpolated through the stage values, one per distinct node.
    dae_ = ig.has_mass();
    if (dae_) {
      stage_values_.assign(static_cast<std::size_t>(tab.stages), std::vector<double>(n));
      for (int i = 0; i < tab.stages; ++i) {
        bool seen = false;
        for (int j : nodes_) seen = seen || tab.c[static_cast<std::size_t>(j)] == tab.c[static_cast<std::size_t>(i)];
        if (!seen) nodes_.push_back(i);
      }
    }
  }

  std::string name() const override { return tab_.name; }
  int dense_degree() const override {
    const int base = tab_.r.empty() ? 3 : tab_.dense_degree;
    return dae_ ? std::max(base, static_cast<int>(nodes_.size()) - 1) : base;
  }

  void reset(double t, const double* x) override {
    t_ = t_prev_ = t;
    have_slope_ = false;
    eta_ = 1.0;
    std::copy(x, x + n_, x_.begin());
    ig_.f(t, x, F_[0].data());
    have_f0_ = true;
    jac_current_ = false;
    if (h_ <= 0) h_ = ig_.options.dt0 > 0 ? ig_.options.dt0 : initial_step(t, x, F_[0].data(), order_);
    control_.reset();
  }

  bool step(double t_limit) override {
    if (!have_f0_) std::copy(f_end_.begin(), f_end_.end(), F_[0].begin());  // f(t, x) from the last step's end
    have_f0_ = true;
    std::copy(x_.begin(), x_.end(), x_old_.begin());
    bool rejected = false;
    for (;;) {
      const double h = clip(h_, t_limit);
      const bool lands = h == t_limit - t_;
      if (h <= 16 * std::numeric_limits<double>::epsilon() * std::max(1.0, std::fabs(t_))) {
        std::copy(x_old_.begin(), x_old_.end(), x_.begin());
        if (newton_failed_)
          return ig_.fail(SolveStatus::NewtonFailure,
                          "Newton iterations of " + tab_.name + " failed to converge at t = " + std::to_string(t_) +
                              " even with tiny steps; the Jacobian may be singular there (for a DAE: is it index 1?)");
        return ig_.fail_step_size(t_, h, name());
      }
      if (!w_.has_jacobian() || (refresh_next_ && !jac_current_)) refresh_jacobian();
      refresh_next_ = false;
      const Outcome outcome = attempt(h);
      if (outcome == Outcome::NewtonFailed) {
        newton_failed_ = true;
        rejected = true;  // the step that finally converges must not grow past the size that failed
        ++ig_.stats.newton_failures;
        eta_ = 1.0;  // forget the optimistic rate: the next first iteration must prove itself
        if (!jac_current_) {
          refresh_jacobian();  // a stale Jacobian first,
        } else {
          h_ = h * newton_cut_;  // then smaller steps
        }
        continue;
      }
      newton_failed_ = false;
      const double err = ig_.error_norm(err_.data(), x_old_.data(), x_.data());
      if (err <= 1.0) {
        t_prev_ = t_;
        t_ = lands ? t_limit : t_ + h;
        h_last_ = h;
        h_ = control_.accept(h, err, rejected);
        // RADAU5's safety by Newton effort: a step whose stages needed many iterations grows less, and one that
        // converged slowly (theta > 0.5) does not grow: the next larger step would fail in Newton, not in the error
        // test, and a Newton failure costs more than a small step.
        const double effort = (2.0 * kMaxNewton + 1) / (2.0 * kMaxNewton + max_iterations_);
        h_ = std::min(h_, std::max(h, h_ * effort));
        if (theta_max_ > 0.5) h_ = std::min(h_, h);
        if (lands) h_ = std::max(h_, h);
        // The stages' derivative at the end is f(t + h, x_new) for stiffly accurate methods with c_s = 1.
        if (tab_.stiffly_accurate) f_end_ = F_[static_cast<std::size_t>(tab_.stages - 1)];
        else ig_.f(t_, x_.data(), f_end_.data());
        have_f0_ = false;
        jac_current_ = false;
        refresh_next_ = theta_max_ > kThetaRefresh;
        for (std::size_t q = 0; q < x_.size(); ++q) slope_[q] = (x_[q] - x_old_[q]) / h;
        have_slope_ = true;
        return true;
      }
      std::copy(x_old_.begin(), x_old_.end(), x_.begin());
      ++ig_.stats.rejected_steps;
      rejected = true;
      h_ = control_.reject(h, err);
    }
  }

  // With a general M, variables without their own derivative row are interpolated through the stage values, whose
  // stage order (2) makes the interpolant far less accurate than the step (1e-5 against 1e-8 on an RC network).
  bool lands_on_saves() const override { return ig_.mass != nullptr; }

  void dense_coefficients(double* c) override {
    const std::size_t n = static_cast<std::size_t>(n_);
    std::fill(c, c + static_cast<std::size_t>(dense_degree() + 1) * n, 0.0);
    if (tab_.r.empty()) {
      hermite_coefficients(n_, h_last_, x_old_.data(), F_[0].data(), x_.data(), f_end_.data(), ig_.mask, c);
      interpolate_algebraic(c);
      return;
    }
    const int deg = tab_.dense_degree;
    std::copy(x_old_.begin(), x_old_.end(), c);
    for (int m = 1; m <= deg; ++m)
      for (std::size_t q = 0; q < n; ++q) {
        double acc = 0.0;
        for (int i = 0; i < tab_.stages; ++i)
          acc += tab_.r[static_cast<std::size_t>(i * deg + m - 1)] * F_[static_cast<std::size_t>(i)][q];
        c[static_cast<std::size_t>(m) * n + q] = h_last_ * acc;
      }
    interpolate_algebraic(c);
  }

 private:
  enum class Outcome { Converged, NewtonFailed };

  // Algebraic variables have no derivatives in F (their rows hold residuals): their interpolant is the polynomial
  // through their stage values at the distinct nodes c_i (Newton's divided differences, expanded in theta).
  void interpolate_algebraic(double* c) {
    if (!dae_) return;
    const std::size_t n = static_cast<std::size_t>(n_);
    const std::size_t m = nodes_.size();
    for (std::size_t q = 0; q < n; ++q) {
      if (ig_.mask[q]) continue;
      std::vector<double> coef(m), poly(1, 1.0), out(m, 0.0);
      for (std::size_t k = 0; k < m; ++k) coef[k] = stage_values_[static_cast<std::size_t>(nodes_[k])][q];
      for (std::size_t level = 1; level < m; ++level)
        for (std::size_t k = m - 1; k >= level; --k)
          coef[k] = (coef[k] - coef[k - 1]) /
                    (tab_.c[static_cast<std::size_t>(nodes_[k])] - tab_.c[static_cast<std::size_t>(nodes_[k - level])]);
      for (std::size_t k = 0; k < m; ++k) {
        for (std::size_t p = 0; p < poly.size(); ++p) out[p] += coef[k] * poly[p];
        std::vector<double> next(poly.size() + 1, 0.0);  // poly *= (theta - c_k)
        for (std::size_t p = 0; p < poly.size(); ++p) {
          next[p + 1] += poly[p];
          next[p] -= tab_.c[static_cast<std::size_t>(nodes_[k])] * poly[p];
        }
        poly.swap(next);
      }
      for (int d = 0; d <= dense_degree(); ++d)
        c[static_cast<std::size_t>(d) * n + q] = d < static_cast<int>(m) ? out[static_cast<std::size_t>(d)] : 0.0;
    }
  }

  void refresh_jacobian() {
    w_.update_jacobian(t_, x_old_.data(), F_[0].data());
    jac_current_ = true;
    factored_h_ = 0.0;
  }

  // One attempt with step h: all stages, then x_ and err_. NewtonFailed leaves x_ unchanged and newton_cut_ set to
  // the factor to cut h by if the Jacobian was fresh.
  Outcome attempt(double h) {
    const int s = tab_.stages;
    const std::size_t n = static_cast<std::size_t>(n_);
    if (dae_ && tab_.explicit_first) stage_values_[0] = x_old_;
    // kappa tol of Hairer's stopping criterion, in the weighted norm where 1 is the tolerance (RADAU5's fnewt).
    // RADAU5's fnewt is max(10 uround / rtol', min(0.03, sqrt(rtol'))) in the norm of its transformed tolerance
    // rtol' = 0.1 rtol^(2/3), which is ~0.03 in the norm of the user's tolerance. 0.03 here from rtol = 1e-6 up,
    // tightening with sqrt(rtol) below, where the error test is strict enough for Newton's leftovers to show in the
    // global error (at 0.03 for rtol = 1e-10, KenCarp4's VDPOL error grew from 6e-8 to 1.4e-7). The old
    // min(0.03, sqrt(rtol)), 1e-3 at rtol 1e-6, made KenCarp4 fail Newton 3.4 times per accepted step on TRANSAMP;
    // 0.03 1.2 times, at the same accuracy.
    const double newton_tol =
        std::max(10 * std::numeric_limits<double>::epsilon() / ig_.rtol, std::min(0.03, 30 * std::sqrt(ig_.rtol)));
    theta_max_ = 0.0;
    max_iterations_ = 0;
    int previous_stage = -1;  // the last implicit stage solved in this attempt (predictor source)
    for (int i = tab_.explicit_first ? 1 : 0; i < s; ++i) {
      const double* a = &tab_.a[static_cast<std::size_t>(i * s)];
      const double gamma = a[i];
      if (h * gamma != factored_h_) {
        if (!w_.factor(1.0 / (h * gamma))) {
          newton_cut_ = 0.5;
          return Outcome::NewtonFailed;
        }
        factored_h_ = h * gamma;
      }
      const double ci = tab_.c[static_cast<std::size_t>(i)];
      const double c_prev = previous_stage >= 0 ? tab_.c[static_cast<std::size_t>(previous_stage)] : 0.0;
      // R = (1 / gamma) sum_{j<i} a_ij F_j; Z from the predictor.
      for (std::size_t q = 0; q < n; ++q) {
        double acc = 0.0;
        for (int j = 0; j < i; ++j) acc += a[j] * F_[static_cast<std::size_t>(j)][q];
        r_[q] = acc / gamma;
        const bool algebraic = !ig_.mask.empty() && !ig_.mask[q];
        if (previous_stage >= 0 && c_prev > 0) {
          z_[q] = stage_z_[q] * (ci / c_prev);  // along the chord through the previous stage
        } else {
          z_[q] = ci * h * (algebraic ? (have_slope_ ? slope_[q] : 0.0) : F_[0][q]);
        }
      }
      double previous = 0.0, eta = std::max(eta_, std::numeric_limits<double>::epsilon());
      eta = std::pow(eta, 0.8);  // RADAU5: the previous rate, relaxed towards 1 so that it must keep proving itself
      bool converged = false;
      const double ti = t_ + ci * h;
      for (int it = 0; it < kMaxNewton; ++it) {
        for (std::size_t q = 0; q < n; ++q) y_[q] = x_old_[q] + z_[q];
        ig_.f(ti, y_.data(), fy_.data());
        ++ig_.stats.newton_iterations;
        // dZ = W^-1 (f + R - M Z / (h gamma))
        w_.mass_times(z_.data(), dz_.data());
        for (std::size_t q = 0; q < n; ++q) dz_[q] = fy_[q] + r_[q] - dz_[q] / (h * gamma);
        w_.solve(dz_.data());
        const double norm = ig_.norm(dz_.data(), x_old_.data());
        if (!std::isfinite(norm)) {
          newton_cut_ = 0.5;
          return Outcome::NewtonFailed;
        }
        if (it > 0) {
          const double theta = norm / previous;
          theta_max_ = std::max(theta_max_, theta);
          if (theta >= 0.99) {  // diverging
            newton_cut_ = 0.5;
            return Outcome::NewtonFailed;
          }
          const double predicted = std::pow(theta, kMaxNewton - 1 - it) / (1 - theta) * norm;
          if (predicted > newton_tol) {
            // Too slow to make it in the iterations left: cut h so that the rate (~ h) would make it (RADAU5's
            // qnewt), by at most 5 and at least by 0.8.
            const double q = std::max(1e-4, std::min(20.0, predicted / newton_tol));
            newton_cut_ = std::clamp(0.8 * std::pow(q, -1.0 / (4 + kMaxNewton - 1 - it)), 0.2, 0.8);
            return Outcome::NewtonFailed;
          }
          eta = theta / (1 - theta);
        }
        for (std::size_t q = 0; q < n; ++q) z_[q] += dz_[q];
        max_iterations_ = std::max(max_iterations_, it + 1);
        if (eta * norm <= newton_tol || norm == 0.0) {
          converged = true;
          break;
        }
        previous = norm;
      }
      if (!converged) {
        newton_cut_ = 0.5;
        return Outcome::NewtonFailed;
      }
      eta_ = eta;
      previous_stage = i;
      stage_z_ = z_;
      if (dae_)
        for (std::size_t q = 0; q < n; ++q) stage_values_[static_cast<std::size_t>(i)][q] = x_old_[q] + z_[q];
      // F_i from the converged stage equation (no extra evaluation): F_i = (M Z_i / h - sum a_ij F_j) / gamma.
      w_.mass_times(z_.data(), dz_.data());
      for (std::size_t q = 0; q < n; ++q) F_[static_cast<std::size_t>(i)][q] = dz_[q] / (h * gamma) - r_[q];
      if (i == s - 1 && tab_.stiffly_accurate)
        for (std::size_t q = 0; q < n; ++q) x_[q] = x_old_[q] + z_[q];
    }
    for (std::size_t q = 0; q < n; ++q) {
      double x = x_old_[q], e = 0.0;
      for (int j = 0; j < s; ++j) {
        x += h * tab_.b[static_cast<std::size_t>(j)] * F_[static_cast<std::size_t>(j)][q];
        e += h * tab_.btilde[static_cast<std::size_t>(j)] * F_[static_cast<std::size_t>(j)][q];
      }
      if (!tab_.stiffly_accurate) x_[q] = x;
      err_[q] = e;
    }
    if (ig_.mass) {
      // With a general M, F holds M times derivatives, so sum btilde_j F_j is M times the error. W^-1 scaled by
      // alpha = 1 / (h gamma) maps it back (M^-1 on the slow components) and damps the stiff ones, as RADAU5's
      // estimate does.
      const double alpha = w_.factored_alpha();
      for (std::size_t q = 0; q < n; ++q) err_[q] *= alpha;
      w_.solve(err_.data());
    }
    return Outcome::Converged;
  }

  static constexpr int kMaxNewton = 8;
  static constexpr double kThetaRefresh = 0.1;  // a step converging slower than this refreshes J before the next
  const DirkTableau& tab_;
  int order_;  ///< the registry row's
  NewtonMatrix w_;
  StepController control_;
  std::vector<std::vector<double>> F_;
  std::vector<double> x_old_, z_, dz_, y_, r_, fy_, err_, f_end_, slope_, stage_z_;
  double h_ = 0.0, h_last_ = 0.0, factored_h_ = 0.0;
  double eta_ = 1.0;         // Hairer's eta = theta / (1 - theta) of the last converged stage
  double theta_max_ = 0.0;   // slowest rate seen in the current attempt
  double newton_cut_ = 0.5;  // step factor after a Newton failure with a fresh Jacobian
  int max_iterations_ = 0;   // most Newton iterations a stage of the current attempt needed
  bool have_f0_ = false, jac_current_ = false, newton_failed_ = false, refresh_next_ = false, have_slope_ = false;
  bool dae_ = false;
  std::vector<int> nodes_;                         // stages with distinct c
  std::vector<std::vector<double>> stage_values_;  // Y_i of the last step (DAEs)
};

}  // namespace

std::unique_ptr<Stepper> make_dirk(const MethodRow& row, Integration& ig) {
  if (!row.tableau.dirk) return nullptr;
  return std::make_unique<Dirk>(*row.tableau.dirk, row.info.order, ig);
}

}  // namespace numen::detail
