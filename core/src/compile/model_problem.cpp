#include "compile/model_problem.h"

#include <algorithm>

namespace numen::detail {

ModelProblem::ModelProblem(const CompiledModel& model, const std::vector<double>& parameters,
                           const std::vector<double>& discretes, std::vector<std::function<double(double)>> inputs)
    : model_(model), ws_(model.program.make_workspace()), initial_discretes_(discretes), discretes_(discretes),
      inputs_(std::move(inputs)) {
  const auto& layout = model_.program.layout();
  model_.program.load_parameters(ws_.data(), parameters.data());
  std::copy(discretes_.begin(), discretes_.end(), ws_.begin() + layout.d);
  inputs_.resize(model_.inputs.size());
  for (const auto& u : inputs_) has_signals_ = has_signals_ || static_cast<bool>(u);
}

void ModelProblem::load(double t, const double* x) {
  const auto& layout = model_.program.layout();
  ws_[layout.time] = t;
  std::copy(x, x + model_.states.size(), ws_.begin() + layout.x);
  if (has_signals_) {
    for (std::size_t k = 0; k < inputs_.size(); ++k) ws_[layout.u + k] = inputs_[k] ? inputs_[k](t) : 0.0;
  }
}

void ModelProblem::rhs(double t, const double* x, double* dxdt) {
  load(t, x);
  model_.program.run(model_.rhs_tape, ws_.data(), dxdt);
}

void ModelProblem::jacobian(double t, const double* x, double* values) {
  load(t, x);
  model_.program.run(model_.jacobian_tape, ws_.data(), values);
}

void ModelProblem::time_derivative(double t, const double* x, double* dfdt) {
  load(t, x);
  model_.program.run(model_.time_tape, ws_.data(), dfdt);
}

std::vector<std::uint8_t> ModelProblem::differential_mask() const {
  if (!model_.features.algebraic) return {};
  if (model_.mass_tape >= 0) return model_.unit_rows;
  return model_.differential_mask;
}

void ModelProblem::mass_matrix(double* values) {
  // M depends on parameters only (the compiler checks), so any t and x give it.
  model_.program.run(model_.mass_tape, ws_.data(), values);
}

void ModelProblem::switch_functions(double t, const double* x, double* g) {
  load(t, x);
  model_.program.run(model_.switch_tape, ws_.data(), g);
}

void ModelProblem::event_functions(double t, const double* x, double* g) {
  load(t, x);
  model_.program.run(model_.event_tape, ws_.data(), g);
}

bool ModelProblem::run_actions(const EventSpec& spec, double t, double* x) {
  if (spec.action_tape >= 0) {
    // All right-hand sides see the values from before the event; then all targets are written.
    load(t, x);
    action_values_.resize(spec.targets.size());
    model_.program.run(spec.action_tape, ws_.data(), action_values_.data());
    const auto& layout = model_.program.layout();
    for (std::size_t i = 0; i < spec.targets.size(); ++i) {
      const ActionTarget& target = spec.targets[i];
      if (target.kind == ActionTarget::Kind::State) {
        x[target.index] = action_values_[i];
      } else {
        discretes_[static_cast<std::size_t>(target.index)] = action_values_[i];
        ws_[layout.d + static_cast<std::size_t>(target.index)] = action_values_[i];
      }
    }
  }
  return spec.terminate;
}

bool ModelProblem::apply_event(int k, double t, double* x) {
  return run_actions(model_.events[static_cast<std::size_t>(k)], t, x);
}

bool ModelProblem::apply_periodic(int k, double t, double* x) {
  return run_actions(model_.periodic[static_cast<std::size_t>(k)], t, x);
}

void ModelProblem::outputs(double t, const double* x, double* y) {
  load(t, x);
  model_.program.run(model_.output_tape, ws_.data(), y);
}

void ModelProblem::reset() {
  discretes_ = initial_discretes_;
  std::copy(discretes_.begin(), discretes_.end(), ws_.begin() + model_.program.layout().d);
}

}  // namespace numen::detail
