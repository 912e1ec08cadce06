#include "numen/json.h"

#include <cmath>
#include <ostream>

#include "common/json.h"
#include "common/text.h"
#include "expr/builtins.h"
#include "numen/methods.h"

namespace numen {

namespace {

json variables(const std::vector<Variable>& vars) {
  json out = json::array();
  for (const Variable& v : vars) {
    json j = {{"key", v.key}, {"kind", to_string(v.kind)}, {"unit", v.unit}, {"description", v.description}};
    // What people read and type is in the display unit; solutions and settings are coherent (see Variable).
    if (v.kind != VariableKind::Output && v.kind != VariableKind::Input) j["value"] = v.to_display(v.value);
    j["scale"] = v.scale;
    j["offset"] = v.offset;
    if (v.slider_min) j["min"] = *v.slider_min;  // the slider's ends, in the display unit
    if (v.slider_max) j["max"] = *v.slider_max;
    out.push_back(std::move(j));
  }
  return out;
}

json diagnostics(const std::vector<Diagnostic>& ds) {
  json out = json::array();
  for (const Diagnostic& d : ds)
    out.push_back({{"file", d.file},
                   {"line", d.pos.line},
                   {"column", d.pos.column},
                   {"severity", d.severity == Diagnostic::Severity::Error ? "error" : "warning"},
                   {"message", d.message},
                   {"end_line", d.end.line},
                   {"end_column", d.end.column}});
  return out;
}

// JSON has no infinity: an unlimited dtmax is written as null.
json finite_or_null(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

json options_json(const SolveOptions& o) {
  json j = {{"tspan", {o.t0, o.t1}},
            {"method", o.method},
            {"rtol", o.rtol},
            {"atol", o.atol.size() == 1 ? json(o.atol[0]) : json(o.atol)},
            {"dt", o.dt},
            {"dt0", o.dt0},
            {"dtmax", finite_or_null(o.dtmax)},
            {"max_steps", o.max_steps},
            {"tstops", o.tstops},
            {"dense", o.dense},
            {"initialize_algebraic", o.initialize_algebraic},
            {"max_order", o.max_order}};
  if (o.n_save_points > 0) j["n_save_points"] = o.n_save_points;
  if (o.dtsave > 0) j["dtsave"] = o.dtsave;
  if (!o.t_eval.empty()) j["t_eval"] = o.t_eval;
  return j;
}

[[noreturn]] void bad_option(const std::string& key, const std::string& message) {
  throw Error("options", SourcePos{}, "`" + key + "`: " + message);
}

double number_of(const json& v, const std::string& key) {
  if (!v.is_number()) bad_option(key, "expected a number, got " + v.dump());
  return v.get<double>();
}

std::vector<double> numbers_of(const json& v, const std::string& key) {
  if (!v.is_array()) bad_option(key, "expected a list of numbers, got " + v.dump());
  std::vector<double> out;
  for (const json& x : v) out.push_back(number_of(x, key));
  return out;
}

json parse(std::string_view text, const char* what) {
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    throw Error(what, SourcePos{1, static_cast<int>(e.byte)}, std::string("invalid JSON: ") + e.what());
  }
}

}  // namespace

std::string model_info_json(const Model& model) {
  const ModelFeatures f = model.features();
  const ModelStats s = model.stats();
  json j = {
      {"name", model.name()},
      {"description", model.description()},
      {"file", model.file_name()},
      {"time_unit", model.time_unit()},
      {"states", variables(model.states())},
      {"parameters", variables(model.parameters())},
      {"discretes", variables(model.discretes())},
      {"outputs", variables(model.outputs())},
      {"inputs", variables(model.inputs())},
      {"features",
       {{"algebraic", f.algebraic},
        {"mass_matrix", f.mass_matrix},
        {"events", f.events},
        {"periodic", f.periodic},
        {"discrete", f.discrete},
        {"inputs", f.inputs},
        {"vector_fields", f.vector_fields},
        {"time_dependent", f.time_dependent},
        {"second_order", !model.second_order_pairs().empty()}}},
      {"stats",
       {{"rhs_instructions", s.rhs_instructions},
        {"jacobian_instructions", s.jacobian_instructions},
        {"jacobian_nonzeros", s.jacobian_nonzeros},
        {"graph_nodes", s.graph_nodes},
        {"compiled_tapes", s.compiled_tapes}}},
      {"simulate", options_json(model.simulate())},
      {"plots", {{"show", model.view().show}, {"phase", model.view().phase}}},
      {"warnings", diagnostics(model.warnings())},
  };
  return j.dump();
}

std::string options_to_json(const SolveOptions& options) { return options_json(options).dump(); }

namespace {

/// The CSV of solution_csv, appended to `text`, which is handed to `flush` whenever it holds `chunk` bytes or more.
template <class Flush>
void csv_text(const Model& model, const Solution& sol, bool with_outputs, std::string& text, std::size_t chunk,
              Flush&& flush) {
  const auto& states = model.states();
  const auto& outputs = model.outputs();
  const std::size_t nt = sol.t.size();
  // A solution of another model (or series of the wrong length from a host) would be read out of bounds.
  if (static_cast<std::size_t>(sol.n_states) != states.size() || sol.x.size() != states.size() * nt ||
      (with_outputs &&
       (static_cast<std::size_t>(sol.n_outputs) != outputs.size() || sol.y.size() != outputs.size() * nt)))
    throw Error("csv", SourcePos{},
                "the solution does not fit model `" + model.name() + "` (" + std::to_string(states.size()) +
                    " states, " + std::to_string(outputs.size()) + " outputs): " + std::to_string(nt) +
                    " points with " + std::to_string(sol.x.size()) + " state and " + std::to_string(sol.y.size()) +
                    " output values");
  auto column = [](const Variable& v) { return v.unit.empty() ? v.key : v.key + " [" + v.unit + "]"; };
  text += "t";
  for (const Variable& v : states) text += "," + column(v);
  if (with_outputs)
    for (const Variable& v : outputs) text += "," + column(v);
  text += "\n";
  // text::format_number on every host (the wasm build's libc++ has no floating-point to_chars), so that the CLI and
  // the browser write the same digits.
  for (std::size_t k = 0; k < nt; ++k) {
    text += text::format_number(sol.t[k]);
    for (std::size_t i = 0; i < states.size(); ++i) {
      text += ',';
      text += text::format_number(states[i].to_display(sol.state(static_cast<int>(i), k)));
    }
    if (with_outputs)
      for (std::size_t i = 0; i < outputs.size(); ++i) {
        text += ',';
        text += text::format_number(outputs[i].to_display(sol.output(static_cast<int>(i), k)));
      }
    text += '\n';
    if (text.size() >= chunk) flush(text);
  }
  flush(text);
}

}  // namespace

std::string solution_csv(const Model& model, const Solution& sol, bool with_outputs) {
  std::string out;
  out.reserve(sol.t.size() * (model.states().size() + 1) * 20);
  csv_text(model, sol, with_outputs, out, std::string::npos, [](std::string&) {});
  return out;
}

bool write_solution_csv(std::ostream& out, const Model& model, const Solution& sol, bool with_outputs) {
  std::string text;
  constexpr std::size_t kChunk = 1 << 16;
  text.reserve(2 * kChunk);
  csv_text(model, sol, with_outputs, text, kChunk, [&out](std::string& t) {
    out.write(t.data(), static_cast<std::streamsize>(t.size()));
    t.clear();
  });
  return static_cast<bool>(out);
}

std::string solution_csv(const Model& model, std::vector<double> t, std::vector<double> x, std::vector<double> y,
                         bool with_outputs) {
  Solution sol;
  sol.n_states = static_cast<int>(model.states().size());
  sol.n_outputs = static_cast<int>(model.outputs().size());
  sol.t = std::move(t);
  sol.x = std::move(x);
  sol.y = std::move(y);
  return solution_csv(model, sol, with_outputs);
}

SolveOptions options_from_json(std::string_view text, const SolveOptions& base) {
  const json j = parse(text, "options");
  if (!j.is_object()) throw Error("options", SourcePos{}, "options must be a JSON object like {\"rtol\": 1e-8}");
  static const std::vector<std::string> keys = {
      "tspan", "method",    "rtol",   "atol",  "n_save_points",        "dtsave",   "t_eval", "dt", "dt0",
      "dtmax", "max_steps", "tstops", "dense", "initialize_algebraic", "max_order"};
  SolveOptions o = base;
  const bool sets_saving = j.contains("n_save_points") || j.contains("dtsave") || j.contains("t_eval");
  if (sets_saving) {
    o.n_save_points = 0;
    o.dtsave = 0;
    o.t_eval.clear();
  }
  for (const auto& [key, v] : j.items()) {
    if (key == "tspan") {
      const auto ts = numbers_of(v, key);
      if (ts.size() != 2) bad_option(key, "expected [START, END]");
      o.t0 = ts[0];
      o.t1 = ts[1];
    } else if (key == "method") {
      if (!v.is_string()) bad_option(key, "expected a method name");
      o.method = v.get<std::string>();
    } else if (key == "rtol") {
      o.rtol = number_of(v, key);
    } else if (key == "atol") {
      o.atol = v.is_array() ? numbers_of(v, key) : std::vector<double>{number_of(v, key)};
    } else if (key == "n_save_points") {
      const double n = number_of(v, key);
      if (n != std::floor(n) || n < 0 || n > 1e8) bad_option(key, "expected a whole number of points");
      o.n_save_points = static_cast<int>(n);
    } else if (key == "dtsave") {
      o.dtsave = number_of(v, key);
    } else if (key == "t_eval") {
      o.t_eval = numbers_of(v, key);
    } else if (key == "dt") {
      o.dt = number_of(v, key);
    } else if (key == "dt0") {
      o.dt0 = number_of(v, key);
    } else if (key == "dtmax") {
      o.dtmax = v.is_null() ? INFINITY : number_of(v, key);
    } else if (key == "max_steps") {
      const double n = number_of(v, key);
      if (n != std::floor(n) || n < 1 || n > 1e12) bad_option(key, "expected a whole number of steps");
      o.max_steps = static_cast<long>(n);
    } else if (key == "max_order") {
      const double n = number_of(v, key);
      if (n != std::floor(n)) bad_option(key, "expected a whole number");
      o.max_order = static_cast<int>(std::max(-1.0, std::min(99.0, n)));
    } else if (key == "tstops") {
      o.tstops = numbers_of(v, key);
    } else if (key == "dense" || key == "initialize_algebraic") {
      if (!v.is_boolean()) bad_option(key, "expected true or false");
      (key == "dense" ? o.dense : o.initialize_algebraic) = v.get<bool>();
    } else {
      bad_option(key, "unknown option" + text::did_you_mean(key, keys) + "; options: " + text::quoted_list(keys));
    }
  }
  return o;
}

RunSettings settings_from_json(std::string_view text) {
  RunSettings settings;
  if (text.empty()) return settings;
  const json j = parse(text, "settings");
  if (!j.is_object()) throw Error("settings", SourcePos{}, "settings must be a JSON object like {\"set\": {...}}");
  for (const auto& [key, v] : j.items()) {
    if (key != "set") throw Error("settings", SourcePos{}, "unknown settings key `" + key + "`; expected `set`");
    if (!v.is_object()) throw Error("settings", SourcePos{}, "`set` must map keys to numbers");
    for (const auto& [name, value] : v.items()) {
      if (!value.is_number()) throw Error("settings", SourcePos{}, "`set." + name + "` must be a number");
      settings.set.emplace_back(name, value.get<double>());
    }
  }
  return settings;
}

std::string solution_info_json(const Solution& sol) {
  const SolveStats& s = sol.stats;
  json events = json::array();
  for (const EventRecord& e : sol.events) events.push_back({{"t", e.t}, {"event", e.index}});
  json switches = json::array();
  for (const auto& [t, method] : sol.method_switches) switches.push_back({{"t", t}, {"method", method}});
  json j = {{"method", sol.method},
            {"status", to_string(sol.status)},
            {"ok", sol.ok()},
            {"message", sol.message},
            {"points", sol.t.size()},
            {"n_states", sol.n_states},
            {"n_outputs", sol.n_outputs},
            {"stats",
             {{"accepted_steps", s.accepted_steps},
              {"rejected_steps", s.rejected_steps},
              {"newton_failures", s.newton_failures},
              {"rhs_evals", s.rhs_evals},
              {"jacobian_evals", s.jacobian_evals},
              {"lu_decompositions", s.lu_decompositions},
              {"linear_solves", s.linear_solves},
              {"newton_iterations", s.newton_iterations},
              {"events", s.events},
              {"periodic_updates", s.periodic_updates},
              {"wall_ms", s.wall_ms}}},
            {"events", events},
            {"switches", switches}};
  return j.dump();
}

std::string methods_json() {
  json out = json::array();
  for (const MethodInfo& m : methods())
    out.push_back({{"name", m.name},
                   {"aliases", m.aliases},
                   {"family", to_string(m.family)},
                   {"order", m.order},
                   {"adaptive", m.adaptive},
                   {"stiff", m.stiff},
                   {"mass_matrix", m.mass_matrix},
                   {"second_order", m.second_order},
                   {"summary", m.summary}});
  return out.dump();
}

std::string functions_json() {
  json functions = json::array();
  const auto split_args = [](const std::string& list) {
    json out = json::array();
    std::size_t start = 0;
    while (start < list.size()) {
      std::size_t comma = list.find(',', start);
      if (comma == std::string::npos) comma = list.size();
      std::string arg = list.substr(start, comma - start);
      arg.erase(0, arg.find_first_not_of(' '));
      arg.erase(arg.find_last_not_of(' ') + 1);
      if (!arg.empty()) out.push_back(arg);
      start = comma + 1;
    }
    return out;
  };
  const auto add = [&](const std::string& name, const std::string& args, const std::string& kind,
                       const std::string& description, const char* units) {
    json f = {{"name", name},
              {"signature", name + "(" + args + ")"},
              {"args", split_args(args)},
              {"kind", kind},
              {"description", description}};
    if (units) f["units"] = split_args(units);
    functions.push_back(std::move(f));
  };
  for (const expr::SpecialFunction& f : expr::special_functions()) add(f.name, f.args, "language", f.summary, nullptr);
  for (const expr::MathFunction& f : expr::math_functions()) add(f.name, f.args, "math", f.summary, nullptr);
  for (const expr::LibraryFunction& f : expr::library_functions()) {
    const std::string signature = f.signature;
    const std::size_t open = signature.find('(');
    add(signature.substr(0, open), signature.substr(open + 1, signature.rfind(')') - open - 1), "library", f.summary,
        f.units);
  }
  json constants = json::array();
  for (const expr::Constant& c : expr::constants())
    constants.push_back({{"name", c.name}, {"value", c.value}, {"description", c.summary}});
  constants.push_back(
      {{"name", "t"}, {"description", "time, in the model's `time_unit` (s unless it says otherwise)"}});
  return json{{"functions", functions}, {"constants", constants}}.dump();
}

std::string diagnostics_json(const std::vector<Diagnostic>& ds) { return diagnostics(ds).dump(); }

}  // namespace numen
