#pragma once
// A compiled model: the flattened state, parameter and output layout keyed `entity.component.field`, the defaults of
// its `simulate` block, and fast evaluation of f(t, x), its exact Jacobian and outputs. Immutable and cheap to copy;
// one compiled model serves any number of concurrent solves.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "numen/diagnostic.h"
#include "numen/options.h"
#include "numen/problem.h"

namespace numen {

class Model;
namespace detail {
struct CompiledModel;
const CompiledModel& compiled(const Model& model);  ///< defined in compile/compiled_model.h's stage, not public
}  // namespace detail

enum class VariableKind { State, Algebraic, Parameter, Discrete, Output, Input };
const char* to_string(VariableKind kind);

/// One scalar of the flattened model. Vector fields give one Variable per element, keyed `...field[i]`.
/// Values live in two units. The solver sees the model's coherent system (SI, with time in the model's time unit):
/// `value`, initial_state(), parameter_values(), RunSettings, Solution and the evaluation functions below. People
/// see each field's declared unit, its display unit: to_display() for results, from_display() for what they type.
struct Variable {
  std::string key;  ///< entity.component.field
  VariableKind kind = VariableKind::State;
  std::string unit;  ///< the declared (display) unit as written ("kN/m", "degC"); empty when none, "1" dimensionless
  std::string description;
  double value = 0.0;   ///< initial value (states, algebraic and discrete variables) or value (parameters), coherent
  double scale = 1.0;   ///< coherent = display * scale + offset (1 and 0 for a coherent unit such as m or N/m)
  double offset = 0.0;  ///< non-zero only for degC and degF
  SourcePos pos;        ///< where the field is declared
  /// The file's `min:`/`max:` (display unit): where the workbench's slider ends. Unset: the workbench picks.
  std::optional<double> slider_min, slider_max;

  double to_display(double coherent) const { return (coherent - offset) / scale; }
  double from_display(double display) const { return display * scale + offset; }
};

/// What a model asks the workbench to show first (`plots:`): keys to plot against time and a phase portrait. Empty
/// when the file says nothing (the workbench then picks).
struct ModelView {
  std::vector<std::string> show;   ///< states and outputs, entity.component.field
  std::vector<std::string> phase;  ///< empty, or {x, y}
};

/// What a model needs from a solver; methods that cannot provide it refuse with a message naming one that can.
struct ModelFeatures {
  bool algebraic = false;       ///< algebraic variables or der() inside equations: an index-1 DAE
  bool mass_matrix = false;     ///< der() inside equations: M x' = f with a general constant mass matrix M
  bool events = false;          ///< state events (`when:`)
  bool periodic = false;        ///< periodic updates (`every:`)
  bool discrete = false;        ///< discrete variables
  bool inputs = false;          ///< excitation ports
  bool vector_fields = false;   ///< fields of fixed size > 1
  bool time_dependent = false;  ///< f depends on t explicitly
};

/// Sizes of the compiled evaluation code, reported by `numen inspect`.
struct ModelStats {
  int rhs_instructions = 0;
  int jacobian_instructions = 0;
  int jacobian_nonzeros = 0;
  int graph_nodes = 0;
  int compiled_tapes = 0;  ///< tapes running as machine code now (they compile once hot; see set_tape_compilation)
};

/// Compilation of model tapes to machine code: WebAssembly in the browser, LLVM natively. On by default where the
/// build has a compiler: a tape compiles once it has run often enough to pay for it (natively on a background
/// thread) and gives the interpreter's results bit for bit. Off runs every tape on the interpreter, the reference
/// (for comparisons and benchmarks). Process-wide. The wasm module binds it as setTapeCompilation.
void set_tape_compilation(bool enabled);
/// Whether tape compilation is on (set_tape_compilation).
bool tape_compilation();

/// Returns the text of a file a model or plan names (a library file of `use:`, a plan's model, PSD and time-series
/// files), given its path joined to the folder of the file that names it (for a model compiled as
/// "models/m.yaml" that uses "./parts.yaml": "models/parts.yaml"). Throw any std::exception to say it cannot be read;
/// its what() is reported where the file is named.
using FileLoader = std::function<std::string(const std::string& path)>;

class Model {
 public:
  /// Parses and compiles model text (YAML). Throws numen::Error carrying every problem found.
  ///
  /// Libraries: `use: [pneumatic, ./my_parts.yaml]` names standard libraries (built into the core: models/lib/,
  /// standard_libraries()) and library files, which `load` reads (without a loader only the standard library is
  /// available). A library file is a model file with `library: NAME` in place of `model:` and no entities, world,
  /// simulate or plots. The model uses a library's components and systems by bare name when no other file it uses
  /// declares that name (its own declarations come first), else as `NAME.component`; variable keys use the bare
  /// name (entity.volume.p). Functions and tables are one namespace over all the files. Libraries may use other
  /// libraries (not in a cycle). Problems inside a library are reported in the library's file.
  static Model compile(std::string_view text, std::string_view file_name = "model.yaml",
                       const FileLoader& load = nullptr);

  const std::string& name() const;
  const std::string& description() const;
  const std::string& file_name() const;
  /// The unit of t, tspan and every time of the model (`time_unit:`): "s" unless the file says otherwise.
  const std::string& time_unit() const;
  const ModelView& view() const;

  /// The state vector x in layout order: entities in file order, each entity's components in the order it lists
  /// them, each component's states then algebraic variables in declaration order.
  const std::vector<Variable>& states() const;
  const std::vector<Variable>& parameters() const;  ///< same ordering rule
  const std::vector<Variable>& discretes() const;
  const std::vector<Variable>& outputs() const;
  const std::vector<Variable>& inputs() const;  ///< excitation ports, keyed entity.component.port

  std::vector<double> initial_state() const;
  std::vector<double> parameter_values() const;
  std::vector<std::uint8_t> differential_mask() const;  ///< 1 differential, 0 algebraic

  std::optional<int> find_state(std::string_view key) const;
  std::optional<int> find_parameter(std::string_view key) const;
  std::optional<int> find_output(std::string_view key) const;
  std::optional<int> find_input(std::string_view key) const;

  ModelFeatures features() const;
  ModelStats stats() const;
  const SolveOptions& simulate() const;  ///< the `simulate` block with unspecified options at their defaults
  const std::vector<Diagnostic>& warnings() const;
  const SparsityPattern& jacobian_pattern() const;
  /// Structural second-order form (position, velocity) pairs, empty when the model is not separable.
  const std::vector<std::pair<int, int>>& second_order_pairs() const;

  /// f(t, x) with parameters p (and inputs u, discrete values d; nullptr means all zero / defaults).
  void rhs(double t, const double* x, const double* p, double* dxdt, const double* u = nullptr,
           const double* d = nullptr) const;
  /// df/dx values in jacobian_pattern() order.
  void jacobian(double t, const double* x, const double* p, double* values, const double* u = nullptr,
                const double* d = nullptr) const;
  /// Observed outputs y(t, x).
  void evaluate_outputs(double t, const double* x, const double* p, double* y, const double* u = nullptr,
                        const double* d = nullptr) const;
  /// dy/dx values in output_jacobian_pattern() order (exact, like jacobian()).
  void output_jacobian(double t, const double* x, const double* p, double* values, const double* u = nullptr,
                       const double* d = nullptr) const;
  const OutputJacobianPattern& output_jacobian_pattern() const;
  /// df/du: column j is the derivative of f with respect to input j (dense, n x inputs, column-major).
  void input_jacobian(double t, const double* x, const double* p, double* values, const double* u = nullptr,
                      const double* d = nullptr) const;

  /// A hash of the model file's text and of every library it uses (FNV-1a, 64 bits, hex): results name the exact
  /// model they came from. A model without `use:` hashes its text alone.
  const std::string& content_hash() const;

  explicit Model(std::shared_ptr<const detail::CompiledModel> impl);

 private:
  friend const detail::CompiledModel& detail::compiled(const Model& model);  // for the core's own stages
  std::shared_ptr<const detail::CompiledModel> impl_;
};

/// Checks a model file completely: its structure against the JSON Schema (schemas/model.schema.json), then all
/// that compilation checks. Returns every diagnostic, errors first (empty for a clean file); never throws.
std::vector<Diagnostic> check_model(std::string_view text, std::string_view file_name,
                                    const FileLoader& load = nullptr);

/// The standard library: (name, text) of every file of models/lib/, as built into the core, sorted by name.
std::vector<std::pair<std::string, std::string>> standard_libraries();

/// The JSON Schema of model files (the same text as schemas/model.schema.json).
const char* model_schema_json();

/// A value as text, the way model files, plan files and `numen run --set` write it, with its unit. The rule, one for
/// all of them:
///   VALUE := EXPRESSION [ UNIT ]
/// EXPRESSION is a whole constant expression (numbers, + - * / ^, parentheses, functions, pi, e). It is the longest
/// one at the start of the text, so it ends only where a name, a number or a character outside the expression
/// language follows a complete operand; the rest, after whitespace, is the unit: names (letter-initial, with an
/// optional exponent `^2`, `^-1`) joined by `*` and `/`, with parentheses, an optional `1/` start, or `%`; the
/// names are those of `numen units` (units_json()), with SI prefixes. A unit
/// never starts with an operator or another digit, so "2 * 3" is 6, "-1 + 3" is 2, "(115.83 * 0.444)" is 51.43,
/// "pi*0.02^2 m^2" is 0.00126 m^2 and "3e5 Pa" is 3e5 Pa. Anything after the expression that is not a unit
/// ("2 m * 3", "3e5Pa", "2 pi") is an error, never part of a label.
struct Quantity {
  double value = 0.0;
  std::string unit;  ///< empty when none is given; without spaces ("kg * m" -> "kg*m")
};

/// Reads `text` by the rule above. Throws numen::Error with one diagnostic: file `source`, line 1 and the 1-based
/// column in `text` of the problem.
Quantity read_quantity(std::string_view text, const std::string& source = "value");

/// `text` read as the value of `key`, a parameter or initial value of `model` (as in `numen run --set KEY=VALUE`),
/// returned in the model's coherent system, ready for RunSettings: a bare number is in the field's display unit; a
/// value with a unit of the field's dimension is converted ("36 km/h" for a field in m/s is 10 m/s); a unit of
/// another dimension is an error. A key the model lacks is left for solve() to report, unless the text gives a
/// unit (which cannot be checked). Throws numen::Error like read_quantity.
double read_setting(const Model& model, std::string_view key, std::string_view text,
                    const std::string& source = "value");

/// The unit table as JSON: {"units": [{symbol, name, scale, prefixes, si, quantity}], "prefixes": [[symbol, factor]]}
/// (for `numen units`, the editor's completion and the docs).
std::string units_json();

}  // namespace numen
