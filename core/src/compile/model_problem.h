#pragma once
// A compiled model as an OdeProblem: one instance per solve, holding the parameter values, the discrete variables
// (which events change) and the input signals, and a workspace for the tapes.
#include <functional>
#include <vector>

#include "compile/compiled_model.h"
#include "numen/problem.h"

namespace numen::detail {

class ModelProblem final : public OdeProblem {
 public:
  ModelProblem(const CompiledModel& model, const std::vector<double>& parameters, const std::vector<double>& discretes,
               std::vector<std::function<double(double)>> inputs);

  int size() const override { return static_cast<int>(model_.states.size()); }
  void rhs(double t, const double* x, double* dxdt) override;
  const SparsityPattern* jacobian_pattern() const override { return &model_.jacobian_pattern; }
  void jacobian(double t, const double* x, double* values) override;
  bool has_time_derivative() const override { return !has_signals_; }
  void time_derivative(double t, const double* x, double* dfdt) override;
  bool autonomous() const override { return !model_.features.time_dependent && !has_signals_; }
  std::vector<std::uint8_t> differential_mask() const override;
  const SparsityPattern* mass_pattern() const override {
    return model_.mass_tape >= 0 ? &model_.mass_pattern : nullptr;
  }
  void mass_matrix(double t, const double* x, double* values) override;
  bool mass_varies() const override { return model_.mass_varies; }
  std::vector<std::pair<int, int>> second_order_pairs() const override { return model_.second_order_pairs; }

  int switch_count() const override { return model_.switch_count; }
  void switch_functions(double t, const double* x, double* g) override;
  int event_count() const override { return static_cast<int>(model_.events.size()); }
  void event_functions(double t, const double* x, double* g) override;
  Crossing event_crossing(int k) const override { return model_.events[static_cast<std::size_t>(k)].crossing; }
  bool apply_event(int k, double t, double* x) override;
  std::string event_name(int k) const override { return model_.events[static_cast<std::size_t>(k)].label; }

  int periodic_count() const override { return static_cast<int>(model_.periodic.size()); }
  double periodic_period(int k) const override { return model_.periodic[static_cast<std::size_t>(k)].period; }
  double periodic_offset(int k) const override { return model_.periodic[static_cast<std::size_t>(k)].offset; }
  bool apply_periodic(int k, double t, double* x) override;

  int output_count() const override { return static_cast<int>(model_.outputs.size()); }
  void outputs(double t, const double* x, double* y) override;

  void reset() override;
  std::string state_name(int i) const override { return model_.state_origin[static_cast<std::size_t>(i)]; }

  const std::vector<double>& discretes() const { return discretes_; }

 private:
  void load(double t, const double* x);
  bool run_actions(const EventSpec& spec, double t, double* x);

  const CompiledModel& model_;
  std::vector<double> ws_;
  std::vector<double> initial_discretes_, discretes_;
  std::vector<std::function<double(double)>> inputs_;
  bool has_signals_ = false;
  std::vector<double> action_values_;
};

}  // namespace numen::detail
