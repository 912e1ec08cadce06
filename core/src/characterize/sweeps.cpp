// Sweeps: a sub-test run once per value (parameter_sweep), per grid point (parameter_grid) or per design point
// (doe_sweep). A sweep's points are its sub-test's points times its rows, so a sweep of a stepped sine spreads
// over every worker. Swept excitation.* values reach the sub-test's signal (they override the sub-test's own).
#include <algorithm>
#include <cmath>
#include <set>
#include <unordered_map>

#include "characterize/doe.h"
#include "characterize/test.h"
#include "common/text.h"

namespace numen::characterize {

namespace {

const std::vector<std::string> kExcitationKeys = {"excitation.amplitude", "excitation.frequency",
                                                  "excitation.dc_offset"};

std::optional<ExcitationKey> excitation_key(const std::string& key) {
  if (key == "excitation.amplitude") return ExcitationKey::Amplitude;
  if (key == "excitation.frequency") return ExcitationKey::Frequency;
  if (key == "excitation.dc_offset") return ExcitationKey::DcOffset;
  return std::nullopt;
}

/// Checks a sweep key: a parameter, an initial value, or excitation.amplitude / frequency / dc_offset.
bool check_key(const std::string& key, const YAML::Node& where, PlanContext& ctx) {
  const Model& model = ctx.bench.model();
  if (model.find_parameter(key) || model.find_state(key) || excitation_key(key)) return true;
  std::vector<std::string> keys;
  for (const Variable& v : model.parameters()) keys.push_back(v.key);
  for (const Variable& v : model.states()) keys.push_back(v.key);
  keys.insert(keys.end(), kExcitationKeys.begin(), kExcitationKeys.end());
  ctx.src.error(where, "`" + key + "` is not a parameter, an initial value or an excitation setting of model `" +
                           model.name() + "`" + text::did_you_mean(key, keys) +
                           "; sweepable keys: " + text::quoted_list(keys, 40));
  return false;
}

class Sweep : public Test {
 public:
  int point_count() const override { return sub_ ? static_cast<int>(rows_.size()) * sub_->point_count() : 0; }
  bool uses(ExcitationKey key) const override {
    for (const auto& [k, pos] : keys_)
      if (excitation_key(k) == key) return true;
    return sub_ && sub_->uses(key);
  }
  std::vector<std::string> metric_names() const override { return {}; }
  const std::string* sub_test_name() const override { return &sub_name_; }
  SourcePos sub_test_pos() const override { return sub_pos_; }
  std::vector<std::string> swept_keys() const override {
    std::vector<std::string> out;
    for (const auto& [k, pos] : keys_) out.push_back(k);
    if (sub_) {
      const auto inner = sub_->swept_keys();
      out.insert(out.end(), inner.begin(), inner.end());
    }
    return out;
  }

  void link(const Test* sub, YamlSource& src) override {
    sub_ = sub;
    const auto inner = sub->swept_keys();
    for (const auto& [key, pos] : keys_) {
      if (auto e = excitation_key(key); e && !sub->uses(*e))
        src.error(pos, "sweeping `" + key + "` has no effect on test `" + sub->name() + "` (a " + sub->type() +
                           (*e == ExcitationKey::Frequency   ? " sets its own frequencies or has none"
                            : *e == ExcitationKey::Amplitude ? " sets its own amplitudes or has none"
                                                             : " sets its own DC values or has none") +
                           ")");
      if (std::find(inner.begin(), inner.end(), key) != inner.end())
        src.error(pos, "`" + key + "` is swept by `" + name_ + "` and again inside `" + sub->name() +
                           "`; the inner sweep would override the outer one");
    }
  }

  std::string point_label(int k) const override {
    const int m = sub_->point_count();
    return name_ + " [" + describe(static_cast<std::size_t>(k / m)) + "] " + sub_->point_label(k % m);
  }

  json run_point(int k, const Overrides& o) const override {
    const int m = sub_->point_count();
    return sub_->run_point(k % m, overrides(o, static_cast<std::size_t>(k / m)));
  }

  json merge(const std::vector<json>& points, const Overrides& o) const override {
    const auto m = static_cast<std::size_t>(sub_->point_count());
    json family = json::array();
    std::vector<std::string> metrics = sub_->metric_names();
    std::vector<std::string> columns, units;
    for (const auto& [key, pos] : keys_) {
      columns.push_back(key);
      units.push_back(swept_unit(key));  // swept values are coherent, like the solve
    }
    columns.insert(columns.end(), metrics.begin(), metrics.end());
    units.resize(columns.size());
    Table table(columns, units);
    int failed = 0, partial = 0;
    std::vector<std::string> messages;
    for (std::size_t r = 0; r < rows_.size(); ++r) {
      const std::vector<json> slice(points.begin() + static_cast<std::ptrdiff_t>(r * m),
                                    points.begin() + static_cast<std::ptrdiff_t>((r + 1) * m));
      json sub = sub_->merge(slice, overrides(o, r));
      json values = json::object();
      std::vector<double> row;
      for (std::size_t i = 0; i < keys_.size(); ++i) {
        values[keys_[i].first] = rows_[r][i];
        row.push_back(rows_[r][i]);
      }
      for (const auto& name : metrics) {
        const json& v = sub["metrics"][name];
        row.push_back(v.is_number() ? v.get<double>() : NAN);
      }
      table.add_row(row);
      const std::string status = sub.value("status", "ok");
      if (status == "failed") ++failed;
      if (status == "partial") ++partial;
      for (const auto& msg : sub.value("messages", std::vector<std::string>{}))
        messages.push_back("[" + describe(r) + "] " + msg);
      family.push_back({{"values", std::move(values)}, {"result", std::move(sub)}});
    }
    json result;
    result["sub_test"] = sub_name_;
    result["sub_type"] = sub_->type();
    result["swept"] = columns_of_keys();
    result["family"] = std::move(family);
    result["tables"]["metrics"] = table.to_json();
    result["metrics"] = json::object();
    result["status"] = failed == static_cast<int>(rows_.size()) ? "failed" : failed + partial > 0 ? "partial" : "ok";
    result["messages"] = messages;
    return result;
  }

 protected:
  Sweep(const YAML::Node& node, PlanContext& ctx) : Test(node, ctx.src) {
    const YAML::Node sub = node["sub_test"];
    sub_name_ = sub.Scalar();
    sub_pos_ = ctx.src.pos(sub);
    settings_["sub_test"] = sub_name_;
  }
  json columns_of_keys() const {
    json a = json::array();
    for (const auto& [k, pos] : keys_) a.push_back(k);
    return a;
  }
  std::string describe(std::size_t r) const {
    std::string s;
    for (std::size_t i = 0; i < keys_.size(); ++i)
      s += (i ? ", " : "") + keys_[i].first + " = " + text::format_number(rows_[r][i]);
    return s;
  }
  Overrides overrides(const Overrides& o, std::size_t r) const {
    Overrides out = o;
    for (std::size_t i = 0; i < keys_.size(); ++i) out = out.with(keys_[i].first, rows_[r][i]);
    return out;
  }

  std::vector<std::pair<std::string, SourcePos>> keys_;
  std::unordered_map<std::string, std::string> key_units_;  ///< coherent unit of each swept field
  void add_key(const std::string& key, SourcePos pos, const Model& model) {
    keys_.emplace_back(key, pos);
    for (const auto* list : {&model.parameters(), &model.states()})
      for (const Variable& v : *list)
        if (v.key == key) key_units_[key] = coherent_unit(v);
  }
  std::string swept_unit(const std::string& key) const {
    auto it = key_units_.find(key);
    return it == key_units_.end() ? std::string() : it->second;
  }
  std::vector<std::vector<double>> rows_;  ///< one value per key, per row
  std::string sub_name_;
  SourcePos sub_pos_;
  const Test* sub_ = nullptr;
};

class ParameterSweep final : public Sweep {
 public:
  ParameterSweep(const YAML::Node& node, PlanContext& ctx) : Sweep(node, ctx) {
    Fields f(node, ctx.src, settings_);
    const std::string key = f.string("sweep_param", "");
    check_key(key, node["sweep_param"], ctx);
    add_key(key, ctx.src.pos(node["sweep_param"]), ctx.bench.model());
    const auto values = read_setting_values(ctx.src, node["values"], ctx.bench.model(), key);
    settings_["values"] = values.value_or(std::vector<double>{});
    for (double v : values.value_or(std::vector<double>{})) rows_.push_back({v});
  }
};

class ParameterGrid final : public Sweep {
 public:
  ParameterGrid(const YAML::Node& node, PlanContext& ctx) : Sweep(node, ctx) {
    Fields f(node, ctx.src, settings_);
    const bool pairs = f.string("mode", "full_factorial") == "pairs";
    std::vector<std::vector<double>> values;
    json params = json::object();
    for (auto it = node["params"].begin(); it != node["params"].end(); ++it) {
      const YAML::Node key = it->first, list = it->second;
      check_key(key.Scalar(), key, ctx);
      add_key(key.Scalar(), ctx.src.pos(key), ctx.bench.model());
      values.push_back(
          read_setting_values(ctx.src, list, ctx.bench.model(), key.Scalar()).value_or(std::vector<double>{}));
      params[key.Scalar()] = values.back();
      if (pairs && values.back().size() != values.front().size())
        ctx.src.error(list, "mode `pairs` needs lists of equal length: `" + key.Scalar() + "` has " +
                                std::to_string(values.back().size()) + " values, `" + keys_.front().first + "` has " +
                                std::to_string(values.front().size()));
    }
    settings_["params"] = params;
    if (ctx.src.has_errors()) return;
    if (pairs) {
      for (std::size_t r = 0; r < values.front().size(); ++r) {
        std::vector<double> row;
        for (const auto& v : values) row.push_back(v[r]);
        rows_.push_back(row);
      }
      return;
    }
    double total = 1;
    for (const auto& v : values) total *= static_cast<double>(v.size());
    if (total > 100000) {
      ctx.src.error(node["params"], "the grid has " + text::format_number(total) + " points; at most 100000");
      return;
    }
    // Full factorial, the first key varying fastest.
    std::vector<std::size_t> index(values.size(), 0);
    for (std::size_t n = 0; n < static_cast<std::size_t>(total); ++n) {
      std::vector<double> row;
      for (std::size_t i = 0; i < values.size(); ++i) row.push_back(values[i][index[i]]);
      rows_.push_back(row);
      for (std::size_t i = 0; i < values.size() && ++index[i] == values[i].size(); ++i) index[i] = 0;
    }
  }
};

class DoeSweep final : public Sweep {
 public:
  DoeSweep(const YAML::Node& node, PlanContext& ctx) : Sweep(node, ctx) {
    Fields f(node, ctx.src, settings_);
    design_ = f.string("design", "latin_hypercube");
    const int n = f.integer("n_samples", 16);
    const int levels = f.integer("levels", 3);
    const int center = f.integer("center_points", 1);
    const auto seed = static_cast<std::uint64_t>(f.has("seed") ? f.integer("seed", 0) : static_cast<long>(ctx.seed));
    settings_["seed"] = seed;
    std::vector<double> lo, hi;
    std::vector<bool> log;
    json params = json::object();
    for (auto it = node["params"].begin(); it != node["params"].end(); ++it) {
      const YAML::Node key = it->first, range = it->second;
      check_key(key.Scalar(), key, ctx);
      add_key(key.Scalar(), ctx.src.pos(key), ctx.bench.model());
      lo.push_back(read_setting_value(ctx.src, range["min"], ctx.bench.model(), key.Scalar()).value_or(0.0));
      hi.push_back(read_setting_value(ctx.src, range["max"], ctx.bench.model(), key.Scalar()).value_or(1.0));
      log.push_back(range["scale"].IsDefined() && range["scale"].Scalar() == "log");
      params[key.Scalar()] = {{"min", lo.back()}, {"max", hi.back()}, {"scale", log.back() ? "log" : "linear"}};
      if (!(hi.back() > lo.back()) || !std::isfinite(lo.back()) || !std::isfinite(hi.back()))
        ctx.src.error(range, "`" + key.Scalar() + "`: max must be above min (both finite)");
      else if (log.back() && !(lo.back() > 0))
        ctx.src.error(range, "`" + key.Scalar() + "`: a log scale needs min > 0");
    }
    settings_["params"] = params;
    if (f.has("outputs")) {
      for (const auto& o : f.node("outputs")) outputs_.emplace_back(o.Scalar(), ctx.src.pos(o));
      json list = json::array();
      for (const auto& [name, pos] : outputs_) list.push_back(name);
      settings_["outputs"] = list;
    }
    if (ctx.src.has_errors()) return;
    const int d = static_cast<int>(keys_.size());
    doe::Design unit;
    try {
      if (design_ == "latin_hypercube") unit = doe::latin_hypercube(n, d, seed);
      else if (design_ == "sobol") unit = doe::sobol(n, d, seed);
      else if (design_ == "halton") unit = doe::halton(n, d, seed);
      else if (design_ == "central_composite") unit = doe::central_composite(d, center);
      else if (design_ == "box_behnken") unit = doe::box_behnken(d, center);
      else unit = doe::full_factorial(d, levels);
    } catch (const std::invalid_argument& e) {
      ctx.src.error(node["design"].IsDefined() ? node["design"] : node,
                    std::string("design `") + design_ + "`: " + e.what());
      return;
    }
    if (unit.size() > 100000) {
      ctx.src.error(node, "the design has " + std::to_string(unit.size()) + " points; at most 100000");
      return;
    }
    for (const auto& point : unit) {
      std::vector<double> row;
      for (int i = 0; i < d; ++i) {
        const double u = point[static_cast<std::size_t>(i)];
        row.push_back(log[static_cast<std::size_t>(i)]
                          ? std::pow(10.0, std::log10(lo[static_cast<std::size_t>(i)]) +
                                               u * (std::log10(hi[static_cast<std::size_t>(i)]) -
                                                    std::log10(lo[static_cast<std::size_t>(i)])))
                          : lo[static_cast<std::size_t>(i)] +
                                u * (hi[static_cast<std::size_t>(i)] - lo[static_cast<std::size_t>(i)]));
      }
      rows_.push_back(row);
    }
  }

  void link(const Test* sub, YamlSource& src) override {
    Sweep::link(sub, src);
    const auto names = sub->metric_names();
    if (names.empty())
      src.error(sub_pos_,
                "a doe_sweep tabulates scalar metrics; test `" + sub->name() + "` (a " + sub->type() + ") has none");
    for (const auto& [name, pos] : outputs_)
      if (std::find(names.begin(), names.end(), name) == names.end())
        src.error(pos, "`" + name + "` is not a metric of test `" + sub->name() + "`" +
                           text::did_you_mean(name, names) + "; its metrics: " + text::quoted_list(names));
  }

  json merge(const std::vector<json>& points, const Overrides& o) const override {
    json result = Sweep::merge(points, o);
    // The design table: the swept keys and the chosen outputs (all metrics by default).
    std::vector<std::string> outputs;
    for (const auto& [name, pos] : outputs_) outputs.push_back(name);
    if (outputs.empty()) outputs = sub_->metric_names();
    std::vector<std::string> columns;
    for (const auto& [key, pos] : keys_) columns.push_back(key);
    columns.insert(columns.end(), outputs.begin(), outputs.end());
    Table table(columns, std::vector<std::string>(columns.size()));
    for (std::size_t r = 0; r < rows_.size(); ++r) {
      std::vector<double> row = rows_[r];
      for (const auto& name : outputs) {
        const json& v = result["family"][r]["result"]["metrics"][name];
        row.push_back(v.is_number() ? v.get<double>() : NAN);
      }
      table.add_row(row);
    }
    result["design"] = design_;
    result["outputs"] = outputs;
    result["tables"].erase("metrics");
    result["tables"]["design"] = table.to_json();
    return result;
  }

 private:
  std::string design_;
  std::vector<std::pair<std::string, SourcePos>> outputs_;
};

}  // namespace

const TestMakers& sweep_tests() {
  static const TestMakers makers = {
      {"parameter_sweep", make<ParameterSweep>},
      {"parameter_grid", make<ParameterGrid>},
      {"doe_sweep", make<DoeSweep>},
  };
  return makers;
}

}  // namespace numen::characterize
