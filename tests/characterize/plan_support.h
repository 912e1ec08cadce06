#pragma once
// Running plans in tests: files resolve against the repository's models/ folder, points run in order (or in any
// order given), and the merged document comes back parsed.
#include <gtest/gtest.h>

#include <algorithm>
#include <complex>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "numen/characterize.h"
#include "support.h"

namespace numen::test {

using ojson = nlohmann::ordered_json;

/// Reads plan files relative to models/plans/ (so `../linear_msd.yaml` is models/linear_msd.yaml).
inline PlanFileLoader repo_loader() {
  return [](const std::string& path) {
    std::ifstream in(source_path("models/plans/" + path), std::ios::binary);
    if (!in) throw std::runtime_error("no such file");
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };
}

inline Plan compile_plan(const std::string& text) {
  return Plan::compile(text, "models/plans/test.plan.yaml", repo_loader());
}

inline ojson run_plan(const Plan& plan) {
  std::vector<std::string> points;
  for (int i = 0; i < plan.point_count(); ++i) points.push_back(plan.run_point(i));
  return ojson::parse(plan.merge(points));
}

inline ojson run_plan(const std::string& text) { return run_plan(compile_plan(text)); }

/// The test result named `name`.
inline const ojson& test_result(const ojson& doc, const std::string& name) {
  for (const auto& t : doc["tests"])
    if (t["name"] == name) return t;
  throw std::runtime_error("no test result " + name);
}

/// Column `column` of table `table` of a test result, as doubles (NaN for null).
inline std::vector<double> column(const ojson& result, const std::string& table, const std::string& column) {
  const ojson& t = result["tables"][table];
  const auto& names = t["columns"];
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == column) {
      std::vector<double> v;
      for (const auto& x : t["data"][i]) v.push_back(x.is_number() ? x.get<double>() : NAN);
      return v;
    }
  throw std::runtime_error("no column " + column + " in table " + table);
}

/// The complex FRF of a result's frf table.
inline std::vector<std::complex<double>> frf(const ojson& result) {
  const auto re = column(result, "frf", "real"), im = column(result, "frf", "imag");
  std::vector<std::complex<double>> h;
  for (std::size_t i = 0; i < re.size(); ++i) h.emplace_back(re[i], im[i]);
  return h;
}

/// The first error a plan compiles to.
inline Diagnostic plan_error(const std::string& text) {
  try {
    compile_plan(text);
  } catch (const Error& e) {
    return e.diagnostics().front();
  }
  ADD_FAILURE() << "the plan compiled, but an error was expected:\n" << text;
  return {};
}

/// The linear mass-spring-damper of models/linear_msd.yaml: x / F.
inline std::complex<double> msd_frf(double f, double m = 1.0, double k = 1000.0, double c = 2.0) {
  const double w = 2 * M_PI * f;
  return 1.0 / std::complex<double>(k - m * w * w, c * w);
}

/// Head of a plan on the linear mass-spring-damper, driven by force in newtons; append `tests:`.
inline std::string msd_plan_head(const std::string& solver = "{ method: Tsit5, rtol: 1e-9, atol: 1e-12 }") {
  return "model: { file: ../linear_msd.yaml }\n"
         "solver: " +
         solver +
         "\n"
         "excitation: { entity: mass, component: body, port: force, output: mass.body.x, scale_by: mass.body.m }\n";
}

}  // namespace numen::test
