#pragma once
// Helpers shared by the tests: reading the repository's files and checking diagnostics.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "numen/numen.h"

namespace numen::test {

inline std::string source_path(const std::string& relative) { return std::string(NUMEN_SOURCE_DIR) + "/" + relative; }

inline std::string read_text(const std::string& relative) {
  std::ifstream in(source_path(relative), std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// The example models: the stems of models/*.yaml, sorted.
inline std::vector<std::string> model_names() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(source_path("models")))
    if (entry.path().extension() == ".yaml") names.push_back(entry.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

inline Model load_model(const std::string& name) {
  return Model::compile(read_text("models/" + name + ".yaml"), name + ".yaml");
}

/// Compiles text that must fail; returns the first error.
/// The model's exact Jacobian df/dx at (t, x) as a dense row-major n x n matrix (the one scatter of the sparse
/// pattern the tests use).
inline std::vector<double> dense_jacobian(const Model& m, double t, const std::vector<double>& x,
                                          const std::vector<double>& p) {
  const SparsityPattern& pattern = m.jacobian_pattern();
  const int n = static_cast<int>(x.size());
  std::vector<double> values(static_cast<std::size_t>(pattern.nnz())), dense(static_cast<std::size_t>(n * n), 0.0);
  m.jacobian(t, x.data(), p.data(), values.data());
  for (int j = 0; j < n; ++j)
    for (int k = pattern.col_start[static_cast<std::size_t>(j)]; k < pattern.col_start[static_cast<std::size_t>(j) + 1];
         ++k)
      dense[static_cast<std::size_t>(pattern.row_index[static_cast<std::size_t>(k)] * n + j)] =
          values[static_cast<std::size_t>(k)];
  return dense;
}

/// The exact output Jacobian dy/dx at (t, x), dense row-major (outputs x states).
inline std::vector<double> dense_output_jacobian(const Model& m, double t, const std::vector<double>& x,
                                                 const std::vector<double>& p) {
  const OutputJacobianPattern& pattern = m.output_jacobian_pattern();
  const int n = static_cast<int>(x.size()), n_out = static_cast<int>(m.outputs().size());
  std::vector<double> values(static_cast<std::size_t>(pattern.nnz())), dense(static_cast<std::size_t>(n_out * n), 0.0);
  m.output_jacobian(t, x.data(), p.data(), values.data());
  for (int i = 0; i < n_out; ++i)
    for (int k = pattern.row_start[static_cast<std::size_t>(i)]; k < pattern.row_start[static_cast<std::size_t>(i) + 1];
         ++k)
      dense[static_cast<std::size_t>(i * n + pattern.col_index[static_cast<std::size_t>(k)])] =
          values[static_cast<std::size_t>(k)];
  return dense;
}

inline Diagnostic first_error(const std::string& text) {
  try {
    Model::compile(text, "bad.yaml");
  } catch (const Error& e) {
    return e.diagnostics().front();
  }
  ADD_FAILURE() << "the model compiled, but an error was expected:\n" << text;
  return {};
}

/// The damped oscillator's analytic displacement for x(0) = 1, v(0) = 0 (reference-models.md, model 1).
inline double oscillator_x(double t, double omega, double zeta) {
  const double wd = omega * std::sqrt(1 - zeta * zeta);
  return std::exp(-zeta * omega * t) * (std::cos(wd * t) + zeta / std::sqrt(1 - zeta * zeta) * std::sin(wd * t));
}

}  // namespace numen::test
