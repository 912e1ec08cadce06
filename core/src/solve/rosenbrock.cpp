// Rosenbrock-Wanner methods: linearly implicit, one LU factorization per step, exact Jacobian, index-1 DAEs through
// the mass matrix. Rodas4 / Rodas5P in Hairer's transformed form (tableaus_implicit.cpp); Rosenbrock23 is
// Shampine's ode23s pair (Shampine & Reichle 1997), which has its own stage structure.
#include <algorithm>
#include <cmath>
#include <limits>

#include "common/text.h"
#include "solve/controller.h"
#include "solve/invariants.h"
#include "solve/linear.h"
#include "solve/registry.h"
#include "solve/stepper.h"
#include "solve/tableaus.h"

namespace numen::detail {
namespace {

bool step_too_small(double h, double t) {
  return h <= 16 * std::numeric_limits<double>::epsilon() * std::max(1.0, std::fabs(t));
}

// A stage solve whose last refinement correction is still this large (weighted norm, 1 = the tolerance) is not
// accurate to the tolerances: the step is redone smaller.
constexpr double kLinearTrust = 0.1;

// A conservation law c^T x = const that the solution has left by this many times the tolerance of c^T x: the
// result is wrong (see solve/invariants.h), however small the error estimates were.
constexpr double kInvariantDriftLimit = 10.0;
// Laws are looked for in dense ODEs up to this size (an SVD of J per restart).
constexpr int kInvariantWatchMaxSize = 64;

bool fail_ill_conditioned(Integration& ig, const std::string& method, double t) {
  return ig.fail(SolveStatus::StepSizeTooSmall,
                 "the linear systems of " + method + " are too ill-conditioned at t = " + std::to_string(t) +
                     " to be solved to the tolerances even with tiny steps; its result could not be vouched for (try "
                     "BDF or KenCarp4, whose Newton iterations correct their own linear algebra, or loosen atol)");
}

class Rodas final : public Stepper {
 public:
  Rodas(const RosenbrockTableau& tab, int order, Integration& ig)
      : Stepper(ig), tab_(tab), order_(order), w_(ig), control_(tab.embedded_order + 1) {
    const std::size_t n = static_cast<std::size_t>(n_);
    k_.assign(static_cast<std::size_t>(tab.stages), std::vector<double>(n));
    f0_.resize(n);
    fx_.resize(n);
    dfdt_.resize(n);
    x_old_.resize(n);
    stage_.resize(n);
    rhs_.resize(n);
    tmp_.resize(n);
    err_.resize(n);
    dense_.assign(static_cast<std::size_t>(tab.dense_rows), std::vector<double>(n));
  }

  std::string name() const override { return tab_.name; }
  int dense_degree() const override { return tab_.dense_rows + 1; }

  void reset(double t, const double* x) override {
    t_ = t_prev_ = t;
    std::copy(x, x + n_, x_.begin());
    ig_.f(t, x, f0_.data());
    if (h_ <= 0) h_ = ig_.options.dt0 > 0 ? ig_.options.dt0 : initial_step(t, x, f0_.data(), order_);
    control_.reset();
    fresh_f0_ = true;
    rebase_laws_ = true;  // an event may have moved c^T x: the laws' values are taken anew, the laws are kept
  }

  bool step(double t_limit) override {
    if (!fresh_f0_) ig_.f(t_, x_.data(), f0_.data());
    fresh_f0_ = false;
    std::copy(x_.begin(), x_.end(), x_old_.begin());
    w_.update_jacobian(t_, x_old_.data(), f0_.data());
    w_.time_derivative(t_, x_old_.data(), f0_.data(), dfdt_.data());
    watch_laws();
    bool rejected = false;
    for (;;) {
      const double h = clip(h_, t_limit);
      const bool lands = h == t_limit - t_;
      if (step_too_small(h, t_)) {
        if (ill_conditioned_) return fail_ill_conditioned(ig_, tab_.name, t_);
        return ig_.fail_step_size(t_, h, name());
      }
      if (!w_.factor(1.0 / (h * tab_.gamma))) {
        h_ = h * 0.25;  // a singular iteration matrix at this h; a smaller one shifts the spectrum
        ++ig_.stats.rejected_steps;
        continue;
      }
      const double err = attempt(h);
      if (linear_error_ > kLinearTrust) {
        // Refinement could not make the stage solves accurate to the tolerances: W is too ill-conditioned at this
        // h gamma. A smaller step makes W better conditioned (it moves towards M / (h gamma)).
        h_ = h * 0.25;
        ++ig_.stats.rejected_steps;
        ill_conditioned_ = true;
        continue;
      }
      ill_conditioned_ = false;
      if (err <= 1.0) {
        if (!laws_.empty() && laws_.drift(x_.data(), ig_.atol, ig_.rtol) > kInvariantDriftLimit) return fail_drifted(h);
        t_prev_ = t_;
        t_ = lands ? t_limit : t_ + h;
        h_ = control_.accept(h, err, rejected);
        if (lands) h_ = std::max(h_, h);
        return true;
      }
      ++ig_.stats.rejected_steps;
      rejected = true;
      h_ = control_.reject(h, err);
    }
  }

  void dense_coefficients(double* c) override {
    // x(theta) = (1 - theta) x0 + theta (x1 + (1 - theta)(K0 + theta (K1 + theta K2 ...))), expanded.
    const std::size_t n = static_cast<std::size_t>(n_);
    const int m = tab_.dense_rows;
    const int degree = m + 1;
    std::fill(c, c + static_cast<std::size_t>(degree + 1) * n, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
      // p(theta) = K0 + theta K1 + ... + theta^(m-1) K_{m-1}; x = x0 + theta (x1 - x0) + theta (1 - theta) p(theta).
      c[i] = x_old_[i];
      c[n + i] = x_[i] - x_old_[i];
      for (int r = 0; r < m; ++r) {
        const double v = dense_[static_cast<std::size_t>(r)][i];
        c[static_cast<std::size_t>(r + 1) * n + i] += v;  // theta * theta^r
        c[static_cast<std::size_t>(r + 2) * n + i] -= v;  // -theta^2 * theta^r
      }
    }
  }

 private:
  /// Finds the model's linear conservation laws at the first step, and keeps only those the Jacobian at each later
  /// step confirms (solve/invariants.h); after a restart their values are taken anew.
  void watch_laws() {
    const Eigen::MatrixXd* jacobian = w_.dense_jacobian();
    if (!jacobian || ig_.has_mass() || n_ > kInvariantWatchMaxSize) return;
    if (!looked_for_laws_) {  // once per solve: an SVD of J
      laws_.find(*jacobian, x_old_.data(), f0_.data());
      looked_for_laws_ = true;
    } else if (!laws_.empty()) {
      if (rebase_laws_) laws_.rebase(x_old_.data());
      laws_.confirm(*jacobian);
    }
    rebase_laws_ = false;
  }

  bool fail_drifted(double h) {
    std::vector<std::string> names;
    for (int i = 0; i < n_; ++i) names.push_back(ig_.problem.state_name(i));
    const double drift = laws_.drift(x_.data(), ig_.atol, ig_.rtol);
    return ig_.fail(SolveStatus::Unreliable,
                    tab_.name + " broke the model's conservation law " +
                        laws_.describe_worst(x_.data(), ig_.atol, ig_.rtol, names) + " = const by " +
                        text::format_number(std::round(drift)) + " times its tolerance in the step from t = " +
                        text::format_number(t_) + " (h = " + text::format_number(h) +
                        "): rounding in the Jacobian, amplified by the method's linear solves, so the result cannot "
                        "be vouched for. BDF, KenCarp4 and RadauIIA5 correct it with their Newton iterations");
  }

  // One attempt with step h and the factored W; returns the normed error (x_ holds the candidate).
  double attempt(double h) {
    const int s = tab_.stages;
    linear_error_ = 0.0;
    for (int i = 0; i < s; ++i) {
      const double* a = &tab_.a[static_cast<std::size_t>(i * s)];
      const double* C = &tab_.C[static_cast<std::size_t>(i * s)];
      if (i == 0) {
        std::copy(f0_.begin(), f0_.end(), rhs_.begin());
      } else {
        bool same_point = i > 1 && tab_.c[static_cast<std::size_t>(i)] == tab_.c[static_cast<std::size_t>(i - 1)];
        for (int j = 0; j < i && same_point; ++j)
          same_point = a[j] == tab_.a[static_cast<std::size_t>((i - 1) * s + j)];
        if (!same_point) {
          for (int q = 0; q < n_; ++q) {
            double acc = x_old_[static_cast<std::size_t>(q)];
            for (int j = 0; j < i; ++j) acc += a[j] * k_[static_cast<std::size_t>(j)][static_cast<std::size_t>(q)];
            stage_[static_cast<std::size_t>(q)] = acc;
          }
          ig_.f(t_ + tab_.c[static_cast<std::size_t>(i)] * h, stage_.data(), fx_.data());
        }
        for (int q = 0; q < n_; ++q) {
          double acc = 0.0;
          for (int j = 0; j < i; ++j) acc += C[j] * k_[static_cast<std::size_t>(j)][static_cast<std::size_t>(q)];
          tmp_[static_cast<std::size_t>(q)] = acc / h;
        }
        w_.mass_times(tmp_.data(), tmp_.data());
        for (int q = 0; q < n_; ++q)
          rhs_[static_cast<std::size_t>(q)] = fx_[static_cast<std::size_t>(q)] + tmp_[static_cast<std::size_t>(q)];
      }
      const double hd = h * tab_.d[static_cast<std::size_t>(i)];
      if (hd != 0.0)
        for (int q = 0; q < n_; ++q) rhs_[static_cast<std::size_t>(q)] += hd * dfdt_[static_cast<std::size_t>(q)];
      linear_error_ = std::max(linear_error_, w_.solve_refined(rhs_.data(), x_old_.data()));
      std::copy(rhs_.begin(), rhs_.end(), k_[static_cast<std::size_t>(i)].begin());
    }
    for (int q = 0; q < n_; ++q) {
      double x = x_old_[static_cast<std::size_t>(q)], e = 0.0;
      for (int j = 0; j < s; ++j) {
        const double kj = k_[static_cast<std::size_t>(j)][static_cast<std::size_t>(q)];
        x += tab_.b[static_cast<std::size_t>(j)] * kj;
        e += tab_.btilde[static_cast<std::size_t>(j)] * kj;
      }
      x_[static_cast<std::size_t>(q)] = x;
      err_[static_cast<std::size_t>(q)] = e;
    }
    for (int r = 0; r < tab_.dense_rows; ++r) {
      const double* H = &tab_.H[static_cast<std::size_t>(r * s)];
      for (int q = 0; q < n_; ++q) {
        double acc = 0.0;
        for (int j = 0; j < s; ++j) acc += H[j] * k_[static_cast<std::size_t>(j)][static_cast<std::size_t>(q)];
        dense_[static_cast<std::size_t>(r)][static_cast<std::size_t>(q)] = acc;
      }
    }
    const double err = ig_.error_norm(err_.data(), x_old_.data(), x_.data());
    if (!std::isfinite(err)) std::copy(x_old_.begin(), x_old_.end(), x_.begin());
    return std::isfinite(err) ? err : std::numeric_limits<double>::infinity();
  }

  const RosenbrockTableau& tab_;
  int order_;  ///< the registry row's
  NewtonMatrix w_;
  StepController control_;
  std::vector<std::vector<double>> k_, dense_;
  std::vector<double> f0_, fx_, dfdt_, x_old_, stage_, rhs_, tmp_, err_;
  double h_ = 0.0;
  double linear_error_ = 0.0;  // largest weighted norm of a last refinement correction in this attempt
  bool fresh_f0_ = false, ill_conditioned_ = false;
  InvariantWatch laws_;
  bool looked_for_laws_ = false, rebase_laws_ = false;
};

// Shampine & Reichelt, "The MATLAB ODE Suite" (1997): the 2(3) pair of ode23s, with W = M - h d J.
class Rosenbrock23 final : public Stepper {
 public:
  explicit Rosenbrock23(Integration& ig) : Stepper(ig), w_(ig), control_(3) {
    const std::size_t n = static_cast<std::size_t>(n_);
    for (auto* v : {&f0_, &f1_, &f2_, &k1_, &k2_, &k3_, &dfdt_, &x_old_, &tmp_, &rhs_, &err_}) v->resize(n);
  }

  std::string name() const override { return "Rosenbrock23"; }
  int dense_degree() const override { return 2; }

  void reset(double t, const double* x) override {
    t_ = t_prev_ = t;
    std::copy(x, x + n_, x_.begin());
    ig_.f(t, x, f0_.data());
    if (h_ <= 0) h_ = ig_.options.dt0 > 0 ? ig_.options.dt0 : initial_step(t, x, f0_.data(), 2);
    control_.reset();
  }

  bool step(double t_limit) override {
    std::copy(x_.begin(), x_.end(), x_old_.begin());
    w_.update_jacobian(t_, x_old_.data(), f0_.data());
    w_.time_derivative(t_, x_old_.data(), f0_.data(), dfdt_.data());
    const std::size_t n = static_cast<std::size_t>(n_);
    bool rejected = false;
    for (;;) {
      const double h = clip(h_, t_limit);
      const bool lands = h == t_limit - t_;
      if (step_too_small(h, t_)) {
        if (ill_conditioned_) return fail_ill_conditioned(ig_, "Rosenbrock23", t_);
        return ig_.fail_step_size(t_, h, name());
      }
      // W = M - h d J, factored as (M / (h d) - J) so that solves return W^-1 b scaled by 1 / (h d).
      if (!w_.factor(1.0 / (h * kD))) {
        h_ = h * 0.25;
        ++ig_.stats.rejected_steps;
        continue;
      }
      const double inv_hd = 1.0 / (h * kD);
      linear_error_ = 0.0;
      // k1 = W^-1 (f0 + h d T)
      for (std::size_t i = 0; i < n; ++i) rhs_[i] = f0_[i] + h * kD * dfdt_[i];
      solve_w(inv_hd, k1_);
      // k2 = W^-1 (f1 - M k1) + k1, f1 = f(t + h/2, x + h/2 k1)
      for (std::size_t i = 0; i < n; ++i) tmp_[i] = x_old_[i] + 0.5 * h * k1_[i];
      ig_.f(t_ + 0.5 * h, tmp_.data(), f1_.data());
      w_.mass_times(k1_.data(), tmp_.data());
      for (std::size_t i = 0; i < n; ++i) rhs_[i] = f1_[i] - tmp_[i];
      solve_w(inv_hd, k2_);
      for (std::size_t i = 0; i < n; ++i) {
        k2_[i] += k1_[i];
        x_[i] = x_old_[i] + h * k2_[i];
      }
      // k3 = W^-1 (f2 - M (e32 k2 + 2 k1) + e32 f1 + 2 f0 + h d T), f2 = f(t + h, x_new)
      ig_.f(t_ + h, x_.data(), f2_.data());
      for (std::size_t i = 0; i < n; ++i) tmp_[i] = kE32 * k2_[i] + 2 * k1_[i];
      w_.mass_times(tmp_.data(), tmp_.data());
      for (std::size_t i = 0; i < n; ++i) rhs_[i] = f2_[i] - tmp_[i] + kE32 * f1_[i] + 2 * f0_[i] + h * kD * dfdt_[i];
      solve_w(inv_hd, k3_);
      // Error h/6 (k1 - 2 k2 + k3); for algebraic variables the stage k's are not derivatives, so their error is
      // taken from the residual of the algebraic equations at the new point instead.
      for (std::size_t i = 0; i < n; ++i) {
        const bool differential = ig_.mask.empty() || ig_.mask[i] || ig_.mass;  // general M: k's are increments
        err_[i] = differential ? h / 6 * (k1_[i] - 2 * k2_[i] + k3_[i]) : 0.0;
      }
      double err = ig_.error_norm(err_.data(), x_old_.data(), x_.data());
      if (!ig_.constraint_rows.empty() && std::isfinite(err)) {
        // W^-1 applied to the algebraic residual f2 estimates how far x_new is from the constraint surface.
        for (std::size_t i = 0; i < n; ++i) rhs_[i] = ig_.constraint_rows[i] ? f2_[i] : 0.0;
        w_.solve(rhs_.data());
        for (std::size_t i = 0; i < n; ++i) rhs_[i] *= inv_hd * h * kD;
        err = std::max(err, ig_.error_norm(rhs_.data(), x_old_.data(), x_.data()));
      }
      if (linear_error_ > kLinearTrust) {  // as in Rodas: not accurate to the tolerances at this h
        std::copy(x_old_.begin(), x_old_.end(), x_.begin());
        h_ = h * 0.25;
        ++ig_.stats.rejected_steps;
        ill_conditioned_ = true;
        continue;
      }
      ill_conditioned_ = false;
      if (err <= 1.0) {
        t_prev_ = t_;
        t_ = lands ? t_limit : t_ + h;
        h_ = control_.accept(h, err, rejected);
        if (lands) h_ = std::max(h_, h);
        std::swap(f0_, f2_);  // FSAL
        h_last_ = h;
        return true;
      }
      std::copy(x_old_.begin(), x_old_.end(), x_.begin());
      ++ig_.stats.rejected_steps;
      rejected = true;
      h_ = control_.reject(h, std::isfinite(err) ? err : std::numeric_limits<double>::infinity());
    }
  }

  void dense_coefficients(double* c) override {
    // x(theta) = x0 + h (c1 k1 + c2 k2), c1 = theta (1 - theta) / (1 - 2d), c2 = theta (theta - 2d) / (1 - 2d).
    const std::size_t n = static_cast<std::size_t>(n_);
    const double h = h_last_, s = 1.0 / (1 - 2 * kD);
    for (std::size_t i = 0; i < n; ++i) {
      c[i] = x_old_[i];
      c[n + i] = h * s * (k1_[i] - 2 * kD * k2_[i]);
      c[2 * n + i] = h * s * (-k1_[i] + k2_[i]);
    }
  }

 private:
  void solve_w(double inv_hd, std::vector<double>& out) {
    // (M/(hd) - J)^-1 b = h d (M - h d J)^-1 b, refined (see NewtonMatrix::solve_refined)
    linear_error_ = std::max(linear_error_, w_.solve_refined(rhs_.data(), x_old_.data()));
    for (int i = 0; i < n_; ++i) out[static_cast<std::size_t>(i)] = rhs_[static_cast<std::size_t>(i)] * inv_hd;
  }

  static constexpr double kD = 0.29289321881345247560;   // 1 / (2 + sqrt 2)
  static constexpr double kE32 = 7.4142135623730950488;  // 6 + sqrt 2
  NewtonMatrix w_;
  StepController control_;
  std::vector<double> f0_, f1_, f2_, k1_, k2_, k3_, dfdt_, x_old_, tmp_, rhs_, err_;
  double h_ = 0.0, h_last_ = 0.0, linear_error_ = 0.0;
  bool ill_conditioned_ = false;
};

}  // namespace

std::unique_ptr<Stepper> make_rosenbrock23(const MethodRow&, Integration& ig) {
  return std::make_unique<Rosenbrock23>(ig);
}

std::unique_ptr<Stepper> make_rodas(const MethodRow& row, Integration& ig) {
  if (!row.tableau.rosenbrock) return nullptr;
  return std::make_unique<Rodas>(*row.tableau.rosenbrock, row.info.order, ig);
}

}  // namespace numen::detail
