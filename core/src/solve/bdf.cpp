// Variable-order (1-5), variable-step BDF in backward-difference form with quasi-constant step size, after
// Shampine & Reichelt, "The MATLAB ODE Suite" (SIAM J. Sci. Comput. 18, 1997) and Shampine's ode15s. The corrector
// is solved by simplified Newton with W = M - c J (c = h / alpha_k), kept across steps: J is refreshed only when
// Newton converges badly, W refactored only when c changes. Index-1 DAEs through the mass matrix.
#include <algorithm>
#include <array>
#include <limits>

#include "solve/linear.h"
#include "solve/registry.h"
#include "solve/stepper.h"

namespace numen::detail {
namespace {

constexpr int kMaxOrder = 5;
constexpr int kNewtonMaxIter = 4;
constexpr double kMinFactor = 0.2, kMaxFactor = 10.0;

class Bdf final : public Stepper {
 public:
  explicit Bdf(Integration& ig) : Stepper(ig), w_(ig) {
    const std::size_t n = static_cast<std::size_t>(n_);
    D_.assign(kMaxOrder + 3, std::vector<double>(n));
    for (auto* v : {&f_, &y_pred_, &psi_, &d_, &dy_, &y_, &scale_, &tmp_, &err_}) v->resize(n);
    gamma_[0] = 0.0;
    for (int k = 1; k <= kMaxOrder + 1; ++k)
      gamma_[static_cast<std::size_t>(k)] = gamma_[static_cast<std::size_t>(k - 1)] + 1.0 / k;
    for (int k = 0; k <= kMaxOrder + 1; ++k) {
      alpha_[static_cast<std::size_t>(k)] = gamma_[static_cast<std::size_t>(k)];  // kappa = 0: BDF, not NDF
      error_const_[static_cast<std::size_t>(k)] = 1.0 / (k + 1);
    }
  }

  std::string name() const override { return "BDF"; }
  int dense_degree() const override { return dense_order_; }

  void reset(double t, const double* x) override {
    t_ = t_prev_ = t;
    std::copy(x, x + n_, x_.begin());
    ig_.f(t, x, f_.data());
    if (h_ <= 0) h_ = ig_.options.dt0 > 0 ? ig_.options.dt0 : initial_step(t, x, f_.data(), 1);
    // Order 1 from the derivative; algebraic variables have none to give (their rows hold residuals).
    for (int i = 0; i < n_; ++i) {
      D_[0][static_cast<std::size_t>(i)] = x[i];
      const bool differential = ig_.mask.empty() || ig_.mask[static_cast<std::size_t>(i)];
      D_[1][static_cast<std::size_t>(i)] = differential ? h_ * f_[static_cast<std::size_t>(i)] : 0.0;
    }
    for (int k = 2; k < kMaxOrder + 3; ++k)
      std::fill(D_[static_cast<std::size_t>(k)].begin(), D_[static_cast<std::size_t>(k)].end(), 0.0);
    order_ = 1;
    equal_steps_ = 0;
    jac_current_ = false;
    lu_c_ = 0.0;
  }

  bool step(double t_limit) override {
    for (;;) {
      // The step size changes only through rescale(), which keeps the differences consistent with it.
      double h = h_;
      if (h > ig_.options.dtmax) rescale(ig_.options.dtmax / h);
      h = h_;
      const bool lands = t_ + h >= t_limit || t_ + 1.01 * h >= t_limit;
      if (lands && t_limit - t_ != h) rescale((t_limit - t_) / h);
      h = h_;
      if (h <= 16 * std::numeric_limits<double>::epsilon() * std::max(1.0, std::fabs(t_))) {
        if (newton_failed_)
          return ig_.fail(SolveStatus::NewtonFailure,
                          "BDF's Newton iterations failed to converge at t = " + std::to_string(t_) +
                              " even with tiny steps; the Jacobian may be singular there (for a DAE: is it index 1?)");
        return ig_.fail_step_size(t_, h, name());
      }
      const double t_new = lands ? t_limit : t_ + h;
      const std::size_t n = static_cast<std::size_t>(n_);
      const std::size_t k = static_cast<std::size_t>(order_);
      for (std::size_t i = 0; i < n; ++i) {
        double pred = 0.0, psi = 0.0;
        for (std::size_t j = 0; j <= k; ++j) pred += D_[j][i];
        for (std::size_t j = 1; j <= k; ++j) psi += gamma_[j] * D_[j][i];
        y_pred_[i] = pred;
        psi_[i] = psi / alpha_[k];
        scale_[i] = ig_.atol[i] + ig_.rtol * std::fabs(pred);
      }
      const double c = h / alpha_[k];
      if (!w_.has_jacobian()) refresh_jacobian();
      // Refactor only when c moved by more than 30% (as CVODE does); Newton scales for a smaller mismatch.
      if (lu_c_ == 0.0 || std::fabs(c / lu_c_ - 1.0) > 0.3) {
        if (!w_.factor(1.0 / c)) {
          ++ig_.stats.newton_failures;  // a singular iteration matrix: no corrector at this step size
          rescale(0.25);
          continue;
        }
        lu_c_ = c;
      }
      int iterations = 0;
      if (!correct(t_new, c, iterations)) {
        newton_failed_ = true;
        ++ig_.stats.newton_failures;
        if (!jac_current_) {
          refresh_jacobian();
        } else {
          rescale(0.5);
        }
        continue;
      }
      newton_failed_ = false;
      // Error of order k: error_const_k * d, scaled by the new solution.
      for (std::size_t i = 0; i < n; ++i) {
        scale_[i] = ig_.atol[i] + ig_.rtol * std::fabs(y_[i]);
        err_[i] = error_const_[k] * d_[i] / scale_[i];
      }
      const double error = rms(err_);
      const double safety = 0.9 * (2 * kNewtonMaxIter + 1) / (2 * kNewtonMaxIter + iterations);
      if (!(error <= 1.0)) {
        ++ig_.stats.rejected_steps;
        const double factor =
            std::isfinite(error) ? std::max(kMinFactor, safety * std::pow(error, -1.0 / (order_ + 1))) : 0.25;
        rescale(factor);
        continue;
      }
      accept(t_new, h);
      choose_next(error, safety);
      return true;
    }
  }

  void dense_coefficients(double* c) override {
    const std::size_t n = static_cast<std::size_t>(n_);
    std::copy(dense_.begin(), dense_.begin() + static_cast<long>((dense_order_ + 1) * n), c);
  }

 private:
  static double rms(const std::vector<double>& v) {
    double s = 0.0;
    for (double x : v) s += x * x;
    return v.empty() ? 0.0 : std::sqrt(s / static_cast<double>(v.size()));
  }

  void refresh_jacobian() {
    ig_.f(t_, x_.data(), f_.data());
    w_.update_mass(t_, x_.data());
    w_.update_jacobian(t_, x_.data(), f_.data());
    jac_current_ = true;
    lu_c_ = 0.0;
  }

  // Simplified Newton on the corrector M (psi + d) = c f(t_new, y_pred + d); y_ and d_ hold the result.
  bool correct(double t_new, double c, int& iterations) {
    const std::size_t n = static_cast<std::size_t>(n_);
    const double tol =
        std::max(10 * std::numeric_limits<double>::epsilon() / ig_.rtol, std::min(0.03, std::sqrt(ig_.rtol)));
    std::fill(d_.begin(), d_.end(), 0.0);
    y_ = y_pred_;
    double previous = 0.0;
    // W was factored for c_lu; scaling the correction by 2 / (1 + c / c_lu) keeps Newton on track when they differ
    // (as CVODE does).
    const double ratio = lu_c_ > 0 ? c / lu_c_ : 1.0;
    const double correction = 2.0 / (1.0 + ratio);
    for (int it = 0; it < kNewtonMaxIter; ++it) {
      iterations = it + 1;
      ig_.f(t_new, y_.data(), f_.data());
      ++ig_.stats.newton_iterations;
      for (std::size_t i = 0; i < n; ++i) tmp_[i] = psi_[i] + d_[i];
      w_.update_mass(t_new, y_.data());  // a varying M at the iterate; W keeps the one it was factored with
      w_.mass_times(tmp_.data(), tmp_.data());
      // (M/c_lu - J) dy' = f - M (psi + d) / c   =>   dy = dy' scaled back to (M - c J) dy = c f - M (psi + d)
      for (std::size_t i = 0; i < n; ++i) dy_[i] = f_[i] - tmp_[i] / c;
      w_.solve(dy_.data());
      for (std::size_t i = 0; i < n; ++i) dy_[i] *= correction * (c / lu_c_);
      double norm = 0.0;
      for (std::size_t i = 0; i < n; ++i) {
        const double r = dy_[i] / scale_[i];
        norm += r * r;
      }
      norm = std::sqrt(norm / static_cast<double>(n));
      if (!std::isfinite(norm)) return false;
      double rate = 0.0;
      if (it > 0) {
        rate = norm / previous;
        if (rate >= 1.0 || std::pow(rate, kNewtonMaxIter - it) / (1 - rate) * norm > tol) return false;
      }
      for (std::size_t i = 0; i < n; ++i) {
        y_[i] += dy_[i];
        d_[i] += dy_[i];
      }
      if (norm == 0.0 || (it > 0 && rate / (1 - rate) * norm < tol)) return true;
      previous = norm;
    }
    return false;
  }

  void accept(double t_new, double h) {
    const std::size_t n = static_cast<std::size_t>(n_);
    const std::size_t k = static_cast<std::size_t>(order_);
    t_prev_ = t_;
    t_ = t_new;
    x_ = y_;
    ++equal_steps_;
    // Update the differences: D[k+2] = d - D[k+1], D[k+1] = d, D[i] += D[i+1] for i = k .. 0.
    for (std::size_t i = 0; i < n; ++i) {
      D_[k + 2][i] = d_[i] - D_[k + 1][i];
      D_[k + 1][i] = d_[i];
    }
    for (std::size_t j = k + 1; j-- > 0;)
      for (std::size_t i = 0; i < n; ++i) D_[j][i] += D_[j + 1][i];
    // Dense output: the interpolant through the last k + 1 points, p(t_new + (theta - 1) h) =
    //   sum_j D[j] prod_{m<j} (theta + m - 1) / (m + 1), expanded in powers of theta.
    dense_order_ = order_;
    dense_.assign(static_cast<std::size_t>(dense_order_ + 1) * n, 0.0);
    std::vector<double> poly{1.0};  // prod_{m<j} (theta + m - 1) / (m + 1)
    for (std::size_t j = 0; j <= k; ++j) {
      if (j > 0) {
        const double m = static_cast<double>(j - 1);
        std::vector<double> next(poly.size() + 1, 0.0);
        for (std::size_t p = 0; p < poly.size(); ++p) {
          next[p] += poly[p] * (m - 1) / (m + 1);
          next[p + 1] += poly[p] / (m + 1);
        }
        poly.swap(next);
      }
      for (std::size_t p = 0; p < poly.size(); ++p)
        for (std::size_t i = 0; i < n; ++i) dense_[p * n + i] += poly[p] * D_[j][i];
    }
    (void)h;
    jac_current_ = false;
  }

  // Order and step size for the next step (only after order + 1 steps at the current size).
  void choose_next(double error, double safety) {
    if (equal_steps_ < order_ + 1) return;
    const std::size_t n = static_cast<std::size_t>(n_);
    const std::size_t k = static_cast<std::size_t>(order_);
    auto norm_of = [&](std::size_t row, double constant) {
      for (std::size_t i = 0; i < n; ++i) err_[i] = constant * D_[row][i] / scale_[i];
      return rms(err_);
    };
    const double e_lower = order_ > 1 ? norm_of(k, error_const_[k - 1]) : std::numeric_limits<double>::infinity();
    const double e_higher = order_ < std::min(kMaxOrder, ig_.options.max_order)
                                ? norm_of(k + 2, error_const_[k + 1])
                                : std::numeric_limits<double>::infinity();
    const double factors[3] = {std::pow(std::max(e_lower, 1e-300), -1.0 / order_),
                               std::pow(std::max(error, 1e-300), -1.0 / (order_ + 1)),
                               std::pow(std::max(e_higher, 1e-300), -1.0 / (order_ + 2))};
    const int best = static_cast<int>(std::max_element(factors, factors + 3) - factors);
    order_ += best - 1;
    const double factor = std::min(kMaxFactor, safety * factors[best]);
    rescale(factor);
  }

  // Changes the step size by `factor`, re-expressing the differences on the new grid (Shampine & Reichelt's R U).
  void rescale(double factor) {
    equal_steps_ = 0;
    if (factor == 1.0) return;
    const int k = order_;
    auto R = [k](double f) {
      std::vector<double> m(static_cast<std::size_t>((k + 1) * (k + 1)), 0.0);
      for (int j = 0; j <= k; ++j) m[static_cast<std::size_t>(j)] = 1.0;  // row 0
      for (int i = 1; i <= k; ++i)
        for (int j = 1; j <= k; ++j)
          m[static_cast<std::size_t>(i * (k + 1) + j)] = (i - 1 - f * j) / static_cast<double>(i);
      for (int i = 1; i <= k; ++i)  // cumulative product down the columns
        for (int j = 0; j <= k; ++j)
          m[static_cast<std::size_t>(i * (k + 1) + j)] *= m[static_cast<std::size_t>((i - 1) * (k + 1) + j)];
      return m;
    };
    const std::vector<double> r = R(factor), u = R(1.0);
    std::vector<double> ru(static_cast<std::size_t>((k + 1) * (k + 1)), 0.0);
    for (int i = 0; i <= k; ++i)
      for (int j = 0; j <= k; ++j) {
        double acc = 0.0;
        for (int m = 0; m <= k; ++m)
          acc += r[static_cast<std::size_t>(i * (k + 1) + m)] * u[static_cast<std::size_t>(m * (k + 1) + j)];
        ru[static_cast<std::size_t>(i * (k + 1) + j)] = acc;
      }
    // D[0..k] = (R U)^T D[0..k]
    const std::size_t n = static_cast<std::size_t>(n_);
    std::vector<std::vector<double>> next(static_cast<std::size_t>(k + 1), std::vector<double>(n, 0.0));
    for (int j = 0; j <= k; ++j)
      for (int m = 0; m <= k; ++m) {
        const double w = ru[static_cast<std::size_t>(m * (k + 1) + j)];
        if (w == 0.0) continue;
        for (std::size_t i = 0; i < n; ++i)
          next[static_cast<std::size_t>(j)][i] += w * D_[static_cast<std::size_t>(m)][i];
      }
    for (int j = 0; j <= k; ++j) D_[static_cast<std::size_t>(j)].swap(next[static_cast<std::size_t>(j)]);
    h_ *= factor;
  }

  NewtonMatrix w_;
  std::vector<std::vector<double>> D_;
  std::vector<double> f_, y_pred_, psi_, d_, dy_, y_, scale_, tmp_, err_, dense_;
  std::array<double, kMaxOrder + 2> gamma_{}, alpha_{}, error_const_{};
  double h_ = 0.0, lu_c_ = 0.0;
  int order_ = 1, equal_steps_ = 0, dense_order_ = 1;
  bool jac_current_ = false, newton_failed_ = false;
};

}  // namespace

std::unique_ptr<Stepper> make_bdf(const MethodRow&, Integration& ig) { return std::make_unique<Bdf>(ig); }

}  // namespace numen::detail
