#pragma once
// Steppers take one accepted step at a time; the driver (driver.cpp) owns everything around them: saving through
// dense output, tstops, periodic updates, event location, failure reports. A stepper's dense output over its last
// step is a polynomial in theta = (t - t_prev) / h, handed over as power-basis coefficients.
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "numen/methods.h"
#include "numen/options.h"
#include "numen/problem.h"
#include "numen/solve.h"

namespace numen::detail {

/// What every stepper of one solve shares: the problem, tolerances, statistics, and the failure report.
struct Integration {
  Integration(OdeProblem& p, const SolveOptions& o, SolveStats& s);

  OdeProblem& problem;
  const SolveOptions& options;
  SolveStats& stats;
  int n;
  double rtol;
  std::vector<double> atol;        ///< one per state
  std::vector<std::uint8_t> mask;  ///< 1 where f_i is x_i' (a unit row of M), 0 otherwise (empty: an ODE)
  /// A general mass matrix (problem.mass_pattern()) and its values; nullptr when M is the diagonal of `mask`.
  const SparsityPattern* mass = nullptr;
  std::vector<double> mass_values;
  bool mass_varies = false;  ///< M depends on t or x (only BDF takes it)
  /// 1 for an equation whose row of M is zero (a constraint 0 = f_i), else 0; empty for an ODE.
  std::vector<std::uint8_t> constraint_rows;
  double t_end;  ///< direction and end of the integration

  SolveStatus failure = SolveStatus::Success;
  std::string failure_message;
  /// Auto records its switches here: (time, method switched to).
  std::vector<std::pair<double, std::string>>* switches = nullptr;

  /// True unless M is the identity: the problem is a DAE or has a general mass matrix.
  bool has_mass() const { return mass != nullptr || !constraint_rows.empty(); }

  void f(double t, const double* x, double* dx) {
    ++stats.rhs_evals;
    problem.rhs(t, x, dx);
  }
  /// Weighted RMS norm of err with scale atol_i + rtol * max(|a_i|, |b_i|) (Hairer-Wanner's error measure).
  double error_norm(const double* err, const double* a, const double* b) const;
  /// Weighted RMS norm of v with scale atol_i + rtol * |x_i|.
  double norm(const double* v, const double* x) const;
  /// Records a failure and returns false, so steppers can `return fail(...)`.
  bool fail(SolveStatus status, std::string message);
  /// The message for a step size that fell below what t can resolve in `method` (the stepper that failed: its
  /// suggestions never name it).
  bool fail_step_size(double t, double h, const std::string& method);
  /// Looks for non-finite values in x and f(t, x) and names the state (used when a step keeps failing).
  std::string describe_non_finite(double t, const double* x);
  /// "the equation for STATE gives VALUE at t = T (...)".
  std::string non_finite_message(double t, int state, double value) const;
};

/// The step grid of the fixed-step methods: t_start + k dt, each point computed from k (a running sum drifts off the
/// grid over millions of steps). A t_limit off the grid shortens only the step that reaches it; the step after it
/// ends on the grid again, so where stops fall does not move the grid, and the time a stepper reports is always the
/// time its state is at. A t_limit within 1% of a step of a grid point counts as that point: no sliver of a step is
/// left between them (0.3 is not 3 * 0.1 in binary).
class FixedStepGrid {
 public:
  struct Step {
    double h;         ///< the step to take
    double t_end;     ///< where it ends: the next grid point, or t_limit
    bool next_point;  ///< it ends on (or counts as) the next grid point
  };
  void reset(double t, double dt) {
    t_start_ = t;
    dt_ = dt;
    passed_ = 0;
  }
  /// The step from t (the last grid point passed, or a t_limit after it) toward t_limit.
  Step next(double t, double t_limit) const {
    const double ahead = point(passed_ + 1), slack = 0.01 * dt_;
    if (t_limit <= ahead + slack) return {t_limit - t, t_limit, t_limit >= ahead - slack};
    return {t == point(passed_) ? dt_ : ahead - t, ahead, true};
  }
  /// Records a step taken as next() gave it.
  void advance(const Step& step) {
    if (step.next_point) ++passed_;
  }

 private:
  double point(long k) const { return t_start_ + static_cast<double>(k) * dt_; }
  double t_start_ = 0.0, dt_ = 0.0;
  long passed_ = 0;  ///< grid points passed since t_start
};

class Stepper {
 public:
  explicit Stepper(Integration& ig) : ig_(ig), n_(ig.n), x_(static_cast<std::size_t>(ig.n)) {}
  virtual ~Stepper() = default;

  /// (Re)starts at (t, x): at the beginning and after every discontinuity (event, periodic update, tstop).
  virtual void reset(double t, const double* x) = 0;
  /// Takes one accepted step that ends at or before t_limit, landing exactly on t_limit when it reaches it.
  /// Returns false on failure (the reason is in the Integration).
  virtual bool step(double t_limit) = 0;
  /// Degree of the dense-output polynomial over the last step.
  virtual int dense_degree() const = 0;
  /// Writes (degree + 1) x n power-basis coefficients of the last step's interpolant.
  virtual void dense_coefficients(double* c) = 0;
  virtual std::string name() const = 0;
  /// True when the dense output is too coarse for saved values (SDIRK stages with a general mass matrix: stage
  /// order 2): the driver then lands a step on every save time.
  virtual bool lands_on_saves() const { return false; }
  /// h * rho, the stiffness estimate of the last step, for Auto's switching (0: the method cannot tell).
  virtual double stiffness() const { return 0.0; }
  /// The step size the method will try next (0: it does not say), and a way to hand it one (Auto's switch back).
  virtual double step_size() const { return 0.0; }
  virtual void set_step_size(double) {}

  double t() const { return t_; }
  double t_prev() const { return t_prev_; }
  const std::vector<double>& x() const { return x_; }

 protected:
  /// Hairer's initial step estimate for a method of the given order (f0 = f(t, x) already computed).
  double initial_step(double t, const double* x, const double* f0, int order);
  /// Clips a proposed step to t_limit and dtmax; `stretch` lands on t_limit rather than leave a sliver.
  double clip(double h, double t_limit) const;

  Integration& ig_;
  int n_;
  double t_ = 0.0, t_prev_ = 0.0;
  std::vector<double> x_;
};

/// Any method by its table entry: runs the constructor its registry row names (solve/registry.h).
std::unique_ptr<Stepper> make_stepper(const MethodInfo& method, Integration& ig);

}  // namespace numen::detail
