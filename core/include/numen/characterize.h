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
//
// Points can also run in separate processes or on other machines: a host runs a PointSelection of them (a shard
// I/N, or ranges) and writes a part document (Plan::part); merge_parts() checks the parts against each other and
// merges them into the document a single run gives, byte for byte (`numen characterize --shard`, `numen merge`).
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

/// Returns the text of a file a plan names (the model, its libraries, PSD and time-series files), given the path
/// relative to the plan (as written in the plan; a library's path is joined to its model's folder, "../parts.yaml"
/// for a model "../m.yaml" that uses "./parts.yaml"). Throw any std::exception to say it cannot be read; its
/// what() is reported.
using PlanFileLoader = FileLoader;

/// A loader over files held in memory as (name, text), as the workbench holds them: a path is looked up as written,
/// then by its file name alone (so "../pneumatic_dashpot.yaml" finds "pneumatic_dashpot.yaml").
PlanFileLoader in_memory_files(std::vector<std::pair<std::string, std::string>> files);

namespace characterize {
struct PlanImpl;
}

class PlanMerger;

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

  /// The texts the plan was compiled from: the plan file's, and every file it loaded (the model, PSD and
  /// time-series files) by the path the plan gives, in the order they were read. Compiling them again (same file
  /// name, same seed) gives the same plan: this is what a part carries so that it merges anywhere.
  const std::string& text() const;
  const std::string& file_name() const;
  const std::vector<std::pair<std::string, std::string>>& files() const;
  std::uint64_t seed() const;  ///< the plan's seed, after any override
  /// "fnv1a64:..." of the plan's text, its files and its seed: plans with equal fingerprints have equal points.
  std::string fingerprint() const;

  /// A part document: the results of some points (results[k] from run_point(indices[k])), what they are
  /// (`selection`, as PointSelection::describe() words it) and all merge_parts() needs to check and merge them:
  /// {numen_part: 1, numen, plan_file, fingerprint, seed, model {name, file, hash}, plan_hash, files {path: hash},
  ///  point_count, selection, shard? [I, N], points: [[i, result], ...], sources {plan, files {path: text}}}.
  std::string part(const std::vector<int>& indices, const std::vector<std::string>& results,
                   std::string_view selection) const;

  explicit Plan(std::shared_ptr<const characterize::PlanImpl> impl);

 private:
  friend class PlanMerger;
  std::shared_ptr<const characterize::PlanImpl> impl_;
};

/// Merges point results as they arrive, in any order: each test is merged as soon as its last point is in, and its
/// points' texts are released, so a host streaming results from many workers holds only the unfinished tests'
/// points. finish() returns exactly what Plan::merge() returns for the same results.
class PlanMerger {
 public:
  explicit PlanMerger(const Plan& plan);
  /// Adds run_point(i)'s result. Throws std::invalid_argument for an index outside the plan or given twice.
  void add(int i, std::string result);
  bool has(int i) const;
  int remaining() const;             ///< points not added yet
  std::vector<int> missing() const;  ///< their indices, ascending
  /// The results document. Throws std::logic_error naming the missing points when some are.
  std::string finish();

 private:
  Plan plan_;
  std::vector<std::string> pending_;  ///< per point, until its test is merged
  std::vector<char> added_;
  std::vector<int> left_;            ///< per enabled test: points still to come
  std::vector<std::string> merged_;  ///< per enabled test: its entry of `tests`, serialized
  int remaining_ = 0;
};

/// Which of a plan's points a host runs. Shard I of N (1-based) holds the points i with i % N == I - 1: interleaved,
/// so each shard gets its share of every test, and of the costly points, whatever their order in the plan. Ranges
/// are 0-based and exclude their end, like Python slices ("0:100", "100:" or ":50", "7" for one point), several
/// joined by commas ("0:10,20:30").
class PointSelection {
 public:
  PointSelection() = default;  ///< every point
  /// "I/N". Throws std::invalid_argument with a message for users (`--shard 0/3`: shards count from 1).
  static PointSelection shard(std::string_view text);
  static PointSelection shard(int index, int count);
  /// Ranges as above. Throws std::invalid_argument with a message for users.
  static PointSelection points(std::string_view text);
  /// The selected indices of a plan of `point_count` points, ascending, each once. Throws std::invalid_argument
  /// when a range reaches past the plan's points.
  std::vector<int> indices(int point_count) const;
  std::string describe() const;  ///< "shard 2/3", "points 0:10,20:30", "all points"
  bool is_shard() const { return shard_count_ > 0; }
  int shard_index() const { return shard_index_; }
  int shard_count() const { return shard_count_; }

 private:
  int shard_index_ = 0, shard_count_ = 0;
  std::vector<std::pair<int, int>> ranges_;  ///< [begin, end); end -1: to the last point
  bool all_ = true;
};

/// "0:10,12,20:30": ascending indices in the range syntax of PointSelection::points (for messages and reruns).
std::string format_point_ranges(const std::vector<int>& ascending);

/// A part document to merge: the name it is reported by (its path) and how to read it. Parts are read one at a
/// time, so a merge holds one part and the points of unfinished tests.
struct PartSource {
  std::string name;
  std::function<std::string()> read;  ///< throws any std::exception when the part cannot be read
};

/// Merges parts (Plan::part(), as `numen characterize --shard/--points` writes them) into the results document: the
/// one a single run of the plan gives, byte for byte. The plan is compiled again from the sources the parts carry,
/// so parts merge on any machine. Throws numen::Error with one diagnostic per problem, each naming its part file:
/// a file that is not a part, a part from another numen version, another plan, model or seed, or another path to
/// the plan, a point held by two parts (or a shard given twice), and points no part holds (with the shards or
/// --points that would run them).
std::string merge_parts(const std::vector<PartSource>& parts);

/// Checks a plan completely (schema, model, references); returns every diagnostic (empty for a clean plan). Never
/// throws.
std::vector<Diagnostic> check_plan(std::string_view text, std::string_view file_name, const PlanFileLoader& load);

/// CSV files of a results document: (file name, text) per table, `<test>.csv` for a test's main table and
/// `<test>_<table>.csv` for the others; sweep families in long form, one column per swept key.
std::vector<std::pair<std::string, std::string>> results_csv(std::string_view results_json);

/// The JSON Schema of plan files (schemas/plan.schema.json).
const char* plan_schema_json();

}  // namespace numen
