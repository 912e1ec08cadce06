// numen validate MODEL   and   numen inspect MODEL
#include <cstdio>
#include <filesystem>
#include <iostream>

#include <yaml-cpp/yaml.h>

#include "commands.h"

namespace numen::cli {
namespace {

/// A plan has top-level `tests:` and `excitation:`; anything else is checked as a model.
bool is_plan(const std::string& text) {
  try {
    const YAML::Node root = YAML::Load(text);
    return root.IsMap() && root["tests"].IsDefined() && root["excitation"].IsDefined();
  } catch (const std::exception&) {
    return false;
  }
}

void validate_plan(const std::string& path, const std::string& text) {
  const std::filesystem::path base = std::filesystem::path(path).parent_path();
  const PlanFileLoader load = [&base](const std::string& file) {
    auto content = read_file_quiet((base / file).string());
    if (!content) throw std::runtime_error("cannot open " + (base / file).string());
    return *content;
  };
  bool failed = false;
  for (const Diagnostic& d : check_plan(text, path, load)) {
    std::cerr << d.format() << "\n";
    failed = failed || d.severity == Diagnostic::Severity::Error;
  }
  if (failed) return set_exit_code(1);
  const Plan plan = Plan::compile(text, path, load);
  std::cout << path << ": ok (plan: " << plan.test_names().size() << " tests, " << plan.point_count()
            << " points, model " << plan.model().name() << ")\n";
}

void validate_model(const std::string& path) {
  auto text = read_file(path);
  if (!text) return set_exit_code(1);
  if (is_plan(*text)) return validate_plan(path, *text);
  bool failed = false;
  for (const Diagnostic& d : check_model(*text, path, disk_files())) {
    std::cerr << d.format() << "\n";
    failed = failed || d.severity == Diagnostic::Severity::Error;
  }
  if (failed) return set_exit_code(1);
  const Model model = Model::compile(*text, path, disk_files());
  std::cout << path << ": ok (" << model.states().size() << " states, " << model.parameters().size()
            << " parameters)\n";
}

void print_variables(const char* title, const std::vector<Variable>& vars) {
  if (vars.empty()) return;
  std::printf("%s (%zu):\n", title, vars.size());
  for (std::size_t i = 0; i < vars.size(); ++i) {
    const Variable& v = vars[i];
    std::printf(
        "  %4zu  %-40s %-12s %s%s\n", i, v.key.c_str(), v.unit.c_str(),
        v.kind == VariableKind::Output || v.kind == VariableKind::Input ? "" : number(v.to_display(v.value)).c_str(),
        v.kind == VariableKind::Algebraic ? "  (algebraic)" : "");
  }
}

void inspect_model(const std::string& path) {
  auto model = load_model(path);
  if (!model) return set_exit_code(1);
  std::printf("model %s", model->name().c_str());
  if (!model->description().empty()) std::printf(": %s", model->description().c_str());
  std::printf("\n\n");
  print_variables("states", model->states());
  print_variables("parameters", model->parameters());
  print_variables("discrete variables", model->discretes());
  print_variables("outputs", model->outputs());
  print_variables("inputs", model->inputs());
  const ModelFeatures f = model->features();
  std::string features;
  auto add = [&features](bool on, const char* name) {
    if (on) features += std::string(features.empty() ? "" : ", ") + name;
  };
  add(f.algebraic, "algebraic variables (DAE)");
  add(f.events, "state events");
  add(f.periodic, "periodic updates");
  add(f.discrete, "discrete variables");
  add(f.inputs, "input ports");
  add(f.vector_fields, "vector fields");
  add(f.time_dependent, "explicit time dependence");
  add(!model->second_order_pairs().empty(), "separable second-order form");
  std::printf("\nfeatures: %s\n", features.empty() ? "none (a plain ODE)" : features.c_str());
  const ModelStats s = model->stats();
  const double n = static_cast<double>(model->states().size());
  std::printf("jacobian: %d nonzeros of %.0f (%.3g%%)\n", s.jacobian_nonzeros, n * n,
              n > 0 ? 100.0 * s.jacobian_nonzeros / (n * n) : 0.0);
  std::printf("tapes: f %d instructions, jacobian %d instructions; expression graph %d nodes\n", s.rhs_instructions,
              s.jacobian_instructions, s.graph_nodes);
  const SolveOptions& o = model->simulate();
  std::printf("simulate: tspan [%s, %s], method %s, rtol %s, atol %s\n", number(o.t0).c_str(), number(o.t1).c_str(),
              o.method.c_str(), number(o.rtol).c_str(), o.atol.size() == 1 ? number(o.atol[0]).c_str() : "per state");
}

}  // namespace

void add_validate(CLI::App& app) {
  auto path = std::make_shared<std::string>();
  CLI::App* cmd =
      app.add_subcommand("validate", "Check a model or test-plan file; print its errors with line and column");
  cmd->add_option("file", *path, "model or plan file (YAML)")->required();
  cmd->callback([path] { validate_model(*path); });
}

void add_schema(CLI::App& app) {
  auto plan = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand("schema", "Print the JSON Schema of model files, or of test plans (for editors)");
  cmd->add_flag("--plan", *plan, "the schema of test plans");
  cmd->callback([plan] { std::cout << (*plan ? plan_schema_json() : model_schema_json()); });
}

void add_inspect(CLI::App& app) {
  auto path = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("inspect", "Show a model's layout, features, Jacobian sparsity and tape sizes");
  cmd->add_option("model", *path, "model file (YAML)")->required();
  cmd->callback([path] { inspect_model(*path); });
}

}  // namespace numen::cli
