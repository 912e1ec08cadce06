// Steady-state frequency-domain tests: stepped sine, amplitude and DC sweeps, harmonic distortion, two-tone
// intermodulation, and the exact linearized FRF.
#include <algorithm>
#include <cmath>
#include <map>

#include "characterize/dsp.h"
#include "characterize/test.h"
#include "common/text.h"

namespace numen::characterize {

namespace {

constexpr double kTwoPi = 2.0 * M_PI;

std::string hz(double f) { return text::format_number(f) + " Hz"; }

double deg(double radians) { return radians * 180.0 / M_PI; }

/// Steady-state sine tests over a list of frequencies (one point each) at one amplitude and DC offset, measuring
/// the harmonics in harmonics_.
class FrequencyListTest : public Test {
 public:
  FrequencyListTest(const YAML::Node& node, PlanContext& ctx) : Test(node, ctx.src), bench_(ctx.bench) {
    Fields f(node, ctx.src, settings_);
    frequencies_ = read_frequencies(f, "frequencies");
    amplitude_ = f.optional_number("amplitude");
    dc_ = f.optional_number("dc_offset");
    settle_ = read_settle(f);
  }
  int point_count() const override { return static_cast<int>(frequencies_.size()); }
  std::string point_label(int k) const override { return name_ + " " + hz(frequencies_[static_cast<std::size_t>(k)]); }
  bool uses(ExcitationKey key) const override { return key != ExcitationKey::Frequency; }

  json run_point(int k, const Overrides& o) const override {
    const Excitation& ex = bench_.excitation();
    return steady_point(bench_, bench_.setup(o), frequencies_[static_cast<std::size_t>(k)],
                        resolve(o.amplitude, amplitude_, ex.amplitude, 1.0),
                        resolve(o.dc_offset, dc_, ex.dc_offset, 0.0), settle_, harmonics_);
  }

 protected:
  const TestBench& bench_;
  std::vector<double> frequencies_;
  std::optional<double> amplitude_, dc_;
  SettleSpec settle_;
  std::vector<int> harmonics_ = {1};
};

/// Stepped sine: one steady-state solve per frequency.
class SteppedSine final : public FrequencyListTest {
 public:
  using FrequencyListTest::FrequencyListTest;
  std::vector<std::string> metric_names() const override {
    return {"f0", "peak_gain", "peak_gain_db", "q", "damping_ratio"};
  }

  json merge(const std::vector<json>& points, const Overrides& o) const override {
    Outcome outcome;
    std::vector<std::complex<double>> h;
    std::vector<double> magnitude;
    for (std::size_t k = 0; k < points.size(); ++k) {
      outcome.check(points[k], hz(frequencies_[k]));
      h.push_back(point_phasor(points[k]));
      magnitude.push_back(std::abs(h.back()));
    }
    json result;
    result["metrics"] = metrics_json(resonance(frequencies_, magnitude));
    result["tables"]["frf"] = frf_table(frequencies_, h, gain_unit(bench_)).to_json();
    result["amplitude"] = first_point_value(points, "amplitude");
    result["dc_offset"] = first_point_value(points, "dc");
    return outcome.finish(std::move(result));
  }
};

/// Steady-state response at one frequency for each drive amplitude.
class AmplitudeSweep final : public Test {
 public:
  AmplitudeSweep(const YAML::Node& node, PlanContext& ctx) : Test(node, ctx.src), bench_(ctx.bench) {
    Fields f(node, ctx.src, settings_);
    frequency_ = read_drive_frequency(f, "frequency", ctx.bench, name_);
    amplitudes_ = f.numbers("amplitudes");
    dc_ = f.optional_number("dc_offset");
    settle_ = read_settle(f);
  }
  int point_count() const override { return static_cast<int>(amplitudes_.size()); }
  std::string point_label(int k) const override {
    return name_ + " amplitude " + text::format_number(amplitudes_[static_cast<std::size_t>(k)]);
  }
  bool uses(ExcitationKey key) const override { return key != ExcitationKey::Amplitude; }
  std::vector<std::string> metric_names() const override {
    return {"gain_min", "gain_max", "gain_variation", "phase_span_deg"};
  }

  json run_point(int k, const Overrides& o) const override {
    const Excitation& ex = bench_.excitation();
    return steady_point(bench_, bench_.setup(o), resolve(o.frequency, frequency_, ex.frequency, 1.0),
                        amplitudes_[static_cast<std::size_t>(k)], resolve(o.dc_offset, dc_, ex.dc_offset, 0.0),
                        settle_);
  }

  json merge(const std::vector<json>& points, const Overrides& o) const override {
    Outcome outcome;
    Table table({"amplitude", "response_amplitude", "magnitude", "phase_deg", "mean"},
                {signal_unit(bench_), output_unit(bench_), gain_unit(bench_), "deg", output_unit(bench_)});
    Range gain, phase;
    for (std::size_t k = 0; k < points.size(); ++k) {
      const double a = amplitudes_[k];
      outcome.check(points[k], "amplitude " + text::format_number(a));
      const auto h = point_phasor(points[k]);
      table.add_row({a, std::abs(h) * a, std::abs(h), deg(std::arg(h)), point_mean(points[k])});
      gain.add(std::abs(h));
      phase.add(deg(std::arg(h)));
    }
    json result;
    result["frequency"] = first_point_value(points, "f");
    result["metrics"] = {{"gain_min", number_or_null(gain.lo)},
                         {"gain_max", number_or_null(gain.hi)},
                         {"gain_variation", number_or_null(gain.hi / gain.lo - 1.0)},
                         {"phase_span_deg", number_or_null(phase.hi - phase.lo)}};
    result["tables"]["amplitude_response"] = table.to_json();
    return outcome.finish(std::move(result));
  }

 private:
  const TestBench& bench_;
  std::optional<double> frequency_, dc_;
  std::vector<double> amplitudes_;
  SettleSpec settle_;
};

/// Small-signal response around each DC operating point.
class DcSweep final : public Test {
 public:
  DcSweep(const YAML::Node& node, PlanContext& ctx) : Test(node, ctx.src), bench_(ctx.bench) {
    Fields f(node, ctx.src, settings_);
    dc_values_ = f.numbers("dc_values");
    probe_frequency_ = read_drive_frequency(f, "probe_frequency", ctx.bench, name_);
    probe_amplitude_ = f.optional_number("probe_amplitude");
    settle_ = read_settle(f);
  }
  int point_count() const override { return static_cast<int>(dc_values_.size()); }
  std::string point_label(int k) const override {
    return name_ + " dc " + text::format_number(dc_values_[static_cast<std::size_t>(k)]);
  }
  bool uses(ExcitationKey key) const override { return key != ExcitationKey::DcOffset; }
  std::vector<std::string> metric_names() const override { return {"gain_min", "gain_max", "gain_variation"}; }

  json run_point(int k, const Overrides& o) const override {
    const Excitation& ex = bench_.excitation();
    return steady_point(bench_, bench_.setup(o), resolve(o.frequency, probe_frequency_, ex.frequency, 1.0),
                        resolve(o.amplitude, probe_amplitude_, ex.amplitude, 1.0),
                        dc_values_[static_cast<std::size_t>(k)], settle_);
  }

  json merge(const std::vector<json>& points, const Overrides& o) const override {
    Outcome outcome;
    Table table({"dc", "operating_output", "magnitude", "phase_deg"},
                {signal_unit(bench_), output_unit(bench_), gain_unit(bench_), "deg"});
    Range gain;
    for (std::size_t k = 0; k < points.size(); ++k) {
      outcome.check(points[k], "dc " + text::format_number(dc_values_[k]));
      const auto h = point_phasor(points[k]);
      table.add_row({dc_values_[k], point_mean(points[k]), std::abs(h), deg(std::arg(h))});
      gain.add(std::abs(h));
    }
    json result;
    result["probe_frequency"] = first_point_value(points, "f");
    result["probe_amplitude"] = first_point_value(points, "amplitude");
    result["metrics"] = {{"gain_min", number_or_null(gain.lo)},
                         {"gain_max", number_or_null(gain.hi)},
                         {"gain_variation", number_or_null(gain.hi / gain.lo - 1.0)}};
    result["tables"]["dc_response"] = table.to_json();
    return outcome.finish(std::move(result));
  }

 private:
  const TestBench& bench_;
  std::vector<double> dc_values_;
  std::optional<double> probe_frequency_, probe_amplitude_;
  SettleSpec settle_;
};

/// Harmonics of the steady-state response at each frequency.
class HarmonicDistortion final : public FrequencyListTest {
 public:
  HarmonicDistortion(const YAML::Node& node, PlanContext& ctx) : FrequencyListTest(node, ctx) {
    Fields f(node, ctx.src, settings_);
    max_harmonic_ = f.integer("max_harmonic", 5);
    harmonics_.clear();
    for (int h = 1; h <= max_harmonic_; ++h) harmonics_.push_back(h);
    // The lock-in separates harmonics exactly only below half the samples per period.
    if (settle_.samples_per_period < 4 * max_harmonic_)
      f.error("samples_per_period", "samples_per_period (" + std::to_string(settle_.samples_per_period) +
                                        ") must be at least 4 x max_harmonic (" + std::to_string(4 * max_harmonic_) +
                                        ")");
  }
  std::vector<std::string> metric_names() const override { return {"thd_max", "thd_max_percent", "f_thd_max"}; }

  json merge(const std::vector<json>& points, const Overrides& o) const override {
    Outcome outcome;
    std::vector<std::string> columns = {"frequency", "h1_gain", "thd", "thd_percent"};
    std::vector<std::string> units = {"Hz", gain_unit(bench_), "", "%"};
    for (int h = 1; h <= max_harmonic_; ++h) {
      columns.push_back("h" + std::to_string(h) + "_amplitude");
      units.push_back(output_unit(bench_));
    }
    Table table(columns, units);
    double worst = -1, f_worst = NAN;
    for (std::size_t k = 0; k < points.size(); ++k) {
      outcome.check(points[k], hz(frequencies_[k]));
      const double a = point_number(points[k], "amplitude");
      std::vector<double> amplitudes;
      double sum = 0;
      for (int h = 0; h < max_harmonic_; ++h) {
        amplitudes.push_back(std::abs(point_phasor(points[k], static_cast<std::size_t>(h))) * a);
        if (h > 0) sum += amplitudes.back() * amplitudes.back();
      }
      const double thd = std::sqrt(sum) / amplitudes[0];
      std::vector<double> row = {frequencies_[k], amplitudes[0] / a, thd, 100 * thd};
      row.insert(row.end(), amplitudes.begin(), amplitudes.end());
      table.add_row(row);
      if (std::isfinite(thd) && thd > worst) {
        worst = thd;
        f_worst = frequencies_[k];
      }
    }
    json result;
    result["metrics"] = {{"thd_max", number_or_null(worst >= 0 ? worst : NAN)},
                         {"thd_max_percent", number_or_null(worst >= 0 ? 100 * worst : NAN)},
                         {"f_thd_max", number_or_null(f_worst)}};
    result["tables"]["harmonics"] = table.to_json();
    return outcome.finish(std::move(result));
  }

 private:
  int max_harmonic_ = 5;
};

/// H(jw) = C (jwM - A)^-1 B at an operating point.
class LinearizedFrf final : public Test {
 public:
  LinearizedFrf(const YAML::Node& node, PlanContext& ctx) : Test(node, ctx.src), bench_(ctx.bench) {
    Fields f(node, ctx.src, settings_);
    frequencies_ = read_frequencies(f, "frequencies");
    dc_ = f.optional_number("dc_offset");
    steady_ = f.string("operating_point", "steady") == "steady";
  }
  int point_count() const override { return 1; }
  bool uses(ExcitationKey key) const override { return key == ExcitationKey::DcOffset; }
  std::vector<std::string> metric_names() const override {
    return {"f0", "peak_gain", "peak_gain_db", "q", "damping_ratio", "slowest_time_constant"};
  }

  json run_point(int, const Overrides& o) const override {
    const Setup setup = bench_.setup(o);
    const double dc = resolve(o.dc_offset, dc_, bench_.excitation().dc_offset, 0.0);
    json p;
    std::vector<double> x = setup.initial_state;
    if (steady_) {
      const OperatingPoint op = bench_.operating_point(setup, dc);
      if (!op.steady) p["note"] = "no steady operating point (" + op.note + "); linearized at the initial values";
      else x = op.x;
    }
    const Linearization lin = bench_.linearize(setup, x, dc, /*check_smoothness=*/true);
    if (!lin.ok()) {
      p["error"] = lin.problem();
      return p;
    }
    if (!lin.smoothness_warning().empty()) p["warning"] = lin.smoothness_warning();
    json h = json::array();
    for (double f : frequencies_) {
      const auto z = lin.transfer(kTwoPi * f);
      h.push_back({number_or_null(z.real()), number_or_null(z.imag())});
    }
    p["h"] = std::move(h);
    p["metrics"] =
        metrics_json(resonance(frequencies_, [&lin](double f) { return std::abs(lin.transfer(kTwoPi * f)); }));
    json poles = json::array();
    for (const auto& s : lin.poles()) poles.push_back({s.real(), s.imag()});
    p["poles"] = std::move(poles);
    json op = json::object();
    for (std::size_t i = 0; i < x.size(); ++i) op[bench_.model().states()[i].key] = number_or_null(x[i]);
    p["operating_point"] = std::move(op);
    return p;
  }

  json merge(const std::vector<json>& points, const Overrides& o) const override {
    Outcome outcome;
    const json& p = points.at(0);
    json result;
    if (!outcome.single(p, name_)) return outcome.finish(std::move(result));
    if (p.contains("warning")) outcome.note(p["warning"].get<std::string>());
    const auto h = complex_of(p["h"]);
    result["metrics"] = p["metrics"];
    Table poles({"real", "imag", "frequency", "damping_ratio"}, {"1/s", "rad/s", "Hz", ""});
    std::vector<std::complex<double>> s;
    for (const json& z : p["poles"]) {
      s.emplace_back(z[0].get<double>(), z[1].get<double>());
      const double w = std::abs(s.back());
      poles.add_row({s.back().real(), s.back().imag(), w / kTwoPi, w > 0 ? -s.back().real() / w : NAN});
    }
    const double slowest = slowest_decay_rate(s);
    result["metrics"]["slowest_time_constant"] = number_or_null(slowest > 0 ? 1.0 / slowest : NAN);
    result["tables"]["frf"] = frf_table(frequencies_, h, gain_unit(bench_)).to_json();
    result["tables"]["poles"] = poles.to_json();
    result["operating_point"] = p["operating_point"];
    return outcome.finish(std::move(result));
  }

 private:
  const TestBench& bench_;
  std::vector<double> frequencies_;
  std::optional<double> dc_;
  bool steady_ = true;
};

/// Two tones: intermodulation products m f1 + n f2 by least squares on the recorded response.
class TwoTone final : public Test {
 public:
  TwoTone(const YAML::Node& node, PlanContext& ctx) : Test(node, ctx.src), bench_(ctx.bench) {
    Fields f(node, ctx.src, settings_);
    f1_ = f.number("f1", 1.0);
    f2_ = f.number("f2", 1.0);
    amplitude1_ = f.optional_number("amplitude1");
    amplitude2_ = f.optional_number("amplitude2");
    n_cycles_ = f.integer("n_cycles", 50);
    settle_cycles_ = f.number("settle_cycles", 30);
    max_order_ = f.integer("max_order", 3);
    dc_ = f.optional_number("dc_offset");
    warm_ = f.string("start", "linearized") == "linearized";
    if (f1_ == f2_) f.error("f2", "f1 and f2 must differ");
    // Products closer than 2 / record length cannot be told apart by a least-squares fit.
    const auto products = this->products();
    double closest = INFINITY;
    for (std::size_t i = 1; i < products.size(); ++i) closest = std::min(closest, products[i].f - products[i - 1].f);
    const double record = n_cycles_ / std::min(f1_, f2_);
    if (f1_ != f2_ && closest * record < 2.0)
      f.error("n_cycles", "the products m f1 + n f2 come within " + hz(closest) + " of each other; a record of " +
                              text::format_number(record) + " s cannot separate them: raise n_cycles to at least " +
                              std::to_string(static_cast<int>(std::ceil(2.0 / closest * std::min(f1_, f2_)))));
  }
  int point_count() const override { return 1; }
  bool uses(ExcitationKey key) const override {
    return key == ExcitationKey::DcOffset || key == ExcitationKey::Amplitude;
  }
  std::vector<std::string> metric_names() const override {
    return {"amplitude_f1", "amplitude_f2", "imd3", "imd3_dbc", "thd", "iip3", "oip3"};
  }

  struct Product {
    int m, n;
    double f;
  };
  /// Distinct positive frequencies m f1 + n f2 with |m| + |n| <= max_order, lowest order first at equal frequency.
  std::vector<Product> products() const {
    std::vector<Product> out;
    for (int m = -max_order_; m <= max_order_; ++m)
      for (int n = -max_order_; n <= max_order_; ++n) {
        if (std::abs(m) + std::abs(n) > max_order_) continue;
        const double f = m * f1_ + n * f2_;
        if (f <= 1e-12 * (f1_ + f2_)) continue;
        bool seen = false;
        for (const Product& p : out) seen = seen || std::abs(p.f - f) <= 1e-9 * f;
        if (!seen) out.push_back({m, n, f});
      }
    std::sort(out.begin(), out.end(), [](const Product& a, const Product& b) { return a.f < b.f; });
    return out;
  }

  json run_point(int, const Overrides& o) const override {
    const Setup setup = bench_.setup(o);
    const Excitation& ex = bench_.excitation();
    const double a1 = resolve(o.amplitude, amplitude1_, ex.amplitude, 1.0);
    const double a2 = o.amplitude ? *o.amplitude : amplitude2_.value_or(a1);
    const double dc = resolve(o.dc_offset, dc_, ex.dc_offset, 0.0);
    const auto products = this->products();
    const double f_low = std::min(f1_, f2_), f_high = products.back().f;
    const double t_settle = settle_cycles_ / f_low, t_record = n_cycles_ / f_low;
    const double fs = 20.0 * f_high;  // 10 samples per period of the highest product
    const auto n = static_cast<std::size_t>(std::ceil(t_record * fs));
    std::vector<double> t_eval(n);
    for (std::size_t k = 0; k < n; ++k) t_eval[k] = t_settle + static_cast<double>(k) / fs;
    TestBench::Start start{setup.initial_state, false, ""};
    if (warm_) start = bench_.periodic_start(setup, dc, {{f1_, a1}, {f2_, a2}});
    const double f1 = f1_, f2 = f2_;
    const auto u = [=](double t) { return dc + a1 * std::sin(kTwoPi * f1 * t) + a2 * std::sin(kTwoPi * f2 * t); };
    const Record r = bench_.run(setup, start.x, u, t_settle + t_record, std::move(t_eval));
    json p{{"amplitude1", a1}, {"amplitude2", a2}, {"dc", dc}};
    if (!start.note.empty()) p["start_note"] = start.note;
    if (!r.ok) {
      p["error"] = r.message;
      return p;
    }
    std::vector<double> freqs;
    for (const Product& q : products) freqs.push_back(q.f);
    const auto fit = dsp::multisine_fit(r.t, r.y, freqs);
    json z = json::array();
    for (const auto& l : fit) z.push_back({l.amplitude(), l.phase()});
    p["products"] = std::move(z);
    return p;
  }

  json merge(const std::vector<json>& points, const Overrides& o) const override {
    Outcome outcome;
    const json& p = points.at(0);
    json result;
    if (!outcome.single(p, name_)) return outcome.finish(std::move(result));
    const auto products = this->products();
    Table table({"order", "m", "n", "frequency", "amplitude", "phase_deg", "level_dbc"},
                {"", "", "", "Hz", output_unit(bench_), "deg", "dB"});
    std::map<std::pair<int, int>, double> amplitude;
    for (std::size_t i = 0; i < products.size(); ++i)
      amplitude[{products[i].m, products[i].n}] = p["products"][i][0].get<double>();
    auto amp = [&](int m, int n) {
      auto it = amplitude.find({m, n});
      return it == amplitude.end() ? NAN : it->second;
    };
    const double a1 = amp(1, 0), a2 = amp(0, 1), fundamental = 0.5 * (a1 + a2);
    for (std::size_t i = 0; i < products.size(); ++i) {
      const double a = p["products"][i][0].get<double>();
      table.add_row({static_cast<double>(std::abs(products[i].m) + std::abs(products[i].n)),
                     static_cast<double>(products[i].m), static_cast<double>(products[i].n), products[i].f, a,
                     deg(p["products"][i][1].get<double>()), 20.0 * std::log10(a / fundamental)});
    }
    // IMD3: the products 2 f1 - f2 and 2 f2 - f1 against the fundamentals; IP3 from the third-order slope.
    const double im3 = max_order_ >= 3 ? 0.5 * (amp(2, -1) + amp(-1, 2)) : NAN;
    double harmonics = 0;
    for (int k = 2; k <= max_order_; ++k) harmonics += amp(k, 0) * amp(k, 0);
    const double input = 0.5 * (p["amplitude1"].get<double>() + p["amplitude2"].get<double>());
    const double ratio = im3 / fundamental;
    // Below ~10 rtol the products are solver noise, and an intercept computed from them would be fiction.
    const double noise = std::max(1e-12, 10.0 * bench_.options().rtol);
    const bool measurable = std::isfinite(ratio) && ratio > noise;
    const double iip3 = measurable ? input * std::sqrt(1.0 / ratio) : NAN;
    result["metrics"] = {{"amplitude_f1", number_or_null(a1)},
                         {"amplitude_f2", number_or_null(a2)},
                         {"imd3", number_or_null(ratio)},
                         {"imd3_dbc", number_or_null(20.0 * std::log10(ratio))},
                         {"thd", number_or_null(std::sqrt(harmonics) / a1)},
                         {"iip3", number_or_null(iip3)},
                         {"oip3", number_or_null(measurable ? iip3 * fundamental / input : NAN)}};
    if (!measurable)
      outcome.note("the third-order products are below the solver's noise (" + text::format_number(noise) +
                   " of the fundamentals): no intercept (a linear response, or lower rtol)");
    result["tables"]["products"] = table.to_json();
    return outcome.finish(std::move(result));
  }

 private:
  const TestBench& bench_;
  double f1_ = 1, f2_ = 1, settle_cycles_ = 30;
  std::optional<double> amplitude1_, amplitude2_, dc_;
  int n_cycles_ = 50, max_order_ = 3;
  bool warm_ = true;
};

}  // namespace

const TestMakers& frequency_tests() {
  static const TestMakers makers = {
      {"discrete_frequency_sweep", make<SteppedSine>},
      {"amplitude_sweep", make<AmplitudeSweep>},
      {"dc_operating_point_sweep", make<DcSweep>},
      {"harmonic_distortion_sweep", make<HarmonicDistortion>},
      {"two_tone", make<TwoTone>},
      {"linearized_frf", make<LinearizedFrf>},
  };
  return makers;
}

}  // namespace numen::characterize
