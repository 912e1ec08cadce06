#pragma once
// The solver layer's view of a problem. It knows nothing about models: the compiled model implements this, and
// tests and benchmarks implement it with hand-written C++ so that comparisons with other solvers are fair.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace numen {

/// Compressed sparse column pattern of an n x n Jacobian: the rows of column j are
/// row_index[col_start[j]] ... row_index[col_start[j + 1] - 1], ascending.
struct SparsityPattern {
  int n = 0;
  std::vector<int> col_start;  // n + 1 entries
  std::vector<int> row_index;  // nnz entries
  int nnz() const { return static_cast<int>(row_index.size()); }
  static SparsityPattern dense(int n);
};

/// Compressed sparse row pattern of the outputs' Jacobian dy/dx (outputs x states): the columns of row i are
/// col_index[row_start[i]] ... col_index[row_start[i + 1] - 1], ascending.
struct OutputJacobianPattern {
  std::vector<int> row_start;  // outputs + 1 entries
  std::vector<int> col_index;
  int nnz() const { return static_cast<int>(col_index.size()); }
};

/// Which sign change of an event function g triggers the event.
enum class Crossing { Rising, Falling, Either };

/// M x' = f(t, x), with M diagonal 0/1 (index-1 semi-explicit DAEs) or a general constant matrix (index-1 DAEs
/// written as equations in der(): circuits, networks), optional events and periodic updates.
class OdeProblem {
 public:
  virtual ~OdeProblem() = default;

  virtual int size() const = 0;
  virtual void rhs(double t, const double* x, double* dxdt) = 0;

  /// The exact Jacobian df/dx. Without one (nullptr pattern), stiff methods use finite differences.
  virtual const SparsityPattern* jacobian_pattern() const { return nullptr; }
  /// Values in the pattern's order.
  virtual void jacobian(double t, const double* x, double* values) {}
  /// df/dt, used by Rosenbrock methods on non-autonomous problems; without it they use a finite difference.
  virtual bool has_time_derivative() const { return false; }
  virtual void time_derivative(double t, const double* x, double* dfdt) {}
  /// True when f does not depend on t (lets Rosenbrock methods skip df/dt).
  virtual bool autonomous() const { return false; }

  /// 1 where row i of M is the unit row e_i (f_i is x_i'), 0 otherwise: an algebraic row (mass 0), or a row of a
  /// general mass matrix. Empty means all 1 (an ODE).
  virtual std::vector<std::uint8_t> differential_mask() const { return {}; }
  /// A general mass matrix: its pattern (rows are equations, columns states), or nullptr when M is the diagonal of
  /// differential_mask(). M is constant during a solve (it may depend on parameters). Only the implicit methods
  /// (MethodInfo::mass_matrix) take such a problem.
  virtual const SparsityPattern* mass_pattern() const { return nullptr; }
  /// M's values in mass_pattern()'s order.
  virtual void mass_matrix(double* values) {}

  /// Separable second-order structure for symplectic methods: pairs (position, velocity) with
  /// position' = velocity and velocity' depending on positions and t only. Empty when the problem is not of that form.
  virtual std::vector<std::pair<int, int>> second_order_pairs() const { return {}; }

  /// State events: functions g_k(t, x) whose sign changes are located by root finding.
  /// Switching functions: quantities whose sign change switches a branch of f (a contact closing, a valve
  /// choking). f may only be continuous there, or have a kink; steppers that can locate such a crossing step onto
  /// it rather than fail their error test across it. Nothing happens at a crossing: these are not events.
  virtual int switch_count() const { return 0; }
  virtual void switch_functions(double t, const double* x, double* g) {}

  virtual int event_count() const { return 0; }
  virtual void event_functions(double t, const double* x, double* g) {}
  virtual Crossing event_crossing(int k) const { return Crossing::Either; }
  /// Where event k comes from, for messages ("system `flight` on (ball), line 24: when b.height < 0").
  virtual std::string event_name(int k) const { return "event " + std::to_string(k); }
  /// Applies event k at time t (may change x). Returns true to stop the integration there.
  virtual bool apply_event(int k, double t, double* x) { return false; }

  /// Periodic updates fire at t0 + offset + i * period (i = 0, 1, ...) while inside the time span.
  virtual int periodic_count() const { return 0; }
  virtual double periodic_period(int k) const { return 0.0; }
  virtual double periodic_offset(int k) const { return 0.0; }
  virtual bool apply_periodic(int k, double t, double* x) { return false; }

  /// Observed outputs, computed at each saved point.
  virtual int output_count() const { return 0; }
  virtual void outputs(double t, const double* x, double* y) {}

  /// Called at the start of each solve: a stateful problem (discrete variables) resets itself here.
  virtual void reset() {}

  /// Names used in failure messages ("NaN in state m1.mass.position").
  virtual std::string state_name(int i) const { return "x[" + std::to_string(i) + "]"; }
};

}  // namespace numen
