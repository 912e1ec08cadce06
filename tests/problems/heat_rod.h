#pragma once
// A 1-D heat-conduction rod, u_t = alpha u_xx on 0 < x < L with both ends held at the reference temperature (u = 0),
// discretized by second differences on n interior nodes x_i = i h, h = L / (n + 1):
//   u_i' = g (u_{i-1} - 2 u_i + u_{i+1}),   g = alpha / h^2,   u_0 = u_{n+1} = 0.
// The Jacobian is tridiagonal and the problem stiff (its fastest rate is 4 g ~ 4 (n + 1)^2 alpha / L^2).
// sin(m pi x_i / L) is an exact eigenvector of the discrete operator with eigenvalue
//   lambda_m = -4 g sin^2(m pi h / (2 L)),
// so an initial profile made of such modes has an exact solution of the discretized system, which every solver's
// answer is checked against (no spatial-discretization error enters the comparison).
//
// alpha / L^2 = 1 /s (e.g. aluminium, alpha = 9.7e-5 m^2/s, on a rod of 1 cm), so g = (n + 1)^2 /s. The initial
// profile, in kelvin above the ends, is sin(pi x / L) + 0.5 sin(3 pi x / L): over 0.1 s the first mode decays to 0.37
// and the third, the fast transient at the start, to 1.4e-4.
//
// The same rod twice: hand-written C++ (HeatRod, for CVODE and for the solver-only comparison) and as a model in the
// model language (heat_rod_model, the path a user takes: compiled by numen, its exact Jacobian derived by the
// compiler).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "numen/problem.h"

namespace numen::problems {

struct HeatRodSpec {
  int n = 1000;
  double alpha_over_l2 = 1.0;  ///< 1/s
  double t_end = 0.1;
  double g() const { return alpha_over_l2 * (n + 1.0) * (n + 1.0); }
  double h_over_l() const { return 1.0 / (n + 1.0); }
  /// The modes of the initial profile: (m, amplitude in K).
  static constexpr int kModes = 2;
  static constexpr int kMode[kModes] = {1, 3};
  static constexpr double kAmplitude[kModes] = {1.0, 0.5};

  double lambda(int m) const {
    const double s = std::sin(m * M_PI * h_over_l() / 2.0);
    return -4.0 * g() * s * s;
  }
  /// The exact solution of the discretized rod at time t (t = 0: the initial profile).
  std::vector<double> exact(double t) const {
    std::vector<double> u(static_cast<std::size_t>(n), 0.0);
    for (int k = 0; k < kModes; ++k) {
      const double decay = kAmplitude[k] * std::exp(lambda(kMode[k]) * t);
      for (int i = 0; i < n; ++i)
        u[static_cast<std::size_t>(i)] += decay * std::sin(kMode[k] * M_PI * (i + 1) * h_over_l());
    }
    return u;
  }
};

/// The rod in C++: f and its exact tridiagonal Jacobian (constant: the problem is linear).
class HeatRod final : public OdeProblem {
 public:
  explicit HeatRod(HeatRodSpec spec) : spec_(spec), g_(spec.g()) {
    const int n = spec.n;
    pattern_.n = n;
    pattern_.col_start.reserve(static_cast<std::size_t>(n) + 1);
    pattern_.col_start.push_back(0);
    for (int j = 0; j < n; ++j) {
      for (int i = std::max(0, j - 1); i <= std::min(n - 1, j + 1); ++i) {
        pattern_.row_index.push_back(i);
        values_.push_back(i == j ? -2.0 * g_ : g_);
      }
      pattern_.col_start.push_back(static_cast<int>(pattern_.row_index.size()));
    }
  }
  int size() const override { return spec_.n; }
  bool autonomous() const override { return true; }
  void rhs(double, const double* u, double* du) override {
    const int n = spec_.n;
    for (int i = 0; i < n; ++i) {
      const double left = i > 0 ? u[i - 1] : 0.0, right = i + 1 < n ? u[i + 1] : 0.0;
      du[i] = g_ * (left - 2.0 * u[i] + right);
    }
  }
  const SparsityPattern* jacobian_pattern() const override { return &pattern_; }
  void jacobian(double, const double*, double* values) override { std::copy(values_.begin(), values_.end(), values); }
  const HeatRodSpec& spec() const { return spec_; }
  double g() const { return g_; }

 private:
  HeatRodSpec spec_;
  double g_;
  SparsityPattern pattern_;
  std::vector<double> values_;
};

/// The rod in the model language: a `cell` per node (its temperature above the ends, in K) and one `rod` entity
/// holding g; conduction between neighbours, and the fixed-temperature ends as conduction to u = 0.
inline std::string heat_rod_model(const HeatRodSpec& spec) {
  char g[64];
  std::snprintf(g, sizeof g, "%.17g", spec.g());
  std::string text = std::string(
                         "model: heat_rod\n"
                         "description: \"1-D heat conduction, u_t = alpha u_xx, ends held at u = 0, second "
                         "differences on ") +
                     std::to_string(spec.n) +
                     " nodes\"\n"
                     "components:\n"
                     "  cell: { states: { T: 0 K } }\n"
                     "  rod: { params: { g: " +
                     g +
                     " 1/s } }\n"
                     R"(systems:
  conduction:
    slots: [a: cell, r: rod, b: cell]
    equations:
      - q = r.g * (a.T - b.T)
      - der(a.T) -= q
      - der(b.T) += q
  fixed_end:
    slots: [a: cell, r: rod]
    equations: ["der(a.T) -= r.g * a.T"]
entities:
  rod: { rod: {} }
)";
  const std::vector<double> u0 = spec.exact(0.0);
  text.reserve(static_cast<std::size_t>(spec.n) * 70);
  char value[64];
  for (int i = 0; i < spec.n; ++i) {
    std::snprintf(value, sizeof value, "%.17g", u0[static_cast<std::size_t>(i)]);
    text += "  c" + std::to_string(i) + ": { cell: { T: " + value + " } }\n";
  }
  text += "world:\n  conduction: [";
  for (int i = 0; i + 1 < spec.n; ++i)
    text += std::string(i ? ", " : "") + "[c" + std::to_string(i) + ", rod, c" + std::to_string(i + 1) + "]";
  text += "]\n  fixed_end: [[c0, rod], [c" + std::to_string(spec.n - 1) + ", rod]]\n";
  char end[64];
  std::snprintf(end, sizeof end, "%.17g", spec.t_end);
  return text + "simulate: { tspan: [0, " + end + "], method: BDF, rtol: 1e-6, atol: 1e-8, n_save_points: 2 }\n";
}

}  // namespace numen::problems
