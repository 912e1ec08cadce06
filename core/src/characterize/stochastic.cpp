// Random and multisine excitation: Welch spectra of input and response, the best linear approximation H1,
// coherence, RMS and crest factor.
#include <algorithm>
#include <cmath>
#include <sstream>

#include "characterize/dsp.h"
#include "characterize/test.h"
#include "common/text.h"

namespace numen::characterize {

namespace {

constexpr double kStandardGravity = 9.80665;  // m/s^2 per g

/// Rows of numbers from CSV text: commas, semicolons, tabs or spaces between values; `#` comments and a header
/// line that is not numbers are skipped. Returns the rows, or an error message naming the line.
std::vector<std::vector<double>> read_csv(const std::string& text, std::string& error) {
  std::vector<std::vector<double>> rows;
  std::istringstream in(text);
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    for (char& c : line)
      if (c == ',' || c == ';' || c == '\t' || c == '\r') c = ' ';
    std::istringstream fields(line);
    std::vector<double> row;
    std::string field;
    bool numeric = true;
    while (fields >> field) {
      auto v = parse_number(field);
      if (!v || !std::isfinite(*v)) numeric = false;
      else row.push_back(*v);
    }
    if (row.empty() && numeric) continue;  // blank line
    if (!numeric) {
      if (rows.empty()) continue;  // a header
      error = "line " + std::to_string(number) + " is not numbers";
      return {};
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

/// Integral of a PSD given by breakpoints, interpolated log-log (a power law between breakpoints).
double psd_integral(const std::vector<double>& f, const std::vector<double>& s) {
  double total = 0;
  for (std::size_t i = 0; i + 1 < f.size(); ++i) {
    const double b = std::log(s[i + 1] / s[i]) / std::log(f[i + 1] / f[i]);
    if (std::abs(b + 1.0) < 1e-12) total += s[i] * f[i] * std::log(f[i + 1] / f[i]);
    else total += s[i] / (b + 1.0) * (f[i + 1] * std::pow(f[i + 1] / f[i], b) - f[i]);
  }
  return total;
}

class Stochastic final : public Test {
 public:
  Stochastic(const YAML::Node& node, PlanContext& ctx) : Test(node, ctx.src), bench_(ctx.bench), keep_(ctx) {
    Fields f(node, ctx.src, settings_);
    duration_ = f.number("duration", 1.0);
    dt_ = f.number("dt_sig", 0.01);
    seed_ = static_cast<std::uint64_t>(f.has("seed") ? f.integer("seed", 0) : static_cast<long>(ctx.seed));
    settings_["seed"] = seed_;
    scale_ = f.number("amplitude", 1.0);
    dc_ = f.optional_number("dc_offset");
    transient_fraction_ = f.number("transient_fraction", 0.1);
    segments_ = f.integer("n_welch_segments", 8);
    if (f.has("gate")) {
      const YAML::Node gate = f.node("gate");
      gate_start_ = gate["t_start"].IsDefined() ? ctx.src.number(gate["t_start"], "t_start").value_or(0.0) : 0.0;
      gate_end_ = gate["t_end"].IsDefined() ? ctx.src.number(gate["t_end"], "t_end").value_or(duration_) : duration_;
      settings_["gate"] = {{"t_start", gate_start_}, {"t_end", gate_end_}};
      if (!(gate_end_ > gate_start_) || gate_end_ > duration_ + 1e-12)
        f.error("gate", "the gate must satisfy 0 <= t_start < t_end <= duration");
    } else {
      gate_start_ = transient_fraction_ * duration_;
      gate_end_ = duration_;
    }
    samples_ = static_cast<std::size_t>(std::llround(duration_ / dt_));
    if (samples_ < 16) f.error("dt_sig", "duration / dt_sig gives fewer than 16 samples");
    if (samples_ > 20000000) f.error("dt_sig", "duration / dt_sig gives more than 2e7 samples");
    const auto analysed = static_cast<std::size_t>((gate_end_ - gate_start_) / dt_);
    if (analysed < static_cast<std::size_t>(4 * segments_))
      f.error("n_welch_segments", "the analysed record holds " + std::to_string(analysed) + " samples, too few for " +
                                      std::to_string(segments_) + " Welch segments");
    read_signal(f, ctx);
  }
  int point_count() const override { return 1; }
  bool uses(ExcitationKey key) const override {
    return key == ExcitationKey::DcOffset || key == ExcitationKey::Amplitude;
  }
  std::vector<std::string> metric_names() const override {
    return {"input_rms",
            "response_rms",
            "input_crest_factor",
            "response_crest_factor",
            "mean_coherence",
            "f0",
            "peak_gain",
            "peak_gain_db",
            "q",
            "damping_ratio"};
  }

  json run_point(int, const Overrides& o) const override {
    const Setup setup = bench_.setup(o);
    const double dc = resolve(o.dc_offset, dc_, bench_.excitation().dc_offset, 0.0);
    const double scale = o.amplitude.value_or(scale_);
    json p{{"dc", dc}, {"amplitude", scale}};
    std::vector<double> signal = make_signal();
    for (double& v : signal) v *= scale;
    const std::size_t n = signal.size();
    std::vector<double> t(n);
    for (std::size_t k = 0; k < n; ++k) t[k] = static_cast<double>(k) * dt_;
    const double dt = dt_;
    // Linear interpolation between samples; the solver steps onto every sample (tstops), where the slope jumps.
    auto drive = [&signal, dc, dt, n](double time) {
      const double s = time / dt;
      if (s <= 0) return dc + signal[0];
      const auto k = static_cast<std::size_t>(s);
      if (k + 1 >= n) return dc + signal[n - 1];
      const double w = s - static_cast<double>(k);
      return dc + (1 - w) * signal[k] + w * signal[k + 1];
    };
    const OperatingPoint op = bench_.operating_point(setup, dc);
    const std::vector<double> x0 = op.steady ? op.x : setup.initial_state;
    if (!op.steady)
      p["note"] = "no operating point under the DC input (" + op.note + "); started from the initial values";
    const Record r = bench_.run(setup, x0, drive, t.back(), t, {}, t);
    if (!r.ok) {
      p["error"] = r.message;
      return p;
    }
    const auto first = static_cast<std::size_t>(std::ceil(gate_start_ / dt_ - 1e-9));
    const auto last = std::min(n, static_cast<std::size_t>(std::floor(gate_end_ / dt_ + 1e-9)) + 1);
    std::vector<double> u(signal.begin() + static_cast<std::ptrdiff_t>(first),
                          signal.begin() + static_cast<std::ptrdiff_t>(last));
    std::vector<double> y(r.y.begin() + static_cast<std::ptrdiff_t>(first),
                          r.y.begin() + static_cast<std::ptrdiff_t>(last));
    double y_mean = 0;
    for (double v : y) y_mean += v / static_cast<double>(y.size());
    std::vector<double> y_ac = y;
    for (double& v : y_ac) v -= y_mean;
    const dsp::Spectra s = dsp::welch(u, y_ac, 1.0 / dt_, segments_);
    p["frequency"] = s.f;
    p["pxx"] = s.pxx;
    p["pyy"] = s.pyy;
    // The model receives the samples joined by straight lines (a first-order hold), whose gain
    // sinc^2(f dt_sig) filters the drive; dividing it out compares the response with what the model received.
    json h = json::array();
    for (std::size_t k = 0; k < s.h1.size(); ++k) {
      const double x = M_PI * s.f[k] * dt_;
      const double hold = x == 0.0 ? 1.0 : std::pow(std::sin(x) / x, 2);
      const auto z = s.h1[k] / hold;
      h.push_back({number_or_null(z.real()), number_or_null(z.imag())});
    }
    p["h1"] = std::move(h);
    json coherence = json::array();
    for (double c : s.coherence) coherence.push_back(number_or_null(c));
    p["coherence"] = std::move(coherence);
    p["averages"] = s.averages;
    p["input_rms"] = dsp::rms(u);
    p["response_rms"] = dsp::rms(y_ac);
    p["input_crest_factor"] = dsp::crest_factor(u);
    p["response_crest_factor"] = dsp::crest_factor(y_ac);
    p["response_mean"] = y_mean;
    const auto keep = decimation(n, keep_.count(duration_));
    json ts_t = json::array(), ts_u = json::array(), ts_y = json::array();
    for (std::size_t k : keep) {
      ts_t.push_back(t[k]);
      ts_u.push_back(dc + signal[k]);
      ts_y.push_back(number_or_null(r.y[k]));
    }
    p["t"] = std::move(ts_t);
    p["u"] = std::move(ts_u);
    p["y"] = std::move(ts_y);
    return p;
  }

  json merge(const std::vector<json>& points, const Overrides& o) const override {
    Outcome outcome;
    const json& p = points.at(0);
    json result;
    if (!outcome.single(p, name_)) return outcome.finish(std::move(result));
    const auto f = numbers_of(p["frequency"]), pxx = numbers_of(p["pxx"]), pyy = numbers_of(p["pyy"]),
               coherence = numbers_of(p["coherence"]);
    const auto h = complex_of(p["h1"]);
    // The band the input drives: where its PSD is within 30 dB of its peak. H1 and coherence mean little elsewhere.
    const double peak_pxx = pxx.empty() ? 0 : *std::max_element(pxx.begin(), pxx.end());
    std::vector<double> band_f, band_mag;
    std::vector<std::complex<double>> band_h;
    double coherence_sum = 0;
    Table spectra({"frequency", "input_psd", "response_psd", "h1_magnitude", "h1_phase_deg", "coherence"},
                  {"Hz", "(" + signal_unit(bench_) + ")^2/Hz", "(" + output_unit(bench_) + ")^2/Hz", gain_unit(bench_),
                   "deg", ""});
    for (std::size_t k = 0; k < f.size(); ++k) {
      const bool in_band = pxx[k] >= 1e-3 * peak_pxx && f[k] > 0;
      spectra.add_row({f[k], pxx[k], pyy[k], in_band ? std::abs(h[k]) : NAN,
                       in_band ? std::arg(h[k]) * 180 / M_PI : NAN, in_band ? coherence[k] : NAN});
      if (in_band) {
        band_f.push_back(f[k]);
        band_h.push_back(h[k]);
        band_mag.push_back(std::abs(h[k]));
        coherence_sum += coherence[k];
      }
    }
    json metrics = metrics_json(resonance(band_f, band_mag));
    for (const char* key : {"input_rms", "response_rms", "input_crest_factor", "response_crest_factor"})
      metrics[key] = p[key];
    metrics["mean_coherence"] =
        number_or_null(band_f.empty() ? NAN : coherence_sum / static_cast<double>(band_f.size()));
    result["metrics"] = std::move(metrics);
    result["averages"] = p["averages"];
    result["tables"]["spectra"] = spectra.to_json();
    result["tables"]["frf"] = frf_table(band_f, band_h, gain_unit(bench_), false).to_json();
    Table ts({"time", "input", "response"}, {"s", signal_unit(bench_), output_unit(bench_)});
    const auto t = numbers_of(p["t"]), u = numbers_of(p["u"]), y = numbers_of(p["y"]);
    for (std::size_t k = 0; k < t.size(); ++k) ts.add_row({t[k], u[k], y[k]});
    result["tables"]["timeseries"] = ts.to_json();
    return outcome.finish(std::move(result));
  }

 private:
  enum class Kind { Psd, TimeSeries, Multisine };

  void read_signal(Fields& f, PlanContext& ctx) {
    const YAML::Node signal = f.node("signal");
    json& out = settings_["signal"];
    auto load = [&](const YAML::Node& path_node) -> std::vector<std::vector<double>> {
      const std::string path = path_node.Scalar();
      std::string text;
      try {
        text = ctx.load(path);
      } catch (const std::exception& e) {
        ctx.src.error(path_node, "cannot read `" + path + "`: " + e.what());
        return {};
      }
      std::string error;
      auto rows = read_csv(text, error);
      if (!error.empty()) ctx.src.error(path_node, "`" + path + "`: " + error);
      return rows;
    };
    auto read_psd = [&](const YAML::Node& spec, std::vector<std::vector<double>> rows) {
      kind_ = Kind::Psd;
      for (const auto& row : rows) {
        if (row.size() != 2) {
          ctx.src.error(spec, "PSD breakpoints are [frequency, psd] pairs");
          return;
        }
        psd_f_.push_back(row[0]);
        psd_s_.push_back(row[1]);
      }
      if (psd_f_.size() < 2) {
        ctx.src.error(spec, "a PSD needs at least two breakpoints");
        return;
      }
      for (std::size_t i = 0; i < psd_f_.size(); ++i) {
        if (!(psd_f_[i] > 0) || !(psd_s_[i] > 0)) {
          ctx.src.error(spec, "PSD breakpoints need frequency > 0 and PSD > 0 (they are interpolated log-log)");
          return;
        }
        if (i > 0 && !(psd_f_[i] > psd_f_[i - 1])) {
          ctx.src.error(spec, "PSD breakpoint frequencies must increase");
          return;
        }
      }
      const bool in_g = spec["units"].IsDefined() && spec["units"].Scalar() == "g_rms";
      if (in_g)
        for (double& v : psd_s_) v *= kStandardGravity * kStandardGravity;
      if (spec["target_grms"].IsDefined()) {
        const double target = ctx.src.number(spec["target_grms"], "target_grms").value_or(1.0) * kStandardGravity;
        const double factor = target * target / psd_integral(psd_f_, psd_s_);
        for (double& v : psd_s_) v *= factor;
      }
      if (psd_f_.back() > 0.5 / dt_)
        f.error("dt_sig", "the PSD reaches " + text::format_number(psd_f_.back()) +
                              " Hz, above the signal's Nyquist frequency " + text::format_number(0.5 / dt_) +
                              " Hz; lower dt_sig");
      out["psd_rms"] = std::sqrt(psd_integral(psd_f_, psd_s_));
    };
    if (signal["psd_profile"].IsDefined()) {
      const YAML::Node spec = signal["psd_profile"];
      std::vector<std::vector<double>> rows;
      for (const auto& bp : spec["breakpoints"])
        rows.push_back(ctx.src.numbers(bp, "breakpoint").value_or(std::vector<double>{}));
      read_psd(spec, rows);
      out["psd_profile"] = {{"breakpoints", rows},
                            {"units", spec["units"].IsDefined() ? spec["units"].Scalar() : "m_s2"}};
    } else if (signal["psd_file"].IsDefined()) {
      const YAML::Node spec = signal["psd_file"];
      read_psd(spec, load(spec["path"]));
      out["psd_file"] = {{"path", spec["path"].Scalar()}};
    } else if (signal["time_series_file"].IsDefined()) {
      kind_ = Kind::TimeSeries;
      const YAML::Node spec = signal["time_series_file"];
      out["time_series_file"] = {{"path", spec["path"].Scalar()}};
      const auto rows = load(spec["path"]);
      if (rows.empty()) return;
      std::vector<double> t, v;
      for (std::size_t i = 0; i < rows.size(); ++i) {
        if (rows[i].size() == 2) {
          t.push_back(rows[i][0]);
          v.push_back(rows[i][1]);
        } else if (rows[i].size() == 1) {
          t.push_back(static_cast<double>(i) * dt_);
          v.push_back(rows[i][0]);
        } else {
          ctx.src.error(spec["path"], "time series rows are `time,value` or `value`");
          return;
        }
        if (i > 0 && !(t[i] > t[i - 1])) {
          ctx.src.error(spec["path"], "time series times must increase (row " + std::to_string(i + 1) + ")");
          return;
        }
      }
      if (t.back() - t.front() < duration_ - dt_ - 1e-12) {
        f.error("duration", "the time series covers " + text::format_number(t.back() - t.front()) +
                                " s, less than the duration " + text::format_number(duration_) + " s");
        return;
      }
      // Resampled at dt_sig by linear interpolation, time measured from the file's first sample.
      std::size_t j = 0;
      for (std::size_t k = 0; k < samples_; ++k) {
        const double tk = t.front() + static_cast<double>(k) * dt_;
        while (j + 2 < t.size() && t[j + 1] < tk) ++j;
        const double w = t.size() > 1 ? std::clamp((tk - t[j]) / (t[j + 1] - t[j]), 0.0, 1.0) : 0.0;
        series_.push_back(t.size() > 1 ? (1 - w) * v[j] + w * v[j + 1] : v[0]);
      }
    } else if (signal["multisine"].IsDefined()) {
      kind_ = Kind::Multisine;
      const YAML::Node spec = signal["multisine"];
      ms_start_ = ctx.src.number(spec["f_start"], "f_start").value_or(1.0);
      ms_end_ = ctx.src.number(spec["f_end"], "f_end").value_or(1.0);
      const double record = static_cast<double>(samples_) * dt_;
      const long grid_lines =
          static_cast<long>(std::floor(ms_end_ * record)) - static_cast<long>(std::ceil(ms_start_ * record)) + 1;
      ms_lines_ = spec["n_lines"].IsDefined()
                      ? static_cast<int>(ctx.src.integer(spec["n_lines"], "n_lines").value_or(1))
                      : static_cast<int>(std::max(1L, grid_lines));
      ms_rms_ = spec["rms"].IsDefined() ? ctx.src.number(spec["rms"], "rms").value_or(1.0) : 1.0;
      out["multisine"] = {{"f_start", ms_start_}, {"f_end", ms_end_}, {"n_lines", ms_lines_}, {"rms", ms_rms_}};
      if (!(ms_end_ > ms_start_)) ctx.src.error(spec, "multisine f_end must be above f_start");
      else if (grid_lines < 1)
        ctx.src.error(spec, "no line of the record's frequency grid (1/duration = " +
                                text::format_number(1.0 / record) + " Hz) falls between f_start and f_end");
      else if (ms_end_ >= 0.5 / dt_)
        ctx.src.error(spec, "multisine f_end must be below the Nyquist frequency 1/(2 dt_sig) = " +
                                text::format_number(0.5 / dt_) + " Hz");
    }
  }

  std::vector<double> make_signal() const {
    switch (kind_) {
      case Kind::Psd: return dsp::random_from_psd(psd_f_, psd_s_, static_cast<double>(samples_) * dt_, dt_, seed_);
      case Kind::TimeSeries: return series_;
      case Kind::Multisine:
        return dsp::schroeder_multisine(ms_start_, ms_end_, ms_lines_, ms_rms_, static_cast<double>(samples_) * dt_,
                                        dt_);
    }
    return {};
  }

  const TestBench& bench_;
  SeriesKeep keep_;
  double duration_ = 1, dt_ = 0.01, scale_ = 1, transient_fraction_ = 0.1, gate_start_ = 0, gate_end_ = 1;
  std::optional<double> dc_;
  std::uint64_t seed_ = 0;
  int segments_ = 8;
  std::size_t samples_ = 0;
  Kind kind_ = Kind::Psd;
  std::vector<double> psd_f_, psd_s_, series_;
  double ms_start_ = 1, ms_end_ = 1, ms_rms_ = 1;
  int ms_lines_ = 1;
};

}  // namespace

const TestMakers& stochastic_tests() {
  static const TestMakers makers = {
      {"stochastic_excitation", make<Stochastic>},
  };
  return makers;
}

}  // namespace numen::characterize
