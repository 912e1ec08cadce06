#pragma once
// The tests of a plan. Each test splits into independent points (one solve each, usually), runs a point on its
// own (any thread, any Web Worker), and merges its points' results. Sweeps wrap a sub-test and multiply its points.
// Point and test results are JSON; no timings go in, so results do not depend on how points were scheduled.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "characterize/test_bench.h"
#include "common/json.h"
#include "common/yaml_source.h"
#include "numen/characterize.h"

namespace numen::characterize {

/// A table of results: named columns of equal length, with units; serialized column-major.
class Table {
 public:
  Table(std::vector<std::string> columns, std::vector<std::string> units);
  void add_row(const std::vector<double>& row);
  std::size_t rows() const { return data_.empty() ? 0 : data_[0].size(); }
  const std::vector<double>& column(std::size_t i) const { return data_[i]; }
  json to_json() const;  ///< {columns: [...], units: [...], data: [[column 0], [column 1], ...]}

 private:
  std::vector<std::string> columns_, units_;
  std::vector<std::vector<double>> data_;
};

/// Everything a test needs while it is read from the plan.
struct PlanContext {
  YamlSource& src;
  const TestBench& bench;
  std::uint64_t seed = 0;
  const PlanFileLoader& load;  ///< the plan's data files (PSD and time-series files), relative to the plan
  int n_save_points = 2000;    ///< points kept of time series in results
  double dtsave = 0.0;         ///< or their interval
};

class Test {
 public:
  virtual ~Test() = default;

  const std::string& name() const { return name_; }
  const std::string& type() const { return type_; }
  bool enabled() const { return enabled_; }
  SourcePos pos() const { return pos_; }
  const json& settings() const { return settings_; }  ///< the test's keys with defaults filled in

  virtual int point_count() const = 0;
  /// Never throws for a failing solve: the point's JSON records {"error": message}.
  virtual json run_point(int k, const Overrides& overrides) const = 0;
  /// points[k] is run_point(k)'s result. Returns {metrics: {...}, tables: {...}, messages: [...], ...}.
  virtual json merge(const std::vector<json>& points, const Overrides& overrides) const = 0;
  /// Names of the scalar metrics merge() reports (what a doe_sweep can tabulate).
  virtual std::vector<std::string> metric_names() const = 0;
  /// Whether the test's signal depends on this excitation key (so that sweeping it has an effect).
  virtual bool uses(ExcitationKey key) const = 0;
  virtual std::string point_label(int k) const {
    return name_ + " " + std::to_string(k + 1) + "/" + std::to_string(point_count());
  }

  /// Sweeps only: the test they run for each value, resolved after every test was read.
  virtual const std::string* sub_test_name() const { return nullptr; }
  virtual SourcePos sub_test_pos() const { return {}; }
  virtual void link(const Test* sub, YamlSource& src) {}
  /// Keys a sweep sets (empty for other tests).
  virtual std::vector<std::string> swept_keys() const { return {}; }

 protected:
  Test(const YAML::Node& node, YamlSource& src);
  std::string name_, type_;
  bool enabled_ = true;
  SourcePos pos_;
  json settings_;
};

/// Reads one test (its keys were checked against the schema; this checks values and references).
std::unique_ptr<Test> make_test(const YAML::Node& node, PlanContext& ctx);

/// The test types each file implements: (name in plans, constructor).
using TestMaker = std::unique_ptr<Test> (*)(const YAML::Node&, PlanContext&);
using TestMakers = std::vector<std::pair<const char*, TestMaker>>;
template <class T>
std::unique_ptr<Test> make(const YAML::Node& node, PlanContext& ctx) {
  return std::make_unique<T>(node, ctx);
}
const TestMakers& frequency_tests();   ///< frequency.cpp
const TestMakers& transient_tests();   ///< transient.cpp
const TestMakers& stochastic_tests();  ///< stochastic.cpp
const TestMakers& sweep_tests();       ///< sweeps.cpp

// ---- helpers shared by the test implementations ----------------------------------------------------------------

/// Reads a test's keys with defaults, recording each resolved value into `settings`.
class Fields {
 public:
  Fields(const YAML::Node& node, YamlSource& src, json& settings) : node_(node), src_(src), settings_(settings) {}
  bool has(const char* key) const { return node_[key].IsDefined() && !node_[key].IsNull(); }
  YAML::Node node(const char* key) const { return node_[key]; }
  SourcePos pos(const char* key) const { return has(key) ? src_.pos(node_[key]) : src_.pos(node_); }
  double number(const char* key, double fallback);
  std::optional<double> optional_number(const char* key);
  int integer(const char* key, int fallback);
  bool boolean(const char* key, bool fallback);
  std::string string(const char* key, const std::string& fallback);
  std::vector<double> numbers(const char* key);
  void error(const char* key, const std::string& message) { src_.error(pos(key), message); }
  YamlSource& src() { return src_; }
  json& settings() { return settings_; }

 private:
  YAML::Node node_;
  YamlSource& src_;
  json& settings_;
};

/// A value for `key` (a parameter, initial value or excitation setting) as a plan writes it: a number, or text
/// read like a model file's values by numen::read_setting ("2*pi", "3e5 Pa" in the field's own unit). Must be
/// finite. nullopt after an error at the offending column.
std::optional<double> read_setting_value(YamlSource& src, const YAML::Node& node, const Model& model,
                                         const std::string& key);
/// A list of such values (a sweep's values); nullopt after an error.
std::optional<std::vector<double>> read_setting_values(YamlSource& src, const YAML::Node& node, const Model& model,
                                                       const std::string& key);

/// frequencies: a list, or {spacing, f_start, f_end, n_points}.
std::vector<double> read_frequencies(Fields& fields, const char* key);
/// settle_periods, settle_tolerance, max_settle_periods, measure_periods, samples_per_period, start.
SettleSpec read_settle(Fields& fields);
/// A drive frequency key (`frequency`, `probe_frequency`): the test's own, or an error when neither it nor the
/// plan's excitation.frequency gives one.
std::optional<double> read_drive_frequency(Fields& fields, const char* key, const TestBench& bench,
                                           const std::string& test);

/// Smallest and largest of the finite values added (NaN until one is).
struct Range {
  double lo = NAN, hi = NAN;
  void add(double v) {
    if (!std::isfinite(v)) return;
    lo = std::isnan(lo) ? v : std::min(lo, v);
    hi = std::isnan(hi) ? v : std::max(hi, v);
  }
};

/// Peak, resonance and -3 dB bandwidth of a sampled |H(f)|: f0 refined by a parabola through the three points
/// around the peak in (log f, dB); Q = f0 / bandwidth when both -3 dB crossings are inside the range.
struct ResonanceMetrics {
  double f0 = NAN, peak_gain = NAN, q = NAN, damping_ratio = NAN;
};
ResonanceMetrics resonance(const std::vector<double>& f, const std::vector<double>& magnitude);
/// The same, located on a continuous |H(f)| (a linearization): the sampled peak is refined by golden-section
/// search and the -3 dB points by bisection, so the metrics do not depend on the frequency grid.
ResonanceMetrics resonance(const std::vector<double>& f, const std::function<double(double)>& magnitude);
json metrics_json(const ResonanceMetrics& r);

/// A frequency-response table: frequency, magnitude, magnitude_db, phase_deg, real, imag. The phase is unwrapped
/// for smooth responses (stepped sine, linearized); measured spectra (chirp, random) keep it in (-180, 180], where
/// noise would make unwrapping wander.
Table frf_table(const std::vector<double>& f, const std::vector<std::complex<double>>& h, const std::string& gain_unit,
                bool unwrap = true);

/// The excitation setting a test uses: the sweep's value, else the test's own, else the plan's, else `fallback`.
double resolve(const std::optional<double>& swept, const std::optional<double>& own, const std::optional<double>& plan,
               double fallback);

/// Indices of about `keep` evenly spaced samples out of `samples` (first and last included): stored time series.
std::vector<std::size_t> decimation(std::size_t samples, std::size_t keep);
/// How many points of stored time series to keep: the plan's solver.n_save_points, or one every dtsave.
struct SeriesKeep {
  std::size_t n = 2000;
  double dt = 0.0;
  explicit SeriesKeep(const PlanContext& ctx) : n(static_cast<std::size_t>(ctx.n_save_points)), dt(ctx.dtsave) {}
  std::size_t count(double duration) const { return dt > 0 ? static_cast<std::size_t>(duration / dt) + 1 : n; }
};

/// JSON number or null (NaN and infinities are not JSON).
json number_or_null(double v);
/// A JSON array of numbers (null read as NaN), and of [re, im] pairs: what points store series and FRFs as.
std::vector<double> numbers_of(const json& array);
std::vector<std::complex<double>> complex_of(const json& pairs);

/// A steady-state sine point as JSON: {f, amplitude, dc, h: [[re, im] per harmonic] (output phasor / amplitude),
/// mean, settle_periods, settled, settle_error, warm_start, start_note} or {error}.
json steady_point(const TestBench& bench, const Setup& setup, double f, double amplitude, double dc,
                  const SettleSpec& settle, const std::vector<int>& harmonics = {1});
/// Harmonic h of a steady point (NaN if the point failed).
std::complex<double> point_phasor(const json& point, std::size_t harmonic = 0);
/// The output's mean over a steady point's measured periods (NaN if the point failed).
/// A number a point recorded, NaN when it has none (a failed point records only its error). Reading a missing
/// key of a const json is undefined behaviour, not an error: every read of a point goes through these.
double point_number(const json& point, const char* key);
/// The value of `key` in the first point that has it, or null: settings a test echoes from its points.
json first_point_value(const std::vector<json>& points, const char* key);
double point_mean(const json& point);

/// Collects what went wrong across a test's points, and sets the result's status and messages.
class Outcome {
 public:
  void check(const json& point, const std::string& label);  ///< error, unsettled, no warm start
  void note(const std::string& message);
  /// For one-point tests: checks the point, adds its note, and returns false when it failed (nothing to merge).
  bool single(const json& point, const std::string& label) {
    check(point, label);
    if (point.contains("note")) note(point["note"].get<std::string>());
    return !point.contains("error");
  }
  /// status: ok (all points fine), partial (some failed), failed (none worked).
  json finish(json result) const;

 private:
  int failed_ = 0, total_ = 0;
  std::vector<std::string> messages_;
};

/// Characterization runs in the model's coherent system, so tables are labelled in coherent units: a field's
/// declared unit when it is coherent (m, N/m), its SI unit when not (m for mm, Pa for bar).
std::string coherent_unit(const Variable& v);
/// "m/(m/s^2)": the unit of output per unit of drive signal.
std::string gain_unit(const TestBench& bench);
std::string output_unit(const TestBench& bench);
std::string signal_unit(const TestBench& bench);

}  // namespace numen::characterize
