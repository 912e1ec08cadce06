#pragma once
// JSON views of the core's data for hosts that speak JSON (the WebAssembly module, the CLI's --format json).
// One implementation here, so the browser and the CLI describe models and solutions identically.
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "numen/model.h"
#include "numen/options.h"
#include "numen/solve.h"

namespace numen {

/// {name, description, file, time_unit, states: [{key, kind, unit, description, value, scale, offset}], parameters,
/// discretes,
///  outputs, inputs (value in the display unit `unit`; a solution's coherent numbers c read (c - offset) / scale),
///  features: {...}, stats: {...}, simulate: {options}, plots: {show: [keys], phase: [] or [x, y]}, warnings: [{file,
///  line, column, message}]}
std::string model_info_json(const Model& model);

/// Options as JSON, with the names of the model's `simulate` block.
std::string options_to_json(const SolveOptions& options);

/// Applies a JSON object of options ({"rtol": 1e-8, "tspan": [0, 2], ...}) on top of `base`. Unknown keys and
/// wrong types throw numen::Error naming the key. A saving option replaces the base's saving rule.
SolveOptions options_from_json(std::string_view json, const SolveOptions& base);

/// {"set": {"key": value, ...}} -> RunSettings (input signals are not expressible in JSON).
RunSettings settings_from_json(std::string_view json);

/// {method, status, message, stats: {...}, events: [{t, event}], switches: [{t, method}], points, n_states}
std::string solution_info_json(const Solution& solution);

/// The solution as CSV, the one writer for every host: a header `t,KEY [UNIT],...` (the states, then the outputs
/// when with_outputs), a row per saved point, every value in its field's display unit, shortest round-trip numbers
/// (the same digits on every host). Throws numen::Error when the solution's layout is not the model's.
std::string solution_csv(const Model& model, const Solution& solution, bool with_outputs);

/// The same CSV written to `out` as it is made, a few tens of kB at a time: a large solution's CSV is several times
/// the size of its numbers (16,000 states at 3,000 points: about 1 GB of text), too much to hold in memory beside
/// them. Returns whether `out` took all of it; throws as solution_csv does.
bool write_solution_csv(std::ostream& out, const Model& model, const Solution& solution, bool with_outputs);

/// The same for a solution a host kept as its series alone (the browser's page holds t, x and y, not the Solution):
/// x and y are state- and output-major as in Solution, in coherent units. Series of the wrong length throw.
std::string solution_csv(const Model& model, std::vector<double> t, std::vector<double> x, std::vector<double> y,
                         bool with_outputs);

/// [{name, aliases, family, order, adaptive, stiff, mass_matrix, second_order, summary}]
std::string methods_json();

/// The functions and constants equations may use, the one list for `numen functions`, the wasm module and the
/// workbench's reference and completion: {"functions": [{name, signature, args: [names], kind, description,
/// units?: [the unit of each argument]}], "constants": [{name, value?, description}]}. kind is "language" (if, min,
/// der, interp, ...), "math" (sqrt, sin, atan2, ...) or "library" (the engineering library: softpen, orifice_mdot,
/// ...); a name may appear twice with different arguments (orifice_flow). A variadic function's last arg is "...".
std::string functions_json();

/// [{file, line, column, severity, message, end_line, end_column}] (end_line 0 when the span is not known)
std::string diagnostics_json(const std::vector<Diagnostic>& diagnostics);

}  // namespace numen
