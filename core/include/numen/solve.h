#pragma once
// Solving: options in, a Solution out. Bad options throw numen::Error; a solve that fails part-way returns what it
// computed so far, with a status and a message that says where and why.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "numen/model.h"
#include "numen/options.h"
#include "numen/problem.h"

namespace numen {

enum class SolveStatus {
  Success,            ///< reached t1
  Terminated,         ///< an event asked to stop
  MaxStepsReached,    ///< options.max_steps accepted steps were taken before t1
  StepSizeTooSmall,   ///< the step size underflowed (a singularity, or a tolerance the method cannot reach)
  NonFinite,          ///< a state became NaN or Inf
  NewtonFailure,      ///< an implicit method's nonlinear solve did not converge even at tiny steps
  InitFailure,        ///< no consistent initial values for the algebraic variables
  Cancelled,          ///< the progress callback asked to stop
  EventAccumulation,  ///< state events accumulated at a finite time (Zeno behaviour): the model needs rest logic
  Unreliable,         ///< the core found its own result wrong (a conservation law it broke) and stopped
};
const char* to_string(SolveStatus status);

struct SolveStats {
  long accepted_steps = 0;
  long rejected_steps = 0;  ///< steps redone because their error estimate failed the error test
  /// Step attempts abandoned because the implicit stage or corrector equations did not converge (Newton diverged,
  /// converged too slowly, or its iteration matrix was singular): SDIRK and BDF only, counted apart from
  /// rejected_steps. Rosenbrock methods solve no nonlinear equations; a singular W there counts as a rejection.
  long newton_failures = 0;
  long rhs_evals = 0;
  long jacobian_evals = 0;
  long lu_decompositions = 0;
  long linear_solves = 0;
  long newton_iterations = 0;
  long events = 0;
  long periodic_updates = 0;
  double wall_ms = 0.0;
};

/// Piecewise polynomial interpolant over the whole solve: on each step [t0, t0 + h],
/// x(t0 + theta h) = sum_k c_k theta^k, coefficients per state.
class DenseOutput {
 public:
  explicit DenseOutput(int n) : n_(n) {}
  int size() const { return n_; }
  double t_begin() const;
  double t_end() const;
  bool empty() const { return segments_.empty(); }
  /// x(t) for t in [t_begin, t_end]; outside, the nearest end segment's polynomial is extrapolated.
  void evaluate(double t, double* x) const;
  /// Appends a step [t0, t_stop] whose polynomial is in theta = (t - t0) / h; coefficients are (degree + 1) rows
  /// of n values, lowest power first. t_stop < t0 + h when an event cut the step short.
  void append(double t0, double h, double t_stop, int degree, const double* coefficients);

 private:
  struct Segment {
    double t0, h, t_stop;
    int degree;
    std::size_t offset;
  };
  int n_;
  std::vector<Segment> segments_;
  std::vector<double> coefficients_;
};

struct EventRecord {
  double t;
  int index;  ///< which event function fired (model events in declaration order)
};

struct Solution {
  int n_states = 0;
  int n_outputs = 0;
  std::vector<double> t;
  std::vector<double> x;  ///< state-major: state i's series is x[i * t.size() ... (i + 1) * t.size())
  std::vector<double> y;  ///< observed outputs, output-major like x
  SolveStatus status = SolveStatus::Success;
  std::string message;  ///< empty on success; otherwise what happened, where, and what to try
  SolveStats stats;
  std::string method;  ///< the method that ran (for Auto: the methods it used, in order)
  std::vector<std::pair<double, std::string>> method_switches;  ///< Auto: (time, method switched to)
  std::vector<EventRecord> events;
  std::shared_ptr<const DenseOutput> dense;  ///< set when options.dense

  bool ok() const { return status == SolveStatus::Success || status == SolveStatus::Terminated; }
  std::size_t size() const { return t.size(); }
  double state(int i, std::size_t k) const { return x[static_cast<std::size_t>(i) * t.size() + k]; }
  double output(int i, std::size_t k) const { return y[static_cast<std::size_t>(i) * t.size() + k]; }
  /// Dense output at any t inside the time span; throws numen::Error if the solve did not keep it.
  std::vector<double> interpolate(double t) const;
};

/// Progress reports and cancellation for long solves. Return false from on_progress to stop (status Cancelled).
struct SolveControl {
  std::function<bool(double t)> on_progress;
  double report_interval = 0.0;  ///< minimum simulated-time distance between reports (0: every step)
};

/// Integrates problem from x0 over options' time span.
Solution solve(OdeProblem& problem, const std::vector<double>& x0, const SolveOptions& options,
               const SolveControl& control = {});

/// A time signal driving one of a model's input ports: value(t) is added through the port.
struct InputSignal {
  std::string port;  ///< the port's key, entity.component.port
  std::function<double(double)> value;
};

/// What one run of a model changes from its defaults.
struct RunSettings {
  /// Whole vectors replacing the model's parameter values / initial state (layout order); empty keeps the model's.
  /// Applied before `set`.
  std::vector<double> parameters, initial_state;
  std::vector<std::pair<std::string, double>> set;  ///< parameter values or initial values by key
  std::vector<InputSignal> inputs;
};

/// Solves a compiled model. Unknown keys in settings throw numen::Error with the valid ones.
Solution solve(const Model& model, const SolveOptions& options, const RunSettings& settings = {},
               const SolveControl& control = {});

}  // namespace numen
