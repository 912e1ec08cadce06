// Shared parts of the tests: tables, reading keys with defaults, resonance metrics, and the type registry.
#include "characterize/test.h"

#include "units/units.h"

#include <algorithm>
#include <cmath>

#include "characterize/dsp.h"
#include "common/text.h"

namespace numen::characterize {

Table::Table(std::vector<std::string> columns, std::vector<std::string> units)
    : columns_(std::move(columns)), units_(std::move(units)), data_(columns_.size()) {
  units_.resize(columns_.size());
}

void Table::add_row(const std::vector<double>& row) {
  for (std::size_t i = 0; i < data_.size(); ++i) data_[i].push_back(i < row.size() ? row[i] : NAN);
}

json number_or_null(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

std::vector<double> numbers_of(const json& array) {
  std::vector<double> v;
  for (const json& x : array) v.push_back(x.is_number() ? x.get<double>() : NAN);
  return v;
}

std::vector<std::complex<double>> complex_of(const json& pairs) {
  std::vector<std::complex<double>> out;
  for (const json& z : pairs) {
    const auto reim = numbers_of(z);
    out.emplace_back(reim.at(0), reim.at(1));
  }
  return out;
}

json Table::to_json() const {
  json data = json::array();
  for (const auto& column : data_) {
    json c = json::array();
    for (double v : column) c.push_back(number_or_null(v));
    data.push_back(std::move(c));
  }
  return json{{"columns", columns_}, {"units", units_}, {"data", std::move(data)}};
}

Test::Test(const YAML::Node& node, YamlSource& src) : pos_(src.pos(node)) {
  name_ = node["name"].Scalar();
  type_ = node["type"].Scalar();
  if (node["enabled"].IsDefined()) enabled_ = src.boolean(node["enabled"], "enabled").value_or(true);
  settings_ = json{{"name", name_}, {"type", type_}, {"enabled", enabled_}};
  if (node["description"].IsDefined()) settings_["description"] = node["description"].Scalar();
}

namespace {
// YAML's .inf and .nan are numbers to the schema; no plan setting means them.
std::optional<double> finite(YamlSource& src, const YAML::Node& node, const char* key) {
  auto v = src.number(node, key);
  if (v && !std::isfinite(*v)) {
    src.error(node, std::string("`") + key + "` must be a finite number");
    return std::nullopt;
  }
  return v;
}
}  // namespace

std::optional<double> read_setting_value(YamlSource& src, const YAML::Node& node, const Model& model,
                                         const std::string& key) {
  if (!node.IsScalar()) {
    src.error(node, "`" + key + "` must be a number or a value like \"2*pi\" or \"3e5 Pa\"");
    return std::nullopt;
  }
  std::optional<double> v = parse_number(node.Scalar());
  if (v && std::isfinite(*v)) {
    // A bare number is in the field's display unit, as in model files; the plan runs in coherent units.
    for (const auto* list : {&model.parameters(), &model.states(), &model.discretes()})
      for (const Variable& var : *list)
        if (var.key == key) v = var.from_display(*v);
  } else if (!v) {
    try {
      v = read_setting(model, key, node.Scalar(), src.file());
    } catch (const Error& e) {
      const Diagnostic& d = e.diagnostics().front();
      SourcePos at = src.scalar_start(node);
      if (at.line > 0) at.column += std::max(d.pos.column, 1) - 1;
      src.error(at, "`" + key + "`: " + d.message + " (in `" + node.Scalar() + "`)");
      return std::nullopt;
    }
  }
  if (!std::isfinite(*v)) {
    src.error(node, "`" + key + "` must be a finite number");
    return std::nullopt;
  }
  return v;
}

std::optional<std::vector<double>> read_setting_values(YamlSource& src, const YAML::Node& node, const Model& model,
                                                       const std::string& key) {
  if (!node.IsSequence()) {
    src.error(node, "`" + key + "` must be a list of values, like [1, 2, 5]");
    return std::nullopt;
  }
  std::vector<double> out;
  bool ok = true;
  for (const YAML::Node& item : node) {
    if (auto v = read_setting_value(src, item, model, key)) out.push_back(*v);
    else ok = false;
  }
  if (!ok) return std::nullopt;
  return out;
}

double Fields::number(const char* key, double fallback) {
  const double v = has(key) ? finite(src_, node_[key], key).value_or(fallback) : fallback;
  settings_[key] = v;
  return v;
}

std::optional<double> Fields::optional_number(const char* key) {
  if (!has(key)) return std::nullopt;
  auto v = finite(src_, node_[key], key);
  if (v) settings_[key] = *v;
  return v;
}

int Fields::integer(const char* key, int fallback) {
  const long v = has(key) ? src_.integer(node_[key], key).value_or(fallback) : fallback;
  settings_[key] = v;
  return static_cast<int>(v);
}

bool Fields::boolean(const char* key, bool fallback) {
  const bool v = has(key) ? src_.boolean(node_[key], key).value_or(fallback) : fallback;
  settings_[key] = v;
  return v;
}

std::string Fields::string(const char* key, const std::string& fallback) {
  const std::string v = has(key) ? node_[key].Scalar() : fallback;
  settings_[key] = v;
  return v;
}

std::vector<double> Fields::numbers(const char* key) {
  std::vector<double> v;
  if (has(key)) v = src_.numbers(node_[key], key).value_or(std::vector<double>{});
  for (double x : v)
    if (!std::isfinite(x)) {
      error(key, std::string("`") + key + "` must hold finite numbers");
      break;
    }
  settings_[key] = v;
  return v;
}

std::vector<double> read_frequencies(Fields& fields, const char* key) {
  const YAML::Node node = fields.node(key);
  std::vector<double> f;
  if (node.IsSequence()) {
    f = fields.src().numbers(node, key).value_or(std::vector<double>{});
    for (std::size_t i = 1; i < f.size(); ++i)
      if (!(f[i] > f[i - 1])) {
        fields.error(key, "frequencies must increase; item " + std::to_string(i + 1) + " (" +
                              text::format_number(f[i]) + " Hz) does not");
        break;
      }
  } else if (node.IsMap()) {
    const double f0 = fields.src().number(node["f_start"], "f_start").value_or(1.0);
    const double f1 = fields.src().number(node["f_end"], "f_end").value_or(1.0);
    const long n = fields.src().integer(node["n_points"], "n_points").value_or(1);
    const bool log = !node["spacing"].IsDefined() || node["spacing"].Scalar() == "log";
    if (n > 100000) fields.error(key, "n_points is " + std::to_string(n) + "; at most 100000 frequencies");
    else if (n > 1 && !(f1 > f0))
      fields.error(
          key, "f_end (" + text::format_number(f1) + " Hz) must be above f_start (" + text::format_number(f0) + " Hz)");
    else
      for (long i = 0; i < n; ++i) {
        const double s = n == 1 ? 0.0 : static_cast<double>(i) / static_cast<double>(n - 1);
        f.push_back(log ? f0 * std::pow(f1 / f0, s) : f0 + (f1 - f0) * s);
      }
  }
  for (double v : f)
    if (!std::isfinite(v) || v <= 0) {
      fields.error(key, "frequencies must be finite and positive");
      break;
    }
  fields.settings()[key] = f;
  return f;
}

SettleSpec read_settle(Fields& fields) {
  SettleSpec s;
  const YAML::Node settle = fields.node("settle_periods");
  if (fields.has("settle_periods") && settle.Scalar() != "auto") {
    s.automatic = false;
    s.periods = fields.number("settle_periods", 0.0);
  } else {
    fields.settings()["settle_periods"] = "auto";
  }
  s.tolerance = fields.number("settle_tolerance", s.tolerance);
  s.max_periods = fields.integer("max_settle_periods", s.max_periods);
  s.measure_periods = fields.integer("measure_periods", s.measure_periods);
  s.samples_per_period = fields.integer("samples_per_period", s.samples_per_period);
  s.linearized_start = fields.string("start", "linearized") == "linearized";
  return s;
}

std::optional<double> read_drive_frequency(Fields& fields, const char* key, const TestBench& bench,
                                           const std::string& test) {
  const std::optional<double> f = fields.optional_number(key);
  if (!f && !bench.excitation().frequency)
    fields.error(key, "test `" + test + "` needs a `" + key + "` (or the plan's excitation.frequency)");
  return f;
}

ResonanceMetrics resonance(const std::vector<double>& f, const std::vector<double>& magnitude) {
  ResonanceMetrics r;
  std::size_t peak = f.size();
  for (std::size_t i = 0; i < f.size(); ++i)
    if (std::isfinite(magnitude[i]) && (peak == f.size() || magnitude[i] > magnitude[peak])) peak = i;
  if (peak == f.size()) return r;
  r.f0 = f[peak];
  r.peak_gain = magnitude[peak];
  if (peak == 0 || peak + 1 == f.size() || magnitude[peak] <= 0) return r;  // no peak inside the range
  auto lx = [&](std::size_t i) { return std::log(f[i]); };
  auto db = [&](std::size_t i) { return 20.0 * std::log10(magnitude[i]); };
  if (std::isfinite(magnitude[peak - 1]) && std::isfinite(magnitude[peak + 1]) && magnitude[peak - 1] > 0 &&
      magnitude[peak + 1] > 0) {
    // Parabola through three points (x, y); vertex at x0 - b / (2a) in local coordinates.
    const double x0 = lx(peak - 1), x1 = lx(peak), x2 = lx(peak + 1);
    const double y0 = db(peak - 1), y1 = db(peak), y2 = db(peak + 1);
    const double d01 = (y1 - y0) / (x1 - x0), d12 = (y2 - y1) / (x2 - x1);
    const double a = (d12 - d01) / (x2 - x0);
    if (a < 0) {
      const double b = d01 - a * (x0 + x1);
      const double xv = std::clamp(-b / (2 * a), x0, x2);
      r.f0 = std::exp(xv);
      r.peak_gain = std::pow(10.0, (y0 + d01 * (xv - x0) + a * (xv - x0) * (xv - x1)) / 20.0);
    }
  }
  const double level = 20.0 * std::log10(r.peak_gain) - 10.0 * std::log10(2.0);
  auto crossing = [&](std::size_t inside, std::size_t outside) {
    const double t = (level - db(inside)) / (db(outside) - db(inside));
    return std::exp(lx(inside) + t * (lx(outside) - lx(inside)));
  };
  double f_low = NAN, f_high = NAN;
  for (std::size_t i = peak; i-- > 0;)
    if (std::isfinite(magnitude[i]) && magnitude[i] > 0 && db(i) < level) {
      f_low = crossing(i + 1, i);
      break;
    }
  for (std::size_t i = peak + 1; i < f.size(); ++i)
    if (std::isfinite(magnitude[i]) && magnitude[i] > 0 && db(i) < level) {
      f_high = crossing(i - 1, i);
      break;
    }
  if (std::isfinite(f_low) && std::isfinite(f_high) && f_high > f_low) {
    r.q = r.f0 / (f_high - f_low);
    r.damping_ratio = 1.0 / (2.0 * r.q);
  }
  return r;
}

ResonanceMetrics resonance(const std::vector<double>& f, const std::function<double(double)>& magnitude) {
  std::vector<double> sampled;
  for (double x : f) sampled.push_back(magnitude(x));
  ResonanceMetrics r = resonance(f, sampled);
  std::size_t peak = 0;
  for (std::size_t i = 1; i < f.size(); ++i)
    if (sampled[i] > sampled[peak]) peak = i;
  if (peak == 0 || peak + 1 >= f.size()) return r;
  // Golden-section search for the maximum of |H| over log f between the neighbours of the sampled peak.
  const double ratio = (std::sqrt(5.0) - 1.0) / 2.0;
  double a = std::log(f[peak - 1]), b = std::log(f[peak + 1]);
  double c = b - ratio * (b - a), d = a + ratio * (b - a);
  double hc = magnitude(std::exp(c)), hd = magnitude(std::exp(d));
  for (int i = 0; i < 100 && b - a > 1e-13; ++i) {
    if (hc > hd) {
      b = d, d = c, hd = hc;
      c = b - ratio * (b - a), hc = magnitude(std::exp(c));
    } else {
      a = c, c = d, hc = hd;
      d = a + ratio * (b - a), hd = magnitude(std::exp(d));
    }
  }
  r.f0 = std::exp(0.5 * (a + b));
  r.peak_gain = magnitude(r.f0);
  const double level = r.peak_gain / std::sqrt(2.0);
  // Bisection between the peak and the first grid point below the level, on each side.
  auto crossing = [&](double inside, double outside) {
    for (int i = 0; i < 200 && std::abs(outside - inside) > 1e-14 * inside; ++i) {
      const double mid = std::sqrt(inside * outside);
      (magnitude(mid) > level ? inside : outside) = mid;
    }
    return std::sqrt(inside * outside);
  };
  double f_low = NAN, f_high = NAN;
  for (std::size_t i = peak; i-- > 0;)
    if (sampled[i] < level) {
      f_low = crossing(r.f0, f[i]);
      break;
    }
  for (std::size_t i = peak + 1; i < f.size(); ++i)
    if (sampled[i] < level) {
      f_high = crossing(r.f0, f[i]);
      break;
    }
  r.q = r.damping_ratio = NAN;
  if (std::isfinite(f_low) && std::isfinite(f_high)) {
    r.q = r.f0 / (f_high - f_low);
    r.damping_ratio = 1.0 / (2.0 * r.q);
  }
  return r;
}

json metrics_json(const ResonanceMetrics& r) {
  return json{{"f0", number_or_null(r.f0)},
              {"peak_gain", number_or_null(r.peak_gain)},
              {"peak_gain_db", number_or_null(20.0 * std::log10(r.peak_gain))},
              {"q", number_or_null(r.q)},
              {"damping_ratio", number_or_null(r.damping_ratio)}};
}

Table frf_table(const std::vector<double>& f, const std::vector<std::complex<double>>& h, const std::string& gain_unit,
                bool unwrap) {
  Table table({"frequency", "magnitude", "magnitude_db", "phase_deg", "real", "imag"},
              {"Hz", gain_unit, "dB", "deg", gain_unit, gain_unit});
  std::vector<double> phase;
  for (const auto& z : h) phase.push_back(std::arg(z));
  // Unwrap across the finite points only (a failed frequency must not break the phase curve).
  std::vector<double> finite_phase;
  for (double p : phase)
    if (std::isfinite(p)) finite_phase.push_back(p);
  if (unwrap) finite_phase = dsp::unwrap(finite_phase);
  for (std::size_t i = 0, j = 0; i < phase.size(); ++i)
    if (std::isfinite(phase[i])) phase[i] = finite_phase[j++];
  for (std::size_t i = 0; i < f.size(); ++i) {
    const double mag = std::abs(h[i]);
    table.add_row({f[i], mag, 20.0 * std::log10(mag), phase[i] * 180.0 / M_PI, h[i].real(), h[i].imag()});
  }
  return table;
}

double resolve(const std::optional<double>& swept, const std::optional<double>& own, const std::optional<double>& plan,
               double fallback) {
  if (swept) return *swept;
  if (own) return *own;
  if (plan) return *plan;
  return fallback;
}

std::vector<std::size_t> decimation(std::size_t samples, std::size_t keep) {
  std::vector<std::size_t> idx;
  if (samples == 0) return idx;
  if (keep >= samples || keep < 2) {
    for (std::size_t k = 0; k < samples; ++k) idx.push_back(k);
    return idx;
  }
  for (std::size_t k = 0; k < keep; ++k)
    idx.push_back(static_cast<std::size_t>(
        std::llround(static_cast<double>(k) * static_cast<double>(samples - 1) / static_cast<double>(keep - 1))));
  return idx;
}

std::unique_ptr<Test> make_test(const YAML::Node& node, PlanContext& ctx) {
  const std::string type = node["type"].Scalar();
  for (const TestMakers* group : {&frequency_tests(), &transient_tests(), &stochastic_tests(), &sweep_tests()})
    for (const auto& [name, construct] : *group)
      if (type == name) return construct(node, ctx);
  return nullptr;  // the schema rejected it already
}

json steady_point(const TestBench& bench, const Setup& setup, double f, double amplitude, double dc,
                  const SettleSpec& settle, const std::vector<int>& harmonics) {
  const SteadyResponse r = bench.steady_sine(setup, f, amplitude, dc, settle, harmonics);
  json p{{"f", f}, {"amplitude", amplitude}, {"dc", dc}};
  if (!r.ok) {
    p["error"] = r.message;
    return p;
  }
  json h = json::array();
  for (const auto& z : r.harmonics)
    h.push_back({number_or_null(z.real() / amplitude), number_or_null(z.imag() / amplitude)});
  p["h"] = std::move(h);
  p["mean"] = number_or_null(r.mean);
  p["settle_periods"] = r.settle_periods;
  p["settled"] = r.settled;
  p["settle_error"] = number_or_null(r.settle_error);
  p["warm_start"] = r.warm_start;
  if (!r.start_note.empty()) p["start_note"] = r.start_note;
  return p;
}

double point_number(const json& point, const char* key) {
  if (!point.is_object()) return NAN;
  const auto it = point.find(key);
  return it != point.end() && it->is_number() ? it->get<double>() : NAN;
}

json first_point_value(const std::vector<json>& points, const char* key) {
  for (const json& p : points)
    if (p.is_object() && p.contains(key)) return p.at(key);
  return nullptr;
}

double point_mean(const json& point) { return point_number(point, "mean"); }

std::complex<double> point_phasor(const json& point, std::size_t harmonic) {
  if (point.contains("error") || !point.contains("h") || harmonic >= point["h"].size()) return {NAN, NAN};
  const auto reim = numbers_of(point["h"][harmonic]);
  return {reim.at(0), reim.at(1)};
}

void Outcome::note(const std::string& message) {
  if (std::find(messages_.begin(), messages_.end(), message) == messages_.end()) messages_.push_back(message);
}

void Outcome::check(const json& point, const std::string& label) {
  ++total_;
  if (point.contains("error")) {
    ++failed_;
    note(label + ": " + point["error"].get<std::string>());
    return;
  }
  if (point.contains("settled") && !point["settled"].get<bool>())
    note(label + ": not settled after " + text::format_number(point["settle_periods"].get<double>()) +
         " periods (estimated error " + text::format_number(point["settle_error"].get<double>()) +
         "); raise max_settle_periods or settle_tolerance");
  if (point.contains("start_note")) note(point["start_note"].get<std::string>() + "; started from the initial values");
}

json Outcome::finish(json result) const {
  result["status"] = failed_ == 0 ? "ok" : failed_ < total_ ? "partial" : "failed";
  result["messages"] = messages_;
  return result;
}

namespace {
// "(m/s^2)*(kg)" is a force: say N. A product without a named SI unit is kept as written.
std::string named(const std::string& product) {
  try {
    const units::Dimension d = units::parse(product).dim;
    const std::string si = units::si_name(d);
    if (si != units::base_units(d) || si.find_first_of("*/^") == std::string::npos) return si;
  } catch (const units::UnitError&) {}
  return product;
}
}  // namespace

std::string coherent_unit(const Variable& v) {
  if (v.unit.empty() || (v.scale == 1.0 && v.offset == 0.0)) return v.unit;
  return units::si_name(units::parse(v.unit).dim);
}

std::string output_unit(const TestBench& bench) {
  const Probe& p = bench.excitation().output;
  const auto& vars = p.kind == Probe::Kind::State ? bench.model().states() : bench.model().outputs();
  return coherent_unit(vars[static_cast<std::size_t>(p.index)]);
}

std::string signal_unit(const TestBench& bench) {
  const Excitation& ex = bench.excitation();
  std::string u = coherent_unit(bench.model().inputs()[static_cast<std::size_t>(ex.port)]);
  if (ex.scale_parameter) {
    const std::string s = coherent_unit(bench.model().parameters()[static_cast<std::size_t>(*ex.scale_parameter)]);
    if (!u.empty() && !s.empty()) u = named("(" + u + ")*(" + s + ")");
    else u.clear();
  }
  return u;
}

std::string gain_unit(const TestBench& bench) {
  const std::string out = output_unit(bench), in = signal_unit(bench);
  if (out.empty() || in.empty()) return "";
  const bool simple = in.find_first_of("*/^()") == std::string::npos;
  return out + "/" + (simple ? in : "(" + in + ")");
}

}  // namespace numen::characterize
