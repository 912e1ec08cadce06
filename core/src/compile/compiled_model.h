#pragma once
// What the compiler produces: the flattened layout, the tapes, the Jacobian pattern and the event table. Read-only
// after compilation; shared by every solve of the model.
#include <string>
#include <unordered_map>
#include <vector>

#include "expr/tape.h"
#include "numen/model.h"
#include "numen/problem.h"

namespace numen::detail {

/// Where an event's assignment writes.
struct ActionTarget {
  enum class Kind { State, Discrete } kind = Kind::State;
  int index = 0;
};

struct EventSpec {
  std::string label;  ///< "system `bounce` on (ball), line 12" for messages and the event list
  bool periodic = false;
  double period = 0.0, offset = 0.0;  ///< periodic
  Crossing crossing = Crossing::Either;
  int function = -1;  ///< state events: index into the event-function tape's outputs
  bool terminate = false;
  int action_tape = -1;  ///< -1: no assignments
  std::vector<ActionTarget> targets;
};

struct CompiledModel {
  std::string name, description, file, content_hash;
  std::string time_unit = "s";  ///< the unit of t (`time_unit:`), "1" for dimensionless time
  ModelView view;               ///< `plots:`

  std::vector<Variable> states, parameters, discretes, outputs, inputs;
  std::vector<std::uint8_t> differential_mask;
  std::unordered_map<std::string, int> state_index, parameter_index, discrete_index, output_index, input_index;

  ModelFeatures features;
  ModelStats stats;
  SolveOptions simulate;
  std::vector<Diagnostic> warnings;

  expr::Program program;
  int rhs_tape = -1;              ///< f(t, x): n outputs (algebraic rows hold their residuals)
  int jacobian_tape = -1;         ///< df/dx values in jacobian_pattern order
  int time_tape = -1;             ///< df/dt: n outputs
  int input_tape = -1;            ///< df/du: n x inputs, column-major
  int output_tape = -1;           ///< observed outputs
  int output_jacobian_tape = -1;  ///< dy/dx values in output_jacobian_pattern order
  int event_tape = -1;            ///< state event functions
  /// Switching functions: for every comparison, min, max, abs or sign in f whose operands change during a solve, the
  /// difference of its operands (the branch switches where it crosses zero). Explicit steppers step onto these
  /// points instead of failing their error test across them, as Modelica tools do with zero-crossing functions.
  int switch_tape = -1;
  int switch_count = 0;
  /// A general mass matrix, when der() appears inside equations: M's pattern, the tape of its values (parameters
  /// only), and the rows that are unit rows x_i' = f_i. Empty pattern (n = 0): M is diagonal (differential_mask).
  SparsityPattern mass_pattern;
  int mass_tape = -1;
  bool mass_varies = false;  ///< M depends on t or x (only BDF takes it)
  std::vector<std::uint8_t> unit_rows;
  SparsityPattern jacobian_pattern;
  OutputJacobianPattern output_jacobian_pattern;
  std::vector<EventSpec> events;    ///< state events, in declaration order
  std::vector<EventSpec> periodic;  ///< periodic updates, in declaration order
  std::vector<std::pair<int, int>> second_order_pairs;
  std::vector<std::string> state_origin;  ///< per state: where its equation was written ("file:line")
};

/// The compiled form of a public Model, for the core's stages (the compiler, solve(Model), tests, benchmarks).
const CompiledModel& compiled(const Model& model);

}  // namespace numen::detail
