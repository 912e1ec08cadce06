#pragma once
// Characterization: a YAML test plan (schemas/plan.schema.json) drives a model's excitation port with test signals
// and measures a response: frequency responses, distortion, sweeps, designs of experiments.
//
// A compiled Plan splits into independent points (one solve each, mostly): run them in any order, on any thread or
// Web Worker, then merge their results. The same code runs natively and in WebAssembly, and the merged document
// does not depend on how points were scheduled:
//
//   numen::Plan plan = numen::Plan::compile(text, "plan.yaml", loader);
//   std::vector<std::string> points(plan.point_count());
//   for (int i = 0; i < plan.point_count(); ++i) points[i] = plan.run_point(i);   // in parallel, if you like
//   std::string results = plan.merge(points);
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "numen/diagnostic.h"
#include "numen/model.h"

namespace numen {

/// Returns the text of a file a plan names (the model, PSD and time-series files), given the path as written in
/// the plan (relative to the plan). Throw any std::exception to say it cannot be read; its what() is reported.
using PlanFileLoader = std::function<std::string(const std::string& path)>;

/// A loader over files held in memory as (name, text), as the workbench holds them: a path is looked up as written,
/// then by its file name alone (so "../pneumatic_dashpot.yaml" finds "pneumatic_dashpot.yaml").
PlanFileLoader in_memory_files(std::vector<std::pair<std::string, std::string>> files);

namespace characterize {
struct PlanImpl;
}

class Plan {
 public:
  /// Parses and checks a plan (every key against the schema; parameter paths, sub-test references and values
  /// against the model), loads and compiles its model. `seed` replaces the plan's seed. Throws numen::Error
  /// carrying every problem found (the model's own errors keep the model file's name and positions).
  static Plan compile(std::string_view text, std::string_view file_name, const PlanFileLoader& load,
                      std::optional<std::uint64_t> seed = std::nullopt);

  const Model& model() const;
  /// The number of independent points of all enabled tests.
  int point_count() const;
  /// "stepped_sine 12.3 Hz": what point i computes, for progress displays.
  std::string point_label(int i) const;
  /// Which test point i belongs to (index into the enabled tests).
  int point_test(int i) const;
  std::vector<std::string> test_names() const;  ///< the enabled tests, in plan order
  /// solver.workers, or 0 when the plan leaves it to the host.
  int workers() const;
  /// The plan's `output` (results file path relative to the plan; empty if not given).
  const std::string& output() const;

  /// Runs point i and returns its result as JSON text. Const and thread-safe: call it concurrently for different
  /// points. A failing solve does not throw; the point records the failure and merge() reports it.
  std::string run_point(int i) const;
  /// Merges the results of all points (point_results[i] from run_point(i)) into the results document:
  /// {numen, plan (resolved, defaults filled in), plan_file, model {name, file, hash}, solver, seed,
  ///  tests: [{name, type, settings, status, messages, metrics, tables, ...}], plots}.
  std::string merge(const std::vector<std::string>& point_results) const;

  explicit Plan(std::shared_ptr<const characterize::PlanImpl> impl);

 private:
  std::shared_ptr<const characterize::PlanImpl> impl_;
};

/// Checks a plan completely (schema, model, references); returns every diagnostic (empty for a clean plan). Never
/// throws.
std::vector<Diagnostic> check_plan(std::string_view text, std::string_view file_name, const PlanFileLoader& load);

/// CSV files of a results document: (file name, text) per table, `<test>.csv` for a test's main table and
/// `<test>_<table>.csv` for the others; sweep families in long form, one column per swept key.
std::vector<std::pair<std::string, std::string>> results_csv(std::string_view results_json);

/// The JSON Schema of plan files (schemas/plan.schema.json).
const char* plan_schema_json();

}  // namespace numen
