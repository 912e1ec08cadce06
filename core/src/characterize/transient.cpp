// Time-domain tests: the chirp (FRF by spectral ratio of a transient-free record), free decay (envelope, backbone)
// and phase portraits (steady trajectory and Poincare section).
#include <algorithm>
#include <cmath>

#include "characterize/dsp.h"
#include "characterize/test.h"
#include "common/text.h"

namespace numen::characterize {

namespace {

constexpr double kTwoPi = 2.0 * M_PI;

json series(const std::vector<double>& v, const std::vector<std::size_t>& keep) {
  json out = json::array();
  for (std::size_t k : keep) out.push_back(number_or_null(v[k]));
  return out;
}

/// The measured output's value at state x (its operating value when x is an operating point).
double output_at(const TestBench& bench, const Setup& setup, const std::vector<double>& x, double dc) {
  const Probe& p = bench.excitation().output;
  if (p.kind == Probe::Kind::State) return x[static_cast<std::size_t>(p.index)];
  std::vector<double> y(bench.model().outputs().size());
  std::vector<double> u(bench.model().inputs().size(), 0.0);
  u[static_cast<std::size_t>(bench.excitation().port)] = dc / setup.scale;
  bench.model().evaluate_outputs(0.0, x.data(), setup.parameters.data(), y.data(), u.data());
  return y[static_cast<std::size_t>(p.index)];
}

/// Swept sine from rest: H(f) = Y(f) / U(f). The record starts at the operating point and ends after a zero-input
/// tail in which the response dies out, so it holds the whole transient response: the plain DFT of the uniformly
/// resampled record needs no window (a window would bias the ratio), and the ratio is exact for a linear model.
class Chirp final : public Test {
 public:
  Chirp(const YAML::Node& node, PlanContext& ctx) : Test(node, ctx.src), bench_(ctx.bench), keep_(ctx) {
    Fields f(node, ctx.src, settings_);
    f_start_ = f.number("f_start", 1.0);
    f_end_ = f.number("f_end", 10.0);
    duration_ = f.number("duration", 10.0);
    amplitude_ = f.optional_number("amplitude");
    dc_ = f.optional_number("dc_offset");
    log_ = f.string("chirp_type", "log") == "log";
    sample_rate_ = f.has("sample_rate") ? f.number("sample_rate", 0.0) : 20.0 * f_end_;
    settings_["sample_rate"] = sample_rate_;
    if (f.has("tail") && f.node("tail").Scalar() != "auto") tail_ = f.number("tail", 0.0);
    else settings_["tail"] = "auto";
    n_points_ = f.integer("n_points", 400);
    if (!(f_end_ > f_start_)) f.error("f_end", "f_end must be above f_start");
    if (sample_rate_ < 2.5 * f_end_)
      f.error("sample_rate", "sample_rate (" + text::format_number(sample_rate_) +
                                 " Hz) must be at least 2.5 x f_end: the record must resolve the highest frequency");
    const double samples = sample_rate_ * duration_ * 6.0;  // worst case with the longest automatic tail
    if (samples > 5e7)
      f.error("duration", "the record would hold about " + text::format_number(samples) +
                              " samples; shorten the chirp or lower sample_rate");
  }
  int point_count() const override { return 1; }
  bool uses(ExcitationKey key) const override { return key != ExcitationKey::Frequency; }
  std::vector<std::string> metric_names() const override {
    return {"f0", "peak_gain", "peak_gain_db", "q", "damping_ratio", "rms_response", "peak_response"};
  }

  /// Phase of the sweep at time t (spec: log phi = 2 pi fs T / k (e^{k t / T} - 1), k = ln(fe / fs)).
  double phase(double t) const {
    if (log_) {
      const double k = std::log(f_end_ / f_start_);
      return kTwoPi * f_start_ * duration_ / k * std::expm1(k * t / duration_);
    }
    return kTwoPi * (f_start_ * t + (f_end_ - f_start_) * t * t / (2.0 * duration_));
  }

  json run_point(int, const Overrides& o) const override {
    const Setup setup = bench_.setup(o);
    const Excitation& ex = bench_.excitation();
    const double amplitude = resolve(o.amplitude, amplitude_, ex.amplitude, 1.0);
    const double dc = resolve(o.dc_offset, dc_, ex.dc_offset, 0.0);
    json p{{"amplitude", amplitude}, {"dc", dc}};
    const OperatingPoint op = bench_.operating_point(setup, dc);
    std::vector<double> x0 = op.steady ? op.x : setup.initial_state;
    if (!op.steady)
      p["note"] = "no operating point under the DC input (" + op.note + "); started from the initial values";
    double tail = tail_.value_or(0.25 * duration_);
    if (!tail_) {
      // Seven time constants of the slowest mode leave e^-7 ~ 1e-3 of the response at the end of the record.
      const Linearization lin = bench_.linearize(setup, x0, dc);
      const double sigma = lin.ok() ? slowest_decay_rate(lin.poles()) : 0.0;
      if (sigma > 0) tail = std::clamp(7.0 / sigma, 0.1 * duration_, 5.0 * duration_);
    }
    p["tail"] = tail;
    const double fs = sample_rate_;
    const auto n = static_cast<std::size_t>(std::ceil((duration_ + tail) * fs));
    std::vector<double> t_eval(n), u(n);
    const double duration = duration_;
    auto drive = [this, amplitude, dc, duration](double t) {
      return t <= duration ? dc + amplitude * std::sin(phase(t)) : dc;
    };
    for (std::size_t k = 0; k < n; ++k) {
      t_eval[k] = static_cast<double>(k) / fs;
      u[k] = drive(t_eval[k]);
    }
    const Record r = bench_.run(setup, x0, drive, t_eval.back(), t_eval, {}, {duration_});
    if (!r.ok) {
      p["error"] = r.message;
      return p;
    }
    const double baseline = output_at(bench_, setup, x0, dc);
    std::vector<double> du(n), dy(n);
    for (std::size_t k = 0; k < n; ++k) {
      du[k] = u[k] - dc;
      dy[k] = r.y[k] - baseline;
    }
    const auto uf = dsp::rfft(du), yf = dsp::rfft(dy);
    // Bins inside the sweep, then at most n_points of them, spaced like the sweep.
    std::vector<std::size_t> bins;
    for (std::size_t k = 1; k < uf.size(); ++k) {
      const double f = static_cast<double>(k) * fs / static_cast<double>(n);
      if (f >= f_start_ && f <= f_end_) bins.push_back(k);
    }
    if (bins.size() > static_cast<std::size_t>(n_points_)) {
      std::vector<std::size_t> chosen;
      for (int i = 0; i < n_points_; ++i) {
        const double s = static_cast<double>(i) / (n_points_ - 1);
        const double f = log_ ? f_start_ * std::pow(f_end_ / f_start_, s) : f_start_ + (f_end_ - f_start_) * s;
        const auto k = static_cast<std::size_t>(std::llround(f * static_cast<double>(n) / fs));
        const std::size_t clamped = std::clamp(k, bins.front(), bins.back());
        if (chosen.empty() || chosen.back() != clamped) chosen.push_back(clamped);
      }
      bins = chosen;
    }
    json freq = json::array(), h = json::array();
    for (std::size_t k : bins) {
      freq.push_back(static_cast<double>(k) * fs / static_cast<double>(n));
      const auto z = yf[k] / uf[k];
      h.push_back({number_or_null(z.real()), number_or_null(z.imag())});
    }
    p["frequency"] = std::move(freq);
    p["h"] = std::move(h);
    const auto keep = decimation(n, keep_.count(duration_ + tail));
    p["t"] = series(t_eval, keep);
    p["u"] = series(u, keep);
    p["y"] = series(r.y, keep);
    p["rms_response"] = dsp::rms(dy);
    double peak = 0;
    for (double v : dy) peak = std::max(peak, std::abs(v));
    p["peak_response"] = peak;
    p["baseline"] = baseline;
    return p;
  }

  json merge(const std::vector<json>& points, const Overrides& o) const override {
    Outcome outcome;
    const json& p = points.at(0);
    json result;
    if (!outcome.single(p, name_)) return outcome.finish(std::move(result));
    const std::vector<double> f = numbers_of(p["frequency"]);
    const std::vector<std::complex<double>> h = complex_of(p["h"]);
    std::vector<double> magnitude;
    for (const auto& z : h) magnitude.push_back(std::abs(z));
    result["metrics"] = metrics_json(resonance(f, magnitude));
    result["metrics"]["rms_response"] = p["rms_response"];
    result["metrics"]["peak_response"] = p["peak_response"];
    result["tail"] = p["tail"];
    result["tables"]["frf"] = frf_table(f, h, gain_unit(bench_), false).to_json();
    Table ts({"time", "input", "response"}, {"s", signal_unit(bench_), output_unit(bench_)});
    const auto t = numbers_of(p["t"]), u = numbers_of(p["u"]), y = numbers_of(p["y"]);
    for (std::size_t k = 0; k < t.size(); ++k) ts.add_row({t[k], u[k], y[k]});
    result["tables"]["timeseries"] = ts.to_json();
    return outcome.finish(std::move(result));
  }

 private:
  const TestBench& bench_;
  double f_start_ = 1, f_end_ = 10, duration_ = 10, sample_rate_ = 200;
  std::optional<double> amplitude_, dc_, tail_;
  bool log_ = true;
  int n_points_ = 400;
  SeriesKeep keep_;
};

/// Released from a displaced state with no drive.
class FreeDecay final : public Test {
 public:
  FreeDecay(const YAML::Node& node, PlanContext& ctx) : Test(node, ctx.src), bench_(ctx.bench), keep_(ctx) {
    Fields f(node, ctx.src, settings_);
    displacement_ = f.number("initial_displacement", 0.0);
    velocity_ = f.number("initial_velocity", 0.0);
    t_end_ = f.number("t_end", 1.0);
    sample_rate_ = f.optional_number("sample_rate");
    const Excitation& ex = ctx.bench.excitation();
    auto state_key = [&](const char* key, const std::string& fallback, const char* why) {
      const std::string k = f.string(key, fallback);
      if (k.empty()) {
        f.error(key, std::string("test `") + name_ + "` needs `" + key + "`: " + why);
        return -1;
      }
      auto i = ctx.bench.model().find_state(k);
      if (!i) {
        std::vector<std::string> keys;
        for (const Variable& v : ctx.bench.model().states()) keys.push_back(v.key);
        f.error(key,
                "`" + k + "` is not a state" + text::did_you_mean(k, keys) + "; states: " + text::quoted_list(keys));
        return -1;
      }
      return *i;
    };
    const std::string out_state = ex.output.kind == Probe::Kind::State ? ex.output.key : "";
    const std::string target =
        ex.target_state >= 0 ? ctx.bench.model().states()[static_cast<std::size_t>(ex.target_state)].key : "";
    displacement_state_ = state_key("displacement_state", out_state, "excitation.output is not a state");
    velocity_state_ = velocity_ != 0.0 || f.has("velocity_state")
                          ? state_key("velocity_state", target, "the excitation port drives no single state")
                          : -1;
    if (displacement_ == 0.0 && velocity_ == 0.0)
      f.error("initial_displacement",
              "give initial_displacement or initial_velocity: with neither there is nothing to decay");
    if (f.has("bandpass")) {
      const YAML::Node bp = f.node("bandpass");
      f_low_ = ctx.src.number(bp["f_low"], "f_low").value_or(0.0);
      f_high_ = ctx.src.number(bp["f_high"], "f_high").value_or(0.0);
      order_ = bp["order"].IsDefined() ? static_cast<int>(ctx.src.integer(bp["order"], "order").value_or(2)) : 2;
      settings_["bandpass"] = {{"f_low", f_low_}, {"f_high", f_high_}, {"order", order_}};
      if (!(f_high_ > f_low_)) f.error("bandpass", "bandpass f_high must be above f_low");
    }
  }
  int point_count() const override { return 1; }
  bool uses(ExcitationKey) const override { return false; }
  std::vector<std::string> metric_names() const override {
    return {"initial_frequency", "final_frequency", "initial_damping_ratio", "final_damping_ratio",
            "initial_amplitude"};
  }

  json run_point(int, const Overrides& o) const override {
    const Setup setup = bench_.setup(o);
    json p;
    const OperatingPoint op = bench_.operating_point(setup, 0.0);
    std::vector<double> x0 = op.steady ? op.x : setup.initial_state;
    if (!op.steady) p["note"] = "no equilibrium (" + op.note + "); released around the initial values";
    const double baseline = output_at(bench_, setup, x0, 0.0);
    double fs = sample_rate_.value_or(0.0);
    if (!sample_rate_) {
      const Linearization lin = bench_.linearize(setup, x0, 0.0);
      const double f_mode = lin.ok() ? fastest_oscillation_hz(lin.poles()) : 0.0;
      fs = std::max(50.0 * f_mode, 2000.0 / t_end_);
    }
    x0[static_cast<std::size_t>(displacement_state_)] += displacement_;
    if (velocity_state_ >= 0) x0[static_cast<std::size_t>(velocity_state_)] += velocity_;
    const auto n = static_cast<std::size_t>(std::floor(t_end_ * fs)) + 1;
    if (n > 20000000) {
      p["error"] = "the record would hold " + std::to_string(n) + " samples; lower sample_rate or t_end";
      return p;
    }
    std::vector<double> t_eval(n);
    for (std::size_t k = 0; k < n; ++k) t_eval[k] = std::min(static_cast<double>(k) / fs, t_end_);
    const Record r = bench_.run(
        setup, x0, [](double) { return 0.0; }, t_end_, t_eval);
    if (!r.ok) {
      p["error"] = r.message;
      return p;
    }
    std::vector<double> s(n);
    for (std::size_t k = 0; k < n; ++k) s[k] = r.y[k] - baseline;
    if (f_high_ > 0) {
      if (f_high_ >= fs / 2) {
        p["error"] = "the band-pass upper edge " + text::format_number(f_high_) +
                     " Hz is not below half the sample rate (" + text::format_number(fs / 2) +
                     " Hz); raise sample_rate";
        return p;
      }
      s = dsp::bandpass(s, fs, f_low_, f_high_, order_);
    }
    const auto z = dsp::analytic_signal(s);
    std::vector<double> envelope(n), phase(n), inst(n, NAN);
    for (std::size_t k = 0; k < n; ++k) {
      envelope[k] = std::abs(z[k]);
      phase[k] = std::arg(z[k]);
    }
    phase = dsp::unwrap(phase);
    for (std::size_t k = 1; k + 1 < n; ++k) inst[k] = (phase[k + 1] - phase[k - 1]) * fs / (2.0 * kTwoPi);
    // Backbone from successive positive peaks (parabolic refinement): free of the Hilbert transform's end effects.
    double largest = 0;
    for (double v : s) largest = std::max(largest, std::abs(v));
    const double floor = 1e-6 * largest;
    std::vector<double> peak_t, peak_a;
    for (std::size_t k = 1; k + 1 < n; ++k)
      if (s[k] > floor && s[k] >= s[k - 1] && s[k] > s[k + 1]) {
        const double a = s[k - 1], b = s[k], c = s[k + 1];
        const double denom = a - 2 * b + c;
        const double shift = denom != 0 ? 0.5 * (a - c) / denom : 0.0;
        peak_t.push_back(t_eval[k] + shift / fs);
        peak_a.push_back(b - 0.25 * (a - c) * shift);
      }
    json backbone = json::array();
    for (std::size_t i = 0; i + 1 < peak_t.size(); ++i) {
      const double delta = std::log(peak_a[i] / peak_a[i + 1]);
      backbone.push_back({0.5 * (peak_a[i] + peak_a[i + 1]), 1.0 / (peak_t[i + 1] - peak_t[i]),
                          delta / std::sqrt(kTwoPi * kTwoPi + delta * delta)});
    }
    p["backbone"] = std::move(backbone);
    const auto keep = decimation(n, keep_.count(t_end_));
    p["t"] = series(t_eval, keep);
    p["response"] = series(s, keep);
    p["envelope"] = series(envelope, keep);
    p["instantaneous_frequency"] = series(inst, keep);
    p["sample_rate"] = fs;
    p["baseline"] = baseline;
    return p;
  }

  json merge(const std::vector<json>& points, const Overrides& o) const override {
    Outcome outcome;
    const json& p = points.at(0);
    json result;
    if (!outcome.single(p, name_)) return outcome.finish(std::move(result));
    Table decay({"time", "response", "envelope", "instantaneous_frequency"},
                {"s", output_unit(bench_), output_unit(bench_), "Hz"});
    const auto t = numbers_of(p["t"]), y = numbers_of(p["response"]), e = numbers_of(p["envelope"]),
               fi = numbers_of(p["instantaneous_frequency"]);
    for (std::size_t k = 0; k < t.size(); ++k) decay.add_row({t[k], y[k], e[k], fi[k]});
    Table backbone({"amplitude", "frequency", "damping_ratio"}, {output_unit(bench_), "Hz", ""});
    for (const json& row : p["backbone"]) backbone.add_row(numbers_of(row));
    const json& b = p["backbone"];
    auto at = [&](std::size_t row, std::size_t col) { return b.empty() ? json(nullptr) : b[row][col]; };
    const std::size_t last = b.empty() ? 0 : b.size() - 1;
    result["metrics"] = {{"initial_amplitude", at(0, 0)},
                         {"initial_frequency", at(0, 1)},
                         {"final_frequency", at(last, 1)},
                         {"initial_damping_ratio", at(0, 2)},
                         {"final_damping_ratio", at(last, 2)}};
    if (b.empty()) outcome.note("no oscillation: fewer than two response peaks");
    result["sample_rate"] = p["sample_rate"];
    result["tables"]["decay"] = decay.to_json();
    result["tables"]["backbone"] = backbone.to_json();
    return outcome.finish(std::move(result));
  }

 private:
  const TestBench& bench_;
  double displacement_ = 0, velocity_ = 0, t_end_ = 1;
  std::optional<double> sample_rate_;
  int displacement_state_ = -1, velocity_state_ = -1;
  double f_low_ = 0, f_high_ = 0;
  int order_ = 2;
  SeriesKeep keep_;
};

/// Steady trajectory under sine drive and its stroboscopic (Poincare) section.
class PhasePortrait final : public Test {
 public:
  PhasePortrait(const YAML::Node& node, PlanContext& ctx) : Test(node, ctx.src), bench_(ctx.bench) {
    Fields f(node, ctx.src, settings_);
    frequency_ = read_drive_frequency(f, "frequency", ctx.bench, name_);
    amplitude_ = f.optional_number("amplitude");
    dc_ = f.optional_number("dc_offset");
    transient_cycles_ = f.number("n_transient_cycles", 50);
    record_cycles_ = f.integer("n_record_cycles", 20);
    points_per_cycle_ = f.integer("points_per_cycle", 100);
    poincare_ = f.boolean("poincare", true);
    warm_ = f.string("start", "linearized") == "linearized";
    const Excitation& ex = ctx.bench.excitation();
    const std::string fallback =
        ex.target_state >= 0 ? ctx.bench.model().states()[static_cast<std::size_t>(ex.target_state)].key : "";
    const std::string y = f.string("y_axis", fallback);
    auto probe = ctx.bench.probe(y);
    if (!probe) {
      const auto keys = ctx.bench.probe_keys();
      f.error("y_axis", y.empty() ? "test `" + name_ + "` needs `y_axis` (the excitation port drives no single state)"
                                  : "`" + y + "` is not a state or output" + text::did_you_mean(y, keys) +
                                        "; choose one of " + text::quoted_list(keys));
    } else {
      y_axis_ = *probe;
    }
    if (static_cast<double>(record_cycles_) * points_per_cycle_ > 1e7)
      f.error("n_record_cycles", "n_record_cycles x points_per_cycle must stay below 1e7 samples");
  }
  int point_count() const override { return 1; }
  bool uses(ExcitationKey) const override { return true; }
  std::vector<std::string> metric_names() const override {
    return {"x_amplitude", "y_amplitude", "period", "poincare_spread"};
  }

  json run_point(int, const Overrides& o) const override {
    const Setup setup = bench_.setup(o);
    const Excitation& ex = bench_.excitation();
    const double f = resolve(o.frequency, frequency_, ex.frequency, 1.0);
    const double a = resolve(o.amplitude, amplitude_, ex.amplitude, 1.0);
    const double dc = resolve(o.dc_offset, dc_, ex.dc_offset, 0.0);
    json p{{"frequency", f}, {"amplitude", a}, {"dc", dc}};
    TestBench::Start start{setup.initial_state, false, ""};
    if (warm_) start = bench_.periodic_start(setup, dc, {{f, a}});
    if (!start.note.empty()) p["start_note"] = start.note;
    const double period = 1.0 / f;
    const auto n = static_cast<std::size_t>(record_cycles_) * static_cast<std::size_t>(points_per_cycle_) + 1;
    std::vector<double> t_eval(n);
    for (std::size_t k = 0; k < n; ++k)
      t_eval[k] = (transient_cycles_ + static_cast<double>(k) / points_per_cycle_) * period;
    const double t_end = t_eval.back();
    const Record r = bench_.run(setup, start.x, [=](double t) { return dc + a * std::sin(kTwoPi * f * t); }, t_end,
                                t_eval, {y_axis_});
    if (!r.ok) {
      p["error"] = r.message;
      return p;
    }
    p["t"] = r.t;
    p["x"] = r.y;
    p["y"] = r.extra[0];
    return p;
  }

  json merge(const std::vector<json>& points, const Overrides& o) const override {
    Outcome outcome;
    const json& p = points.at(0);
    json result;
    if (!outcome.single(p, name_)) return outcome.finish(std::move(result));
    const auto t = numbers_of(p["t"]), x = numbers_of(p["x"]), y = numbers_of(p["y"]);
    Table trajectory({"time", "x", "y"}, {"s", output_unit(bench_), unit(y_axis_)});
    for (std::size_t k = 0; k < t.size(); ++k) trajectory.add_row({t[k], x[k], y[k]});
    Table section({"cycle", "x", "y"}, {"", output_unit(bench_), unit(y_axis_)});
    std::vector<double> px, py;
    for (std::size_t k = 0; k < t.size(); k += static_cast<std::size_t>(points_per_cycle_)) {
      px.push_back(x[k]);
      py.push_back(y[k]);
      section.add_row({static_cast<double>(px.size() - 1), x[k], y[k]});
    }
    const auto [xmin, xmax] = std::minmax_element(x.begin(), x.end());
    const auto [ymin, ymax] = std::minmax_element(y.begin(), y.end());
    const double xr = *xmax - *xmin, yr = *ymax - *ymin;
    // Period of the motion in drive periods: the smallest p for which the section repeats every p points.
    auto distance = [&](std::size_t i, std::size_t j) {
      return std::hypot((px[i] - px[j]) / (xr > 0 ? xr : 1), (py[i] - py[j]) / (yr > 0 ? yr : 1));
    };
    int motion_period = 0;
    for (std::size_t q = 1; q <= 8 && 2 * q <= px.size() && motion_period == 0; ++q) {
      bool repeats = true;
      for (std::size_t i = 0; i + q < px.size() && repeats; ++i) repeats = distance(i, i + q) < 1e-3;
      if (repeats) motion_period = static_cast<int>(q);
    }
    double spread = 0;
    for (std::size_t i = 0; i < px.size(); ++i)
      for (std::size_t j = i + 1; j < px.size(); ++j) spread = std::max(spread, distance(i, j));
    result["metrics"] = {{"x_amplitude", 0.5 * xr},
                         {"y_amplitude", 0.5 * yr},
                         {"period", motion_period == 0 ? json(nullptr) : json(motion_period)},
                         {"poincare_spread", spread}};
    if (motion_period == 0)
      outcome.note("the motion does not repeat within 8 drive periods (quasi-periodic or chaotic, or not settled)");
    result["tables"]["trajectory"] = trajectory.to_json();
    if (poincare_) result["tables"]["poincare"] = section.to_json();
    return outcome.finish(std::move(result));
  }

 private:
  std::string unit(const Probe& p) const {
    const auto& vars = p.kind == Probe::Kind::State ? bench_.model().states() : bench_.model().outputs();
    return coherent_unit(vars[static_cast<std::size_t>(p.index)]);
  }
  const TestBench& bench_;
  std::optional<double> frequency_, amplitude_, dc_;
  double transient_cycles_ = 50;
  int record_cycles_ = 20, points_per_cycle_ = 100;
  bool poincare_ = true, warm_ = true;
  Probe y_axis_;
};

}  // namespace

const TestMakers& transient_tests() {
  static const TestMakers makers = {
      {"continuous_chirp", make<Chirp>},
      {"free_decay", make<FreeDecay>},
      {"phase_portrait", make<PhasePortrait>},
  };
  return makers;
}

}  // namespace numen::characterize
