// The test bench (see test_bench.h): runs, operating points, warm starts and steady-state sine responses.
#include "characterize/test_bench.h"

#include <algorithm>
#include <cmath>

#include "common/text.h"

namespace numen::characterize {

namespace {

constexpr double kTwoPi = 2.0 * M_PI;

/// Phasor of harmonic h over samples [first, first + count) of a uniformly sampled record: rectangle-rule lock-in,
/// exact for whole periods when h is below half the samples per period.
std::complex<double> phasor(const Record& r, std::size_t first, std::size_t count, double f) {
  double in_phase = 0.0, quadrature = 0.0;
  for (std::size_t k = first; k < first + count; ++k) {
    const double phase = kTwoPi * f * r.t[k];
    in_phase += r.y[k] * std::sin(phase);
    quadrature += r.y[k] * std::cos(phase);
  }
  return {2.0 * in_phase / static_cast<double>(count), 2.0 * quadrature / static_cast<double>(count)};
}

}  // namespace

Overrides Overrides::with(const std::string& key, double value) const {
  Overrides out = *this;
  if (key == "excitation.amplitude") out.amplitude = value;
  else if (key == "excitation.frequency") out.frequency = value;
  else if (key == "excitation.dc_offset") out.dc_offset = value;
  else out.set.emplace_back(key, value);
  return out;
}

TestBench::TestBench(Model model, Excitation excitation, SolveOptions options,
                     std::vector<std::pair<std::string, double>> set)
    : model_(std::move(model)), excitation_(std::move(excitation)), options_(std::move(options)), set_(std::move(set)) {
}

Setup TestBench::setup(const Overrides& overrides) const {
  Setup s{model_.parameter_values(), model_.initial_state(), 1.0};
  auto apply = [&](const std::pair<std::string, double>& kv) {
    if (auto i = model_.find_parameter(kv.first)) s.parameters[static_cast<std::size_t>(*i)] = kv.second;
    else if (auto j = model_.find_state(kv.first)) s.initial_state[static_cast<std::size_t>(*j)] = kv.second;
    else throw Error("plan", SourcePos{}, "`" + kv.first + "` is not a parameter or initial value");
  };
  for (const auto& kv : set_) apply(kv);
  for (const auto& kv : overrides.set) apply(kv);
  if (excitation_.scale_parameter) s.scale = s.parameters[static_cast<std::size_t>(*excitation_.scale_parameter)];
  return s;
}

std::optional<Probe> TestBench::probe(const std::string& key) const {
  if (auto i = model_.find_state(key)) return Probe{Probe::Kind::State, *i, key};
  if (auto j = model_.find_output(key)) return Probe{Probe::Kind::Output, *j, key};
  return std::nullopt;
}

std::vector<std::string> TestBench::probe_keys() const {
  std::vector<std::string> keys;
  for (const Variable& v : model_.states()) keys.push_back(v.key);
  for (const Variable& v : model_.outputs()) keys.push_back(v.key);
  return keys;
}

std::vector<double> TestBench::weights(const std::vector<double>& x) const {
  std::vector<double> w(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double atol = options_.atol.size() == 1 ? options_.atol[0] : options_.atol[i];
    w[i] = atol + options_.rtol * std::abs(x[i]);
  }
  return w;
}

std::vector<double> TestBench::inputs(double dc, const Setup& setup) const {
  std::vector<double> u(model_.inputs().size(), 0.0);
  if (!u.empty()) u[static_cast<std::size_t>(excitation_.port)] = dc / setup.scale;
  return u;
}

OperatingPoint TestBench::operating_point(const Setup& setup, double dc) const {
  return find_equilibrium(model_, setup.parameters, setup.initial_state, inputs(dc, setup),
                          weights(setup.initial_state));
}

Linearization TestBench::linearize(const Setup& setup, const std::vector<double>& x, double dc,
                                   bool check_smoothness) const {
  return Linearization(model_, setup.parameters, x, inputs(dc, setup), excitation_.port, excitation_.output,
                       setup.scale, check_smoothness);
}

Record TestBench::run(const Setup& setup, const std::vector<double>& x0, const std::function<double(double)>& u,
                      double t_end, std::vector<double> t_eval, const std::vector<Probe>& extra,
                      std::vector<double> tstops) const {
  Record record;
  if (!(std::isfinite(setup.scale) && setup.scale != 0.0)) {
    record.ok = false;
    record.message = "the scale_by parameter `" + excitation_.scale_key + "` is " + text::format_number(setup.scale) +
                     "; the signal cannot be divided by it";
    return record;
  }
  SolveOptions o = options_;
  o.t0 = 0.0;
  o.t1 = t_end;
  o.n_save_points = 0;
  o.dtsave = 0.0;
  o.t_eval = std::move(t_eval);
  o.tstops = std::move(tstops);
  o.dense = false;
  RunSettings settings;
  settings.parameters = setup.parameters;
  settings.initial_state = x0;
  const double scale = setup.scale;
  settings.inputs.push_back(InputSignal{excitation_.port_key, [u, scale](double t) { return u(t) / scale; }});
  const Solution sol = solve(model_, o, settings);
  record.ok = sol.ok();
  record.message = sol.message;
  record.t = sol.t;
  auto series = [&](const Probe& p) {
    std::vector<double> s(sol.t.size());
    for (std::size_t k = 0; k < s.size(); ++k)
      s[k] = p.kind == Probe::Kind::State ? sol.state(p.index, k) : sol.output(p.index, k);
    return s;
  };
  record.y = series(excitation_.output);
  for (const Probe& p : extra) record.extra.push_back(series(p));
  if (record.ok && record.t.size() != o.t_eval.size()) {
    record.ok = false;
    record.message = "the solve saved " + std::to_string(record.t.size()) + " of " + std::to_string(o.t_eval.size()) +
                     " requested samples";
  }
  return record;
}

TestBench::Start TestBench::periodic_start(const Setup& setup, double dc,
                                           const std::vector<std::pair<double, double>>& tones) const {
  Start start{setup.initial_state, false, ""};
  const OperatingPoint op = operating_point(setup, dc);
  if (!op.steady) {
    start.note = "no linearized start: " + op.note;
    return start;
  }
  const Linearization lin = linearize(setup, op.x, dc);
  if (!lin.ok()) {
    start.note = "no linearized start: " + lin.problem();
    return start;
  }
  std::vector<double> x = op.x;
  for (const auto& [f, a] : tones) {
    const Eigen::VectorXcd response = lin.state_response(kTwoPi * f);
    if (response.size() == 0) {
      start.note = "no linearized start: (j w M - A) is singular at " + text::format_number(f) + " Hz";
      return start;
    }
    // u = a sin(w t) = Im(a e^{jwt}) -> x(0) = Im(a X).
    for (std::size_t i = 0; i < x.size(); ++i) x[i] += a * response[static_cast<Eigen::Index>(i)].imag();
  }
  if (!std::all_of(x.begin(), x.end(), [](double v) { return std::isfinite(v); })) {
    start.note = "no linearized start: it is not finite";
    return start;
  }
  start.x = std::move(x);
  start.warm = true;
  return start;
}

SteadyResponse TestBench::steady_sine(const Setup& setup, double frequency, double amplitude, double dc,
                                      const SettleSpec& settle, const std::vector<int>& harmonics) const {
  SteadyResponse out;
  const double period = 1.0 / frequency;
  const int spp = settle.samples_per_period;
  const int measure = settle.measure_periods;
  Start start{setup.initial_state, false, ""};
  if (settle.linearized_start) start = periodic_start(setup, dc, {{frequency, amplitude}});
  out.warm_start = start.warm;
  out.start_note = start.note;
  const auto u = [=](double t) { return dc + amplitude * std::sin(kTwoPi * frequency * t); };

  // One attempt: settle for `periods`, then measure; with `history` periods sampled before the measured ones.
  auto attempt = [&](double periods, int history) {
    const double window_start = std::max(0.0, periods - history) * period;
    const double t_end = (periods + measure) * period;
    const auto count = static_cast<std::size_t>(std::llround((t_end - window_start) / period * spp));
    std::vector<double> t_eval(count);
    for (std::size_t k = 0; k < count; ++k) t_eval[k] = window_start + static_cast<double>(k) * period / spp;
    return run(setup, start.x, u, t_end, std::move(t_eval));
  };

  // Below ~100 rtol, per-period differences are solver noise, not transient.
  const double tolerance = std::max(settle.tolerance, 100.0 * options_.rtol);
  double periods = settle.automatic ? (start.warm ? 3.0 : 8.0) : settle.periods;
  Record record;
  while (true) {
    record = attempt(periods, settle.automatic ? 2 : 0);
    if (!record.ok) {
      out.message = record.message;
      return out;
    }
    if (!settle.automatic) break;
    // Aitken-style estimate of the transient left: per-period phasors z0, z1, z2 of the last three periods decay
    // geometrically with ratio r, so the remainder is about |z2 - z1| r / (1 - r).
    const std::size_t n = record.t.size(), per = static_cast<std::size_t>(spp);
    const auto z0 = phasor(record, n - 3 * per, per, frequency), z1 = phasor(record, n - 2 * per, per, frequency),
               z2 = phasor(record, n - per, per, frequency);
    double peak = 0.0;
    for (double v : record.y) peak = std::max(peak, std::abs(v));
    const double d1 = std::abs(z1 - z0), d2 = std::abs(z2 - z1);
    const double ratio = d1 > 0 ? d2 / d1 : 0.0;
    const double remainder = ratio < 0.95 ? d2 * ratio / (1.0 - ratio) : 20.0 * d2;
    out.settle_error = remainder / std::max(std::abs(z2), 1e-9 * peak + 1e-300);
    if (out.settle_error <= tolerance) break;
    if (periods >= settle.max_periods) {
      out.settled = false;
      break;
    }
    periods = std::min(2.0 * periods, static_cast<double>(settle.max_periods));
  }
  out.settle_periods = periods;
  const std::size_t count = static_cast<std::size_t>(measure) * static_cast<std::size_t>(spp);
  const std::size_t first = record.t.size() - count;
  for (int h : harmonics) out.harmonics.push_back(phasor(record, first, count, h * frequency));
  double sum = 0.0;
  for (std::size_t k = first; k < record.t.size(); ++k) sum += record.y[k];
  out.mean = sum / static_cast<double>(count);
  out.ok = true;
  return out;
}

}  // namespace numen::characterize
