// solve(Model, ...): applies a run's settings (parameter and initial values, input signals) and integrates.
#include "common/text.h"
#include "compile/model_problem.h"
#include "numen/solve.h"

namespace numen {

Solution solve(const Model& model, const SolveOptions& options, const RunSettings& settings,
               const SolveControl& control) {
  const detail::CompiledModel& m = detail::compiled(model);
  std::vector<double> x0 = model.initial_state();
  std::vector<double> p = model.parameter_values();
  std::vector<double> d;
  for (const Variable& v : m.discretes) d.push_back(v.value);
  auto replace = [&](std::vector<double>& target, const std::vector<double>& with, const char* what) {
    if (with.empty()) return;
    if (with.size() != target.size())
      throw Error("settings", SourcePos{},
                  std::string(what) + " has " + std::to_string(with.size()) + " values; model `" + m.name + "` has " +
                      std::to_string(target.size()));
    target = with;
  };
  replace(p, settings.parameters, "the parameter vector");
  replace(x0, settings.initial_state, "the initial state");
  for (const auto& [key, value] : settings.set) {
    if (auto i = model.find_parameter(key)) p[static_cast<std::size_t>(*i)] = value;
    else if (auto j = model.find_state(key)) x0[static_cast<std::size_t>(*j)] = value;
    else if (auto k = m.discrete_index.find(key); k != m.discrete_index.end())
      d[static_cast<std::size_t>(k->second)] = value;
    else {
      std::vector<std::string> keys;
      for (const auto* list : {&m.parameters, &m.states, &m.discretes})
        for (const Variable& v : *list) keys.push_back(v.key);
      throw Error("settings", SourcePos{},
                  "`" + key + "` is not a parameter or initial value of model `" + m.name + "`" +
                      text::did_you_mean(key, keys) + "; valid keys: " + text::quoted_list(keys, 30));
    }
  }
  std::vector<std::function<double(double)>> inputs(m.inputs.size());
  for (const InputSignal& signal : settings.inputs) {
    auto i = model.find_input(signal.port);
    if (!i) {
      std::vector<std::string> keys;
      for (const Variable& v : m.inputs) keys.push_back(v.key);
      throw Error("settings", SourcePos{},
                  "`" + signal.port + "` is not an input port of model `" + m.name + "`" +
                      text::did_you_mean(signal.port, keys) + "; ports: " + text::quoted_list(keys));
    }
    inputs[static_cast<std::size_t>(*i)] = signal.value;
  }
  detail::ModelProblem problem(m, p, d, std::move(inputs));
  return solve(problem, x0, options, control);
}

}  // namespace numen
