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
