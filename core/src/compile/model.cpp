// The public Model: compile from text, read the layout, evaluate f, its Jacobian and df/du.
#include "numen/model.h"

#include <algorithm>

#include "common/json.h"
#include "common/json_schema.h"
#include "common/yaml_source.h"
#include "compile/compiler.h"
#include "expr/const_eval.h"
#include "model/model_doc.h"
#include "units/units.h"

namespace numen {

const char* to_string(VariableKind kind) {
  switch (kind) {
    case VariableKind::State: return "state";
    case VariableKind::Algebraic: return "algebraic";
    case VariableKind::Parameter: return "parameter";
    case VariableKind::Discrete: return "discrete";
    case VariableKind::Output: return "output";
    case VariableKind::Input: return "input";
  }
  return "?";
}

namespace {
constexpr std::size_t kMaxModelBytes = 16u << 20;

bool any_error(const std::vector<Diagnostic>& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Diagnostic::Severity::Error; });
}

std::optional<int> lookup(const std::unordered_map<std::string, int>& index, std::string_view key) {
  auto it = index.find(std::string(key));
  if (it == index.end()) return std::nullopt;
  return it->second;
}
}  // namespace

Model::Model(std::shared_ptr<const detail::CompiledModel> impl) : impl_(std::move(impl)) {}

Model Model::compile(std::string_view text, std::string_view file_name, const FileLoader& load) {
  const std::string file(file_name);
  if (text.size() > kMaxModelBytes)
    throw Error(file, SourcePos{1, 1}, "the model is larger than 16 MB; split it or generate it more compactly");
  std::vector<Diagnostic> diagnostics;
  const std::string source(text);
  std::size_t total = 0;
  const model::LibraryLoader bounded = [&](const std::string& path) {
    std::string t = load(path);
    total += t.size();
    if (total > kMaxModelBytes) throw std::runtime_error("the model's libraries are larger than 16 MB together");
    return t;
  };
  model::ModelDoc doc = model::read_model_with_libraries(source, file, load ? bounded : nullptr, diagnostics);
  if (any_error(diagnostics)) throw Error(std::move(diagnostics));
  // The hash covers every file the model was read from; a model without libraries hashes its text alone.
  std::string hashed = source;
  for (std::size_t i = 1; i < doc.sources.size(); ++i)
    hashed += "\n\x1e" + doc.sources[i].path + "\n" + doc.sources[i].text;
  auto compiled = compile::compile(doc, hashed, diagnostics);
  if (!compiled || any_error(diagnostics)) throw Error(std::move(diagnostics));
  return Model(std::move(compiled));
}

std::vector<std::pair<std::string, std::string>> standard_libraries() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const std::string& name : model::standard_library_names()) out.emplace_back(name, model::standard_library(name));
  return out;
}

std::vector<Diagnostic> check_model(std::string_view text, std::string_view file_name, const FileLoader& load) {
  const std::string file(file_name);
  std::vector<Diagnostic> diagnostics;
  try {
    const Model model = Model::compile(text, file_name, load);
    diagnostics = model.warnings();
  } catch (const Error& e) {
    diagnostics = e.diagnostics();
  }
  // Model::compile validates every file against the schema before reading it, so its diagnostics hold the
  // schema's findings already.
  std::stable_sort(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return a.severity == Diagnostic::Severity::Error && b.severity != Diagnostic::Severity::Error;
  });
  return diagnostics;
}

const char* model_schema_json() { return model_schema_text(); }

Quantity read_quantity(std::string_view text, const std::string& source) {
  try {
    expr::Quantity q = expr::evaluate_quantity(text);
    return Quantity{q.value, std::move(q.unit)};
  } catch (const expr::ParseError& e) {
    throw Error(source, SourcePos{1, e.offset + 1}, e.what());
  }
}

double read_setting(const Model& model, std::string_view key, std::string_view text, const std::string& source) {
  expr::Quantity q;
  try {
    q = expr::evaluate_quantity(text);
  } catch (const expr::ParseError& e) {
    throw Error(source, SourcePos{1, e.offset + 1}, e.what());
  }
  for (const auto* list : {&model.parameters(), &model.states(), &model.discretes()}) {
    for (const Variable& v : *list) {
      if (v.key != key) continue;
      if (q.unit.empty() || q.unit == v.unit) return v.from_display(q.value);
      if (v.unit.empty())
        throw Error(source, SourcePos{1, q.unit_offset + 1},
                    "`" + std::string(key) + "` declares no unit, so a value in `" + q.unit +
                        "` cannot be converted; give the bare value");
      const units::Unit declared = units::parse(v.unit);
      const std::string problem = units::conversion_problem(q.si, q.unit, declared, v.unit);
      if (!problem.empty())
        throw Error(source, SourcePos{1, q.unit_offset + 1}, "`" + std::string(key) + "`: " + problem);
      return v.from_display(((q.value * q.si.scale + q.si.offset) - declared.offset) / declared.scale);
    }
  }
  if (q.unit.empty()) return q.value;
  throw Error(source, SourcePos{1, q.unit_offset + 1},
              "`" + std::string(key) + "` is not a field of model `" + model.name() + "`, so its unit `" + q.unit +
                  "` cannot be checked; give the bare value");
}

std::string units_json() {
  json units = json::array();
  for (const units::UnitInfo& u : units::table())
    units.push_back({{"symbol", u.symbol},
                     {"name", u.name},
                     {"scale", u.scale},
                     {"prefixes", u.prefixes},
                     {"si", u.si},
                     {"quantity", u.quantity}});
  json prefixes = json::array();
  for (const auto& [symbol, factor] : units::prefixes()) prefixes.push_back({symbol, factor});
  return json{{"units", units}, {"prefixes", prefixes}}.dump();
}

const std::string& Model::name() const { return impl_->name; }
const std::string& Model::description() const { return impl_->description; }
const std::string& Model::file_name() const { return impl_->file; }
const std::string& Model::time_unit() const { return impl_->time_unit; }
const ModelView& Model::view() const { return impl_->view; }
const std::string& Model::content_hash() const { return impl_->content_hash; }

namespace detail {
const CompiledModel& compiled(const Model& model) { return *model.impl_; }
}  // namespace detail
const std::vector<Variable>& Model::states() const { return impl_->states; }
const std::vector<Variable>& Model::parameters() const { return impl_->parameters; }
const std::vector<Variable>& Model::discretes() const { return impl_->discretes; }
const std::vector<Variable>& Model::outputs() const { return impl_->outputs; }
const std::vector<Variable>& Model::inputs() const { return impl_->inputs; }

std::vector<double> Model::initial_state() const {
  std::vector<double> x;
  for (const Variable& v : impl_->states) x.push_back(v.value);
  return x;
}

std::vector<double> Model::parameter_values() const {
  std::vector<double> p;
  for (const Variable& v : impl_->parameters) p.push_back(v.value);
  return p;
}

std::vector<std::uint8_t> Model::differential_mask() const { return impl_->differential_mask; }
std::optional<int> Model::find_state(std::string_view key) const { return lookup(impl_->state_index, key); }
std::optional<int> Model::find_parameter(std::string_view key) const { return lookup(impl_->parameter_index, key); }
std::optional<int> Model::find_output(std::string_view key) const { return lookup(impl_->output_index, key); }
std::optional<int> Model::find_input(std::string_view key) const { return lookup(impl_->input_index, key); }
ModelFeatures Model::features() const { return impl_->features; }
ModelStats Model::stats() const {
  ModelStats s = impl_->stats;
  for (int i = 0; i < impl_->program.tape_count(); ++i) s.compiled_tapes += impl_->program.is_compiled(i) ? 1 : 0;
  return s;
}

void set_tape_compilation(bool enabled) { expr::set_tape_compilation(enabled); }
bool tape_compilation() { return expr::tape_compilation(); }
const SolveOptions& Model::simulate() const { return impl_->simulate; }
const std::vector<Diagnostic>& Model::warnings() const { return impl_->warnings; }
const SparsityPattern& Model::jacobian_pattern() const { return impl_->jacobian_pattern; }
const std::vector<std::pair<int, int>>& Model::second_order_pairs() const { return impl_->second_order_pairs; }

namespace {
std::vector<double> workspace(const detail::CompiledModel& m, double t, const double* x, const double* p,
                              const double* u, const double* d) {
  std::vector<double> ws = m.program.make_workspace();
  const auto& layout = m.program.layout();
  ws[layout.time] = t;
  std::copy(x, x + m.states.size(), ws.begin() + layout.x);
  std::vector<double> values(m.parameters.size());
  for (std::size_t i = 0; i < m.parameters.size(); ++i) values[i] = p ? p[i] : m.parameters[i].value;
  m.program.load_parameters(ws.data(), values.data());
  for (std::size_t i = 0; i < m.discretes.size(); ++i) ws[layout.d + i] = d ? d[i] : m.discretes[i].value;
  for (std::size_t i = 0; i < m.inputs.size(); ++i) ws[layout.u + i] = u ? u[i] : 0.0;
  return ws;
}
}  // namespace

void Model::rhs(double t, const double* x, const double* p, double* dxdt, const double* u, const double* d) const {
  std::vector<double> ws = workspace(*impl_, t, x, p, u, d);
  impl_->program.run(impl_->rhs_tape, ws.data(), dxdt);
}

void Model::jacobian(double t, const double* x, const double* p, double* values, const double* u,
                     const double* d) const {
  std::vector<double> ws = workspace(*impl_, t, x, p, u, d);
  impl_->program.run(impl_->jacobian_tape, ws.data(), values);
}

void Model::evaluate_outputs(double t, const double* x, const double* p, double* y, const double* u,
                             const double* d) const {
  if (impl_->output_tape < 0) return;
  std::vector<double> ws = workspace(*impl_, t, x, p, u, d);
  impl_->program.run(impl_->output_tape, ws.data(), y);
}

void Model::output_jacobian(double t, const double* x, const double* p, double* values, const double* u,
                            const double* d) const {
  if (impl_->output_jacobian_tape < 0) return;
  std::vector<double> ws = workspace(*impl_, t, x, p, u, d);
  impl_->program.run(impl_->output_jacobian_tape, ws.data(), values);
}

const OutputJacobianPattern& Model::output_jacobian_pattern() const { return impl_->output_jacobian_pattern; }

void Model::input_jacobian(double t, const double* x, const double* p, double* values, const double* u,
                           const double* d) const {
  if (impl_->input_tape < 0) return;
  std::vector<double> ws = workspace(*impl_, t, x, p, u, d);
  impl_->program.run(impl_->input_tape, ws.data(), values);
}

}  // namespace numen
