// RadauIIA5: the 3-stage Radau IIA collocation method of order 5, after Hairer & Wanner's RADAU5 (radau5.f;
// "Solving Ordinary Differential Equations II", Sect. IV.8). Per step:
//   - the stage increments Z = (Z_1, Z_2, Z_3), Y_i = x + Z_i, solve M Z = h (A (x) I) F(Z) by simplified Newton
//     on W = (TI (x) I) Z, which splits into one real system (gamma / h M - J) and one complex system
//     ((alpha + i beta) / h M - J), gamma and alpha +- i beta the eigenvalues of A^-1 (tableaus_implicit.cpp);
//   - Newton starts from the last step's collocation polynomial extrapolated, watches its contraction rate theta
//     (cutting the step when the predicted error after the remaining iterations is too large, giving up when
//     theta >= 0.99), and stops when theta / (1 - theta) |dW| < fnewt;
//   - the error estimate is the embedded difference filtered through (gamma / h M - J)^-1 (ESTRAD), recomputed
//     once from f at the corrected point after a rejection or at the first step;
//   - the step size follows Hairer's controller: safety factor lowered with the Newton iterations spent, the
//     predictive (Gustafsson) correction, and reuse of the Jacobian while theta stays below 0.001 (and of the
//     factorizations too while the step would change by less than 20 %);
//   - dense output is the collocation polynomial of degree 3 through x, Y_1, Y_2, Y_3.
// Index-1 DAEs through the diagonal 0/1 mass matrix need nothing else: the algebraic rows are 0 = g(Y_i), and the
// collocation polynomial interpolates the algebraic variables' stage values too.
// Tolerances: radau5.f transforms them (rtol' = 0.1 rtol^(2/3), atol' = atol rtol' / rtol) so that the achieved
// accuracy is roughly proportional to the tolerance (its error estimate is O(h^4), the solution O(h^5)-accurate).
// RadauIIA5 uses rtol and atol as given, like every other method here: at the same tolerances it is then at
// least as accurate as Rodas5P on the Test Set's stiff problems (radau_test.cpp), at the price of more steps at
// tight tolerances than radau5.f would take (about 4x at rtol 1e-10, where the transformed tolerances lose 1-2
// digits against Rodas5P). Newton stops at radau5.f's fnewt = max(10 eps / rtol, min(0.03, sqrt(rtol))); below
// rtol ~ 1e-11 its 10 eps / rtol floor leaves rounding-level Newton errors in every step, which then accumulate
// (Rodas5P, without a Newton iteration, keeps gaining digits there).
#include <algorithm>
#include <array>
#include <limits>

#include "common/text.h"
#include "solve/linear.h"
#include "solve/registry.h"
#include "solve/stepper.h"
#include "solve/tableaus.h"

namespace numen::detail {
namespace {

// The controller's x^(1/4) and the Newton test's theta^k, without std::pow (they run several times per step).
double fourth_root(double x) { return std::sqrt(std::sqrt(x)); }
double power(double x, int k) {
  double r = 1.0;
  for (int i = 0; i < k; ++i) r *= x;
  return r;
}

class Radau5 final : public Stepper {
 public:
  Radau5(const RadauTableau& tab, int order, Integration& ig) : Stepper(ig), tab_(tab), order_(order), w_(ig) {
    const std::size_t n = static_cast<std::size_t>(n_);
    for (auto* v : {&x_old_, &f0_, &scal_, &y_, &tmp_, &err_, &fz_}) v->resize(n);
    for (int i = 0; i < 3; ++i) {
      z_[static_cast<std::size_t>(i)].resize(n);
      w_stage_[static_cast<std::size_t>(i)].resize(n);
      mw_[static_cast<std::size_t>(i)].resize(n);
      f_[static_cast<std::size_t>(i)].resize(n);
      cont_[static_cast<std::size_t>(i)].resize(n);
    }
    fnewt_ = std::max(10 * kEps / ig.rtol, std::min(0.03, std::sqrt(ig.rtol)));  // radau5.f's default
  }

  std::string name() const override { return tab_.name; }
  int dense_degree() const override { return 3; }

  void reset(double t, const double* x) override {
    t_ = t_prev_ = t;
    std::copy(x, x + n_, x_.begin());
    ig_.f(t, x, f0_.data());
    fresh_f0_ = true;
    if (h_ <= 0) h_ = ig_.options.dt0 > 0 ? ig_.options.dt0 : initial_step(t, x, f0_.data(), order_);
    // A restart (the start, an event, a tstop): new Jacobian, no extrapolated starting values, no controller history.
    need_jacobian_ = true;
    first_ = true;
    reject_ = false;
    accepted_ = 0;
    faccon_ = 1.0;
    theta_ = kThet;
    singular_ = 0;
  }

  bool step(double t_limit) override {
    if (!fresh_f0_) ig_.f(t_, x_.data(), f0_.data());
    fresh_f0_ = false;
    std::copy(x_.begin(), x_.end(), x_old_.begin());
    for (int i = 0; i < n_; ++i) {
      const std::size_t q = static_cast<std::size_t>(i);
      scal_[q] = ig_.atol[q] + ig_.rtol * std::fabs(x_old_[q]);
    }
    for (;;) {
      const double h = clip(h_, t_limit);
      const bool lands = h == t_limit - t_;
      if (h <= 16 * kEps * std::max(1.0, std::fabs(t_))) {
        if (newton_failed_)
          return ig_.fail(SolveStatus::NewtonFailure,
                          "Newton iterations of RadauIIA5 failed to converge at t = " + text::format_number(t_) +
                              " even with tiny steps; the Jacobian may be singular there (for a DAE: is it index 1?)");
        return ig_.fail_step_size(t_, h, name());
      }
      if (need_jacobian_) {
        w_.update_jacobian(t_, x_old_.data(), f0_.data());
        need_jacobian_ = false;
        jac_fresh_ = true;
        factored_h_ = 0.0;
      }
      if (h != factored_h_) {
        factored_h_ = 0.0;
        if (!w_.factor(tab_.gamma / h) || !w_.factor_complex(tab_.alpha / h, tab_.beta / h)) {
          if (++singular_ >= 5)
            return ig_.fail(SolveStatus::NewtonFailure,
                            "the iteration matrix of RadauIIA5 is repeatedly singular at t = " +
                                text::format_number(t_) + " (for a DAE: is it index 1?)");
          unexpected_rejection(h);
          continue;
        }
        factored_h_ = h;
      }
      const Newton newton = solve_stages(h);
      if (newton == Newton::Failed) {
        unexpected_rejection(h);
        continue;
      }
      if (newton == Newton::TooSlow) {  // converging, but too slowly for this h: h_ was cut already
        newton_failed_ = true;
        ++ig_.stats.newton_failures;
        reject_ = true;
        if (!jac_fresh_) need_jacobian_ = true;
        continue;
      }
      newton_failed_ = false;
      const double err = error_estimate(h);
      // h_new = h / quot with 1/8 <= quot <= 5, the safety factor lowered when Newton needed many iterations.
      const double fac = std::min(kSafe, kSafe * (1 + 2 * kNit) / (newton_iterations_ + 2 * kNit));
      double quot = std::clamp(fourth_root(err) / fac, kFacR, kFacL);
      double h_new = h / quot;
      if (err < 1.0) {
        first_ = false;
        singular_ = 0;
        if (++accepted_ > 1) {  // Gustafsson's predictive controller
          const double gus = std::clamp((h_acc_ / h) * fourth_root(err * err / err_acc_) / kSafe, kFacR, kFacL);
          quot = std::max(quot, gus);
          h_new = h / quot;
        }
        h_acc_ = h;
        err_acc_ = std::max(1e-2, err);
        accept(h, lands ? t_limit : t_ + h);
        if (reject_) h_new = std::min(h_new, h);
        reject_ = false;
        const double ratio = h_new / h;
        if (theta_ <= kThet && ratio >= kQuot1 && ratio <= kQuot2) {
          h_ = h;  // keep h and the factorizations
        } else {
          h_ = h_new;
        }
        if (lands) h_ = std::max(h_, h);
        need_jacobian_ = theta_ > kThet;  // Newton converged fast: the Jacobian is still good
        jac_fresh_ = false;
        return true;
      }
      ++ig_.stats.rejected_steps;
      reject_ = true;
      h_ = first_ ? 0.1 * h : h_new;
      if (!jac_fresh_) need_jacobian_ = true;
    }
  }

  void dense_coefficients(double* c) override {
    // radau5.f's CONTR5: x(s) = x1 + s (C1 + (s - c2 + 1) (C2 + (s - c1 + 1) C3)), s = theta - 1; in theta:
    // x1 + (theta - 1) (v0 + v1 theta + v2 theta^2), which passes through x0 at theta = 0.
    const std::size_t n = static_cast<std::size_t>(n_);
    const double c1 = tab_.c[0], c2 = tab_.c[1];
    for (std::size_t q = 0; q < n; ++q) {
      const double k1 = cont_[0][q], k2 = cont_[1][q], k3 = cont_[2][q];
      const double v0 = k1 - c2 * k2 + c1 * c2 * k3, v1 = k2 - (c1 + c2) * k3, v2 = k3;
      c[q] = x_old_[q];
      c[n + q] = v0 - v1;
      c[2 * n + q] = v1 - v2;
      c[3 * n + q] = v2;
    }
  }

 private:
  enum class Newton { Converged, TooSlow, Failed };

  // radau5.f's "unexpected step rejection" (label 78): a singular matrix or a diverging Newton iteration halves h;
  // a Jacobian that is not fresh is recomputed first.
  void unexpected_rejection(double h) {
    newton_failed_ = true;
    ++ig_.stats.newton_failures;
    reject_ = true;
    h_ = 0.5 * h;
    if (!jac_fresh_) need_jacobian_ = true;
  }

  // Simplified Newton on the transformed stage equations with the factored matrices for step h.
  Newton solve_stages(double h) {
    const std::size_t n = static_cast<std::size_t>(n_);
    const auto& T = tab_.T;
    const auto& TI = tab_.TI;
    // Starting values: the last step's collocation polynomial, extrapolated, or zero after a restart.
    if (first_) {
      for (int i = 0; i < 3; ++i) {
        std::fill(z_[static_cast<std::size_t>(i)].begin(), z_[static_cast<std::size_t>(i)].end(), 0.0);
        std::fill(w_stage_[static_cast<std::size_t>(i)].begin(), w_stage_[static_cast<std::size_t>(i)].end(), 0.0);
      }
    } else {
      const double c3q = h / h_old_;
      const double cq[3] = {tab_.c[0] * c3q, tab_.c[1] * c3q, c3q};
      const double c1m1 = tab_.c[0] - 1, c2m1 = tab_.c[1] - 1;
      for (std::size_t q = 0; q < n; ++q) {
        const double k1 = cont_[0][q], k2 = cont_[1][q], k3 = cont_[2][q];
        for (std::size_t i = 0; i < 3; ++i) z_[i][q] = cq[i] * (k1 + (cq[i] - c2m1) * (k2 + (cq[i] - c1m1) * k3));
        for (std::size_t i = 0; i < 3; ++i)
          w_stage_[i][q] = TI[i * 3] * z_[0][q] + TI[i * 3 + 1] * z_[1][q] + TI[i * 3 + 2] * z_[2][q];
      }
    }
    const double fac1 = tab_.gamma / h, alphn = tab_.alpha / h, betan = tab_.beta / h;
    faccon_ = std::pow(std::max(faccon_, kEps), 0.8);
    theta_ = kThet;
    double dyno_old = 0.0, thq_old = 0.0;
    newton_iterations_ = 0;
    for (;;) {
      if (newton_iterations_ >= kNit) return Newton::Failed;
      for (std::size_t i = 0; i < 3; ++i) {
        for (std::size_t q = 0; q < n; ++q) y_[q] = x_old_[q] + z_[i][q];
        ig_.f(t_ + tab_.c[i] * h, y_.data(), f_[i].data());
      }
      ++ig_.stats.newton_iterations;
      // Right-hand sides (TI (x) I) F - (Lambda / h (x) M) W, then the real and the complex solve.
      for (std::size_t i = 0; i < 3; ++i) w_.mass_times(w_stage_[i].data(), mw_[i].data());
      for (std::size_t q = 0; q < n; ++q) {
        const double a1 = f_[0][q], a2 = f_[1][q], a3 = f_[2][q];
        const double w1 = mw_[0][q], w2 = mw_[1][q], w3 = mw_[2][q];
        z_[0][q] = TI[0] * a1 + TI[1] * a2 + TI[2] * a3 - fac1 * w1;
        z_[1][q] = TI[3] * a1 + TI[4] * a2 + TI[5] * a3 - (alphn * w2 - betan * w3);
        z_[2][q] = TI[6] * a1 + TI[7] * a2 + TI[8] * a3 - (alphn * w3 + betan * w2);
      }
      w_.solve(z_[0].data());
      w_.solve_complex(z_[1].data(), z_[2].data());
      ++newton_iterations_;
      double sum = 0.0;
      for (std::size_t q = 0; q < n; ++q) {
        const double s = scal_[q];
        sum += (z_[0][q] / s) * (z_[0][q] / s) + (z_[1][q] / s) * (z_[1][q] / s) + (z_[2][q] / s) * (z_[2][q] / s);
      }
      const double dyno = std::sqrt(sum / (3.0 * static_cast<double>(n)));
      if (!std::isfinite(dyno)) return Newton::Failed;
      if (newton_iterations_ > 1 && newton_iterations_ < kNit) {
        const double thq = dyno / dyno_old;
        theta_ = newton_iterations_ == 2 ? thq : std::sqrt(thq * thq_old);
        thq_old = thq;
        if (!(theta_ < 0.99)) return Newton::Failed;
        faccon_ = theta_ / (1 - theta_);
        // The error left after the remaining iterations, predicted from theta: too large means h must shrink.
        const double dyth = faccon_ * dyno * power(theta_, kNit - 1 - newton_iterations_) / fnewt_;
        if (dyth >= 1.0) {
          const double qnewt = std::clamp(dyth, 1e-4, 20.0);
          h_ = 0.8 * std::pow(qnewt, -1.0 / (4.0 + kNit - 1 - newton_iterations_)) * h;
          return Newton::TooSlow;
        }
      }
      dyno_old = std::max(dyno, kEps);
      for (std::size_t q = 0; q < n; ++q) {
        for (std::size_t i = 0; i < 3; ++i) w_stage_[i][q] += z_[i][q];
        const double w1 = w_stage_[0][q], w2 = w_stage_[1][q], w3 = w_stage_[2][q];
        for (std::size_t i = 0; i < 3; ++i) z_[i][q] = T[i * 3] * w1 + T[i * 3 + 1] * w2 + T[i * 3 + 2] * w3;
      }
      if (faccon_ * dyno <= fnewt_) return Newton::Converged;
    }
  }

  // ESTRAD: err = (gamma / h M - J)^-1 (f(t, x) + M sum_i e_i Z_i / h); after a rejection or at the first step,
  // a large estimate is refined once with f at x + err (which damps the estimate's stiff components).
  double error_estimate(double h) {
    const std::size_t n = static_cast<std::size_t>(n_);
    const double hee1 = tab_.e[0] / h, hee2 = tab_.e[1] / h, hee3 = tab_.e[2] / h;
    for (std::size_t q = 0; q < n; ++q) tmp_[q] = hee1 * z_[0][q] + hee2 * z_[1][q] + hee3 * z_[2][q];
    w_.mass_times(tmp_.data(), tmp_.data());
    for (std::size_t q = 0; q < n; ++q) err_[q] = tmp_[q] + f0_[q];
    w_.solve(err_.data());
    double err = scaled_norm(err_);
    if (err >= 1.0 && (first_ || reject_)) {
      for (std::size_t q = 0; q < n; ++q) y_[q] = x_old_[q] + err_[q];
      ig_.f(t_, y_.data(), fz_.data());
      for (std::size_t q = 0; q < n; ++q) err_[q] = fz_[q] + tmp_[q];
      w_.solve(err_.data());
      err = scaled_norm(err_);
    }
    return std::isfinite(err) ? err : std::numeric_limits<double>::infinity();
  }

  double scaled_norm(const std::vector<double>& v) const {
    double sum = 0.0;
    for (std::size_t q = 0; q < v.size(); ++q) sum += (v[q] / scal_[q]) * (v[q] / scal_[q]);
    return std::max(std::sqrt(sum / static_cast<double>(std::max<std::size_t>(v.size(), 1))), 1e-10);
  }

  // x_new = x + Z_3 (c_3 = 1), and the collocation polynomial's Newton coefficients for dense output and the next
  // step's starting values (radau5.f's CONT).
  void accept(double h, double t_new) {
    const std::size_t n = static_cast<std::size_t>(n_);
    const double c1 = tab_.c[0], c2 = tab_.c[1];
    for (std::size_t q = 0; q < n; ++q) {
      const double z1 = z_[0][q], z2 = z_[1][q], z3 = z_[2][q];
      x_[q] = x_old_[q] + z3;
      cont_[0][q] = (z2 - z3) / (c2 - 1);
      const double ak = (z1 - z2) / (c1 - c2);
      const double acont3 = (ak - z1 / c1) / c2;
      cont_[1][q] = (ak - cont_[0][q]) / (c1 - 1);
      cont_[2][q] = cont_[1][q] - acont3;
    }
    h_old_ = h;
    t_prev_ = t_;
    t_ = t_new;
  }

  static constexpr double kEps = std::numeric_limits<double>::epsilon();
  static constexpr int kNit = 7;          // Newton iterations allowed per step
  static constexpr double kThet = 0.001;  // theta below this: keep the Jacobian
  static constexpr double kSafe = 0.9;
  static constexpr double kFacL = 5.0, kFacR = 0.125;  // 1/5 <= h_new / h <= 8
  static constexpr double kQuot1 = 1.0, kQuot2 = 1.2;  // keep h (and the LU) for ratios in [1, 1.2]

  const RadauTableau& tab_;
  int order_;  ///< the registry row's
  NewtonMatrix w_;
  std::vector<double> x_old_, f0_, scal_, y_, tmp_, err_, fz_;
  std::array<std::vector<double>, 3> z_, w_stage_, mw_, f_, cont_;  // mw_: M times w_stage_
  double fnewt_ = 0.0;
  double h_ = 0.0, h_old_ = 0.0, factored_h_ = 0.0, h_acc_ = 0.0, err_acc_ = 1.0;
  double faccon_ = 1.0, theta_ = kThet;
  int newton_iterations_ = 0, singular_ = 0;
  long accepted_ = 0;
  bool fresh_f0_ = false, need_jacobian_ = true, jac_fresh_ = false, first_ = true, reject_ = false;
  bool newton_failed_ = false;
};

}  // namespace

std::unique_ptr<Stepper> make_radau(const MethodRow& row, Integration& ig) {
  if (!row.tableau.radau) return nullptr;
  return std::make_unique<Radau5>(*row.tableau.radau, row.info.order, ig);
}

}  // namespace numen::detail
