// Adaptive explicit Runge-Kutta pairs with their dense outputs. Coefficients are published facts; each tableau
// names its source.
#include <algorithm>
#include <limits>

#include "solve/stepper.h"
#include "solve/tableaus.h"

namespace numen::detail {
namespace {

class ExplicitRK final : public Stepper {
 public:
  ExplicitRK(const ErkTableau& tab, Integration& ig) : Stepper(ig), tab_(tab) {
    const std::size_t n = static_cast<std::size_t>(n_);
    k_.assign(static_cast<std::size_t>(tab.stages), std::vector<double>(n));
    x_old_.resize(n);
    tmp_.resize(n);
    err_.resize(n);
  }

  std::string name() const override { return tab_.name; }
  int dense_degree() const override { return tab_.dense_degree; }

  void reset(double t, const double* x) override {
    t_ = t_prev_ = t;
    std::copy(x, x + n_, x_.begin());
    ig_.f(t, x, k_[0].data());
    have_k0_ = true;
    if (h_ <= 0) h_ = ig_.options.dt0 > 0 ? ig_.options.dt0 : initial_step(t, x, k_[0].data(), tab_.order);
    err_old_ = 1e-4;
  }

  bool step(double t_limit) override {
    const int s = tab_.stages;
    if (!have_k0_) {  // k_ still held the last step's stages for dense output until now
      if (tab_.fsal) std::swap(k_[0], k_[static_cast<std::size_t>(s - 1)]);  // first same as last
      else ig_.f(t_, x_.data(), k_[0].data());
      have_k0_ = true;
    }
    std::copy(x_.begin(), x_.end(), x_old_.begin());
    nonfinite_ = false;
    for (;;) {
      const double h = clip(h_, t_limit);
      const bool lands = h == t_limit - t_;
      if (h <= 16 * std::numeric_limits<double>::epsilon() * std::max(1.0, std::fabs(t_))) {
        std::copy(x_old_.begin(), x_old_.end(), x_.begin());
        if (nonfinite_) return ig_.fail(SolveStatus::NonFinite, nonfinite_message_);
        return ig_.fail_step_size(t_, h);
      }
      for (int i = 1; i < s; ++i) {
        const double* a = &tab_.a[static_cast<std::size_t>(i * s)];
        for (int m = 0; m < n_; ++m) {
          double acc = 0.0;
          for (int j = 0; j < i; ++j) acc += a[j] * k_[static_cast<std::size_t>(j)][static_cast<std::size_t>(m)];
          tmp_[static_cast<std::size_t>(m)] = x_old_[static_cast<std::size_t>(m)] + h * acc;
        }
        if (tab_.fsal && i == s - 1) std::copy(tmp_.begin(), tmp_.end(), x_.begin());
        ig_.f(t_ + tab_.c[static_cast<std::size_t>(i)] * h, tmp_.data(), k_[static_cast<std::size_t>(i)].data());
      }
      if (!tab_.fsal) {
        for (int m = 0; m < n_; ++m) {
          double acc = 0.0;
          for (int j = 0; j < s; ++j) acc += tab_.b[static_cast<std::size_t>(j)] * k_[static_cast<std::size_t>(j)][static_cast<std::size_t>(m)];
          x_[static_cast<std::size_t>(m)] = x_old_[static_cast<std::size_t>(m)] + h * acc;
        }
      }
      for (int m = 0; m < n_; ++m) {
        double acc = 0.0;
        for (int j = 0; j < s; ++j) acc += tab_.btilde[static_cast<std::size_t>(j)] * k_[static_cast<std::size_t>(j)][static_cast<std::size_t>(m)];
        err_[static_cast<std::size_t>(m)] = h * acc;
      }
      const double err = ig_.error_norm(err_.data(), x_old_.data(), x_.data());
      if (!std::isfinite(err)) {
        // NaN or Inf inside the step: remember where, and shrink hard. If the step size underflows this way, the
        // failure names the equation that produced it.
        ++ig_.stats.rejected_steps;
        note_non_finite(h);
        h_ = h * 0.25;
        continue;
      }
      nonfinite_ = false;
      // PI step-size control (Hairer-Wanner, DOPRI5's controller): exponents from the embedded order.
      const double expo1 = 1.0 / (tab_.embedded_order + 1) - 0.75 * tab_.beta;
      const double fac11 = std::pow(std::max(err, 1e-300), expo1);
      if (err <= 1.0) {
        double fac = fac11 / std::pow(err_old_, tab_.beta);
        fac = std::max(1.0 / 10.0, std::min(1.0 / 0.2, fac / 0.9));  // facmax 10, facmin 0.2, safety 0.9
        err_old_ = std::max(err, 1e-4);
        t_prev_ = t_;
        t_ = lands ? t_limit : t_ + h;
        h_last_ = h;
        h_ = h / fac;
        if (lands) h_ = std::max(h_, h);  // a step shortened to land on t_limit says nothing about the next one
        have_k0_ = false;
        return true;
      }
      ++ig_.stats.rejected_steps;
      h_ = h / std::min(1.0 / 0.2, fac11 / 0.9);
    }
  }

  void dense_coefficients(double* c) override {
    // x(theta) = x0 + h * sum_i k_i * b_i(theta), b_i(theta) = sum_m r[i][m] theta^(m+1).
    const std::size_t n = static_cast<std::size_t>(n_);
    const int deg = tab_.dense_degree;
    const double h = t_ - t_prev_;
    std::copy(x_old_.begin(), x_old_.end(), c);
    const auto& kstages = k_;
    const int s_dense = static_cast<int>(tab_.r.size()) / deg;
    for (int m = 1; m <= deg; ++m) {
      double* row = c + static_cast<std::size_t>(m) * n;
      for (std::size_t q = 0; q < n; ++q) {
        double acc = 0.0;
        for (int i = 0; i < s_dense; ++i) acc += tab_.r[static_cast<std::size_t>(i * deg + m - 1)] * kstages[static_cast<std::size_t>(i)][q];
        row[q] = h * acc;
      }
    }
  }

 private:
  // Finds the first stage whose derivative is not finite and describes it.
  void note_non_finite(double h) {
    nonfinite_ = true;
    for (int i = 0; i < tab_.stages; ++i) {
      const auto& k = k_[static_cast<std::size_t>(i)];
      for (int j = 0; j < n_; ++j) {
        if (std::isfinite(k[static_cast<std::size_t>(j)])) continue;
        nonfinite_message_ = ig_.non_finite_message(t_ + tab_.c[static_cast<std::size_t>(i)] * h, j,
                                                    k[static_cast<std::size_t>(j)]);
        return;
      }
    }
    nonfinite_message_ = "the solution became NaN or Inf in the step from t = " + std::to_string(t_);
  }

  const ErkTableau& tab_;
  std::vector<std::vector<double>> k_;
  std::vector<double> x_old_, tmp_, err_;
  double h_ = 0.0, h_last_ = 0.0, err_old_ = 1e-4;
  bool have_k0_ = false;
  bool nonfinite_ = false;
  std::string nonfinite_message_;
};

}  // namespace

std::unique_ptr<Stepper> make_explicit_rk(const MethodInfo& method, Integration& ig) {
  const ErkTableau* tab = find_erk_tableau(method.name);
  if (!tab) return nullptr;
  return std::make_unique<ExplicitRK>(*tab, ig);
}

}  // namespace numen::detail
