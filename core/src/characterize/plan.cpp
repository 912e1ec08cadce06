// Plan files: read and check (schema first, then the model, paths and references), split into points, merge.
#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>

#include "characterize/plan_impl.h"
#include "characterize/test.h"
#include "characterize/test_bench.h"
#include "common/json_schema.h"
#include "common/text.h"
#include "common/yaml_source.h"
#include "numen/characterize.h"
#include "numen/methods.h"
#include "numen/version.h"

namespace numen {

namespace characterize {

namespace {

/// Which plot panels can show which tests (a sweep shows as its innermost sub-test's type, overlaid).
const std::map<std::string, std::vector<std::string>>& panel_tests() {
  static const std::map<std::string, std::vector<std::string>> table = {
      {"bode", {"discrete_frequency_sweep", "continuous_chirp", "linearized_frf", "stochastic_excitation"}},
      {"nyquist", {"discrete_frequency_sweep", "continuous_chirp", "linearized_frf", "stochastic_excitation"}},
      {"chirp_timeseries", {"continuous_chirp"}},
      {"amplitude_sweep", {"amplitude_sweep"}},
      {"dc_sweep", {"dc_operating_point_sweep"}},
      {"parameter_family", {"parameter_sweep", "parameter_grid"}},
      {"doe_scatter", {"doe_sweep"}},
      {"parameter_grid_heatmap", {"parameter_grid"}},
      {"two_tone_spectrum", {"two_tone"}},
      {"thd_spectrum", {"harmonic_distortion_sweep"}},
      {"backbone_curve", {"free_decay"}},
      {"phase_portrait", {"phase_portrait"}},
      {"stochastic_response", {"stochastic_excitation"}},
  };
  return table;
}

/// The panel a test gets when the plan lists no plots.
std::string default_panel(const std::string& type) {
  static const std::map<std::string, std::string> table = {{"discrete_frequency_sweep", "bode"},
                                                           {"continuous_chirp", "bode"},
                                                           {"amplitude_sweep", "amplitude_sweep"},
                                                           {"dc_operating_point_sweep", "dc_sweep"},
                                                           {"parameter_sweep", "parameter_family"},
                                                           {"parameter_grid", "parameter_family"},
                                                           {"doe_sweep", "doe_scatter"},
                                                           {"two_tone", "two_tone_spectrum"},
                                                           {"harmonic_distortion_sweep", "thd_spectrum"},
                                                           {"free_decay", "backbone_curve"},
                                                           {"phase_portrait", "phase_portrait"},
                                                           {"stochastic_excitation", "stochastic_response"},
                                                           {"linearized_frf", "bode"}};
  return table.at(type);
}

class PlanReader {
 public:
  PlanReader(std::string_view text, std::string_view file, const PlanFileLoader& load,
             std::optional<std::uint64_t> seed, std::vector<Diagnostic>& diagnostics)
      : src_(std::string(text), std::string(file), diagnostics), load_(load), seed_override_(seed) {}

  std::shared_ptr<PlanImpl> read() {
    const YAML::Node root = src_.load();
    if (src_.has_errors()) return nullptr;
    if (!root.IsMap()) {
      // An empty (or comment-only) document has no place of its own: it starts at the top.
      const SourcePos at = src_.pos(root).line > 0 ? src_.pos(root) : SourcePos{1, 1};
      src_.error(at, root.IsDefined() && !root.IsNull()
                         ? "a plan file is a map with `model`, `excitation` and `tests`"
                         : "the plan is empty; start with `model: { file: MODEL.yaml }`, `excitation:` and `tests:`");
      return nullptr;
    }
    if (!plan_schema().validate(root, src_)) return nullptr;
    auto impl = std::make_shared<PlanImpl>();
    impl->plan_file = src_.file();
    json& resolved = impl->resolved;
    resolved["version"] = 1;
    if (root["description"].IsDefined()) resolved["description"] = root["description"].Scalar();

    std::optional<Model> model = read_model(root["model"], resolved["model"]);
    if (!model) return nullptr;
    Excitation excitation = read_excitation(root["excitation"], *model, resolved["excitation"]);
    SolveOptions options = read_solver(root["solver"], *model, resolved["solver"], impl->workers);
    if (src_.has_errors()) return nullptr;
    std::uint64_t seed =
        root["seed"].IsDefined() ? static_cast<std::uint64_t>(src_.integer(root["seed"], "seed").value_or(0)) : 0;
    if (seed_override_) seed = *seed_override_;
    resolved["seed"] = seed;
    impl->seed = seed;
    impl->bench = std::make_unique<TestBench>(std::move(*model), std::move(excitation), options, set_);

    PlanContext ctx{src_, *impl->bench, seed, load_, n_save_points_, dtsave_};
    std::map<std::string, Test*> by_name;
    resolved["tests"] = json::array();
    for (const YAML::Node& node : root["tests"]) {
      std::unique_ptr<Test> test = make_test(node, ctx);
      if (!test) continue;
      if (by_name.count(test->name()))
        src_.error(node["name"], "a test named `" + test->name() + "` exists already; test names must be unique");
      by_name[test->name()] = test.get();
      resolved["tests"].push_back(test->settings());
      impl->tests.push_back(std::move(test));
    }
    link(impl->tests, by_name);
    if (src_.has_errors()) return nullptr;

    for (const auto& test : impl->tests)
      if (test->enabled()) impl->enabled.push_back(test.get());
    if (impl->enabled.empty()) src_.error(src_.pos(root["tests"]), "every test is disabled: nothing to run");
    int offset = 0;
    for (const Test* t : impl->enabled) {
      impl->offsets.push_back(offset);
      offset += t->point_count();
    }
    impl->offsets.push_back(offset);
    if (offset > 1000000)
      src_.error(src_.pos(root["tests"]), "the plan has " + std::to_string(offset) + " points; at most 1,000,000");

    resolved["plots"] = read_plots(root["plots"], by_name, impl->enabled);
    if (root["output"].IsDefined()) impl->output = root["output"].Scalar();
    resolved["output"] = impl->output;
    if (src_.has_errors()) return nullptr;
    return impl;
  }

 private:
  std::optional<Model> read_model(const YAML::Node& node, json& out) {
    const YAML::Node file = node["file"];
    out["file"] = file.Scalar();
    std::string text;
    try {
      text = load_(file.Scalar());
    } catch (const std::exception& e) {
      src_.error(file, "cannot read the model `" + file.Scalar() + "`: " + e.what());
      return std::nullopt;
    }
    std::optional<Model> model;
    try {
      // The model's libraries come through the plan's loader, by their path relative to the plan.
      const FileLoader libraries = [this](const std::string& path) {
        return load_(text::relative_path(text::sibling_path(src_.file(), "."), path));
      };
      model = Model::compile(text, text::sibling_path(src_.file(), file.Scalar()), libraries);
    } catch (const Error& e) {
      for (const Diagnostic& d : e.diagnostics()) src_.diagnostics().push_back(d);
      src_.error(file, "the model `" + file.Scalar() + "` has errors (listed with its own positions)");
      return std::nullopt;
    }
    out["set"] = json::object();
    if (node["set"].IsDefined()) {
      std::vector<std::string> keys;
      for (const Variable& v : model->parameters()) keys.push_back(v.key);
      for (const Variable& v : model->states()) keys.push_back(v.key);
      for (auto it = node["set"].begin(); it != node["set"].end(); ++it) {
        const YAML::Node key = it->first, value = it->second;
        const std::string k = key.Scalar();
        if (!model->find_parameter(k) && !model->find_state(k)) {
          src_.error(key, "`" + k + "` is not a parameter or initial value of model `" + model->name() + "`" +
                              text::did_you_mean(k, keys) + "; valid keys: " + text::quoted_list(keys, 40));
          continue;
        }
        if (const auto v = read_setting_value(src_, value, *model, k)) {
          set_.emplace_back(k, *v);
          out["set"][k] = *v;
        }
      }
    }
    return model;
  }

  Excitation read_excitation(const YAML::Node& node, const Model& model, json& out) {
    Excitation ex;
    const std::string entity = node["entity"].Scalar(), component = node["component"].Scalar(),
                      port = node["port"].Scalar();
    out = {{"entity", entity}, {"component", component}, {"port", port}};
    ex.port_key = entity + "." + component + "." + port;
    if (auto i = model.find_input(ex.port_key)) {
      ex.port = *i;
    } else {
      std::vector<std::string> ports;
      for (const Variable& v : model.inputs()) ports.push_back(v.key);
      src_.error(node["port"],
                 "`" + ex.port_key + "` is not an excitation port of model `" + model.name() + "`" +
                     text::did_you_mean(ex.port_key, ports) +
                     (ports.empty() ? "; the model declares no ports (add one under a component's `ports`)"
                                    : "; its ports: " + text::quoted_list(ports)));
    }
    const std::string output = node["output"].Scalar();
    out["output"] = output;
    if (auto i = model.find_state(output)) ex.output = Probe{Probe::Kind::State, *i, output};
    else if (auto j = model.find_output(output)) ex.output = Probe{Probe::Kind::Output, *j, output};
    else {
      std::vector<std::string> keys;
      for (const Variable& v : model.states()) keys.push_back(v.key);
      for (const Variable& v : model.outputs()) keys.push_back(v.key);
      src_.error(node["output"], "`" + output + "` is not a state or output of model `" + model.name() + "`" +
                                     text::did_you_mean(output, keys) + "; measurable: " + text::quoted_list(keys, 40));
    }
    if (node["scale_by"].IsDefined()) {
      const std::string key = node["scale_by"].Scalar();
      out["scale_by"] = key;
      ex.scale_key = key;
      if (auto i = model.find_parameter(key)) ex.scale_parameter = *i;
      else {
        std::vector<std::string> keys;
        for (const Variable& v : model.parameters()) keys.push_back(v.key);
        src_.error(node["scale_by"], "`" + key + "` is not a parameter of model `" + model.name() + "`" +
                                         text::did_you_mean(key, keys) +
                                         "; parameters: " + text::quoted_list(keys, 40));
      }
    }
    auto number = [&](const char* key, std::optional<double>& into) {
      if (!node[key].IsDefined()) return;
      into = src_.number(node[key], key);
      if (into && !std::isfinite(*into)) src_.error(node[key], std::string("`") + key + "` must be finite");
      if (into) out[key] = *into;
    };
    number("amplitude", ex.amplitude);
    number("frequency", ex.frequency);
    number("dc_offset", ex.dc_offset);
    // The state the port drives: the one row of df/du that is not zero (used by free_decay and phase portraits).
    if (!model.inputs().empty() && ex.port < static_cast<int>(model.inputs().size())) {
      const std::size_t n = model.states().size();
      std::vector<double> dfdu(n * model.inputs().size());
      const auto x = model.initial_state();
      const auto p = model.parameter_values();
      model.input_jacobian(0.0, x.data(), p.data(), dfdu.data());
      int found = 0;
      for (std::size_t i = 0; i < n; ++i)
        if (dfdu[static_cast<std::size_t>(ex.port) * n + i] != 0.0) {
          ex.target_state = static_cast<int>(i);
          ++found;
        }
      if (found != 1) ex.target_state = -1;
    }
    return ex;
  }

  SolveOptions read_solver(const YAML::Node& node, const Model& model, json& out, int& workers) {
    SolveOptions o = model.simulate();
    n_save_points_ = 2000;
    if (node.IsDefined()) {
      if (node["method"].IsDefined()) {
        o.method = node["method"].Scalar();
        const MethodInfo* m = find_method(o.method);
        if (!m) src_.error(node["method"], "unknown method `" + o.method + "`; methods: " + method_names());
        else if (!m->adaptive)
          src_.error(node["method"], "`" + m->name +
                                         "` is a fixed-step method; characterization needs an adaptive one "
                                         "(the step follows the test signal)");
        else if (model.features().algebraic && !m->mass_matrix)
          src_.error(node["method"],
                     "`" + m->name + "` cannot solve a model with algebraic variables; use Rodas5P, BDF or Auto");
      }
      if (node["rtol"].IsDefined()) o.rtol = src_.number(node["rtol"], "rtol").value_or(o.rtol);
      if (node["atol"].IsDefined()) o.atol = {src_.number(node["atol"], "atol").value_or(1e-8)};
      if (node["dtmax"].IsDefined()) o.dtmax = src_.number(node["dtmax"], "dtmax").value_or(o.dtmax);
      if (node["max_steps"].IsDefined())
        o.max_steps = src_.integer(node["max_steps"], "max_steps").value_or(o.max_steps);
      if (node["n_save_points"].IsDefined())
        n_save_points_ = static_cast<int>(src_.integer(node["n_save_points"], "n_save_points").value_or(2000));
      if (node["dtsave"].IsDefined()) dtsave_ = src_.number(node["dtsave"], "dtsave").value_or(0.0);
      if (node["n_save_points"].IsDefined() && node["dtsave"].IsDefined())
        src_.error(node["dtsave"], "give n_save_points or dtsave, not both");
      if (node["workers"].IsDefined()) workers = static_cast<int>(src_.integer(node["workers"], "workers").value_or(0));
    }
    out = {{"method", o.method},
           {"rtol", o.rtol},
           {"atol", o.atol.size() == 1 ? json(o.atol[0]) : json(o.atol)},
           {"max_steps", o.max_steps}};
    if (std::isfinite(o.dtmax)) out["dtmax"] = o.dtmax;
    if (dtsave_ > 0) out["dtsave"] = dtsave_;
    else out["n_save_points"] = n_save_points_;
    if (workers > 0) out["workers"] = workers;
    return o;
  }

  /// Resolves sub_test references (which must exist and not form a cycle) innermost first.
  void link(const std::vector<std::unique_ptr<Test>>& tests, const std::map<std::string, Test*>& by_name) {
    std::set<const Test*> linked, visiting;
    std::function<bool(Test*)> visit = [&](Test* t) {
      if (linked.count(t)) return true;
      const std::string* sub_name = t->sub_test_name();
      if (!sub_name) {
        linked.insert(t);
        return true;
      }
      if (visiting.count(t)) {
        src_.error(t->sub_test_pos(), "test `" + t->name() + "` is its own sub-test through a cycle of sweeps");
        return false;
      }
      auto it = by_name.find(*sub_name);
      if (it == by_name.end()) {
        std::vector<std::string> names;
        for (const auto& [name, test] : by_name)
          if (name != t->name()) names.push_back(name);
        src_.error(t->sub_test_pos(), "no test named `" + *sub_name + "`" + text::did_you_mean(*sub_name, names) +
                                          "; tests: " + text::quoted_list(names));
        return false;
      }
      if (it->second == t) {
        src_.error(t->sub_test_pos(), "test `" + t->name() + "` cannot be its own sub-test");
        return false;
      }
      visiting.insert(t);
      const bool ok = visit(it->second);
      visiting.erase(t);
      if (!ok) return false;
      t->link(it->second, src_);
      linked.insert(t);
      return true;
    };
    for (const auto& t : tests) visit(t.get());
  }

  json read_plots(const YAML::Node& node, const std::map<std::string, Test*>& by_name,
                  const std::vector<const Test*>& enabled) {
    json plots = json::array();
    if (!node.IsDefined() || node.IsNull()) {
      for (const Test* t : enabled)
        plots.push_back({{"type", default_panel(t->type())}, {"tests", {t->name()}}, {"title", t->name()}});
      return plots;
    }
    auto innermost = [&](const Test* t) {
      while (t->sub_test_name()) t = by_name.at(*t->sub_test_name());
      return t->type();
    };
    for (const YAML::Node& p : node) {
      const std::string type = p["type"].Scalar();
      json out = {{"type", type}, {"tests", json::array()}};
      const auto& allowed = panel_tests().at(type);
      for (const YAML::Node& name : p["tests"]) {
        const std::string n = name.Scalar();
        auto it = by_name.find(n);
        if (it == by_name.end()) {
          std::vector<std::string> names;
          for (const auto& [k, v] : by_name) names.push_back(k);
          src_.error(name, "no test named `" + n + "`" + text::did_you_mean(n, names) +
                               "; tests: " + text::quoted_list(names));
          continue;
        }
        const Test* t = it->second;
        const bool direct = std::find(allowed.begin(), allowed.end(), t->type()) != allowed.end();
        const bool family =
            t->sub_test_name() && std::find(allowed.begin(), allowed.end(), innermost(t)) != allowed.end();
        if (!direct && !family)
          src_.error(name, "a `" + type + "` panel cannot show test `" + n + "` (a " + t->type() + "); it shows " +
                               text::quoted_list(allowed));
        else if (!t->enabled())
          src_.error(name, "test `" + n + "` is disabled, so it has no results to plot; enable it or drop it here");
        out["tests"].push_back(n);
      }
      for (const char* key : {"title", "color_by", "metric"})
        if (p[key].IsDefined()) out[key] = p[key].Scalar();
      for (const char* key : {"db", "phase", "log_x"})
        if (p[key].IsDefined()) out[key] = src_.boolean(p[key], key).value_or(false);
      plots.push_back(std::move(out));
    }
    return plots;
  }

  YamlSource src_;
  const PlanFileLoader& load_;
  std::optional<std::uint64_t> seed_override_;
  std::vector<std::pair<std::string, double>> set_;
  int n_save_points_ = 2000;
  double dtsave_ = 0.0;
};

std::string csv_number(const json& v) {
  if (v.is_number()) return text::format_number(v.get<double>());
  return "";
}

std::string csv_field(std::string s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

/// Appends a table's rows to `lines` with the given leading key values; writes the header when `lines` is empty.
void append_rows(const json& table, const std::vector<std::pair<std::string, double>>& keys,
                 std::vector<std::string>& lines) {
  if (lines.empty()) {
    std::string header;
    for (const auto& [k, v] : keys) header += csv_field(k) + ",";
    bool first = true;
    for (const auto& c : table["columns"]) {
      header += (first ? "" : ",") + csv_field(c.get<std::string>());
      first = false;
    }
    lines.push_back(header);
  }
  const json& data = table["data"];
  const std::size_t rows = data.empty() ? 0 : data[0].size();
  for (std::size_t r = 0; r < rows; ++r) {
    std::string line;
    for (const auto& [k, v] : keys) line += text::format_number(v) + ",";
    for (std::size_t c = 0; c < data.size(); ++c) line += (c ? "," : "") + csv_number(data[c][r]);
    lines.push_back(line);
  }
}

/// Collects every table of a test result into named CSV bodies: its own tables, then its family's, flattened.
void collect_tables(const json& result, const std::string& stem,
                    const std::vector<std::pair<std::string, double>>& keys,
                    std::map<std::string, std::vector<std::string>>& files, std::vector<std::string>& order, bool top) {
  if (result.contains("tables")) {
    bool first = true;
    for (const auto& [name, table] : result["tables"].items()) {
      const std::string file = top && first ? stem + ".csv" : stem + "_" + name + ".csv";
      first = false;
      if (!files.count(file)) order.push_back(file);
      append_rows(table, keys, files[file]);
    }
  }
  if (result.contains("family"))
    for (const json& member : result["family"]) {
      auto inner = keys;
      for (const auto& [k, v] : member["values"].items()) inner.emplace_back(k, v.get<double>());
      collect_tables(member["result"], stem, inner, files, order, false);
    }
}

}  // namespace

}  // namespace characterize

PlanFileLoader in_memory_files(std::vector<std::pair<std::string, std::string>> files) {
  return [files = std::move(files)](const std::string& path) {
    const std::string name = path.substr(path.find_last_of('/') + 1);
    for (const auto& [key, text] : files)
      if (key == path) return text;
    for (const auto& [key, text] : files)
      if (key == name) return text;
    throw std::runtime_error("the workbench has no file `" + name + "`");
  };
}

Plan::Plan(std::shared_ptr<const characterize::PlanImpl> impl) : impl_(std::move(impl)) {}

Plan Plan::compile(std::string_view text, std::string_view file_name, const PlanFileLoader& load,
                   std::optional<std::uint64_t> seed) {
  std::vector<Diagnostic> diagnostics;
  // Every file the plan reads is kept with it, so that a part of its results carries all it was computed from.
  std::vector<std::pair<std::string, std::string>> files;
  const PlanFileLoader recording = [&load, &files](const std::string& path) {
    std::string content = load(path);
    const bool known = std::any_of(files.begin(), files.end(), [&path](const auto& f) { return f.first == path; });
    if (!known) files.emplace_back(path, content);
    return content;
  };
  characterize::PlanReader reader(text, file_name, recording, seed, diagnostics);
  std::shared_ptr<characterize::PlanImpl> impl = reader.read();
  if (impl) {
    impl->text = std::string(text);
    impl->files = std::move(files);
  }
  std::vector<Diagnostic> errors;
  for (const Diagnostic& d : diagnostics)
    if (d.severity == Diagnostic::Severity::Error) errors.push_back(d);
  if (!impl || !errors.empty()) {
    if (errors.empty())
      errors.push_back(
          Diagnostic{Diagnostic::Severity::Error, std::string(file_name), {}, "the plan could not be read", {}});
    throw Error(std::move(errors));
  }
  return Plan(std::move(impl));
}

const Model& Plan::model() const { return impl_->bench->model(); }
int Plan::point_count() const { return impl_->offsets.back(); }
int Plan::workers() const { return impl_->workers; }
const std::string& Plan::output() const { return impl_->output; }

int Plan::point_test(int i) const {
  if (i < 0 || i >= point_count())
    throw std::out_of_range("point " + std::to_string(i) + " of " + std::to_string(point_count()));
  return static_cast<int>(std::upper_bound(impl_->offsets.begin(), impl_->offsets.end(), i) - impl_->offsets.begin()) -
         1;
}

std::vector<std::string> Plan::test_names() const {
  std::vector<std::string> names;
  for (const auto* t : impl_->enabled) names.push_back(t->name());
  return names;
}

std::string Plan::point_label(int i) const {
  const int t = point_test(i);
  return impl_->enabled[static_cast<std::size_t>(t)]->point_label(i - impl_->offsets[static_cast<std::size_t>(t)]);
}

std::string Plan::run_point(int i) const {
  const int t = point_test(i);
  json p;
  try {
    p = impl_->enabled[static_cast<std::size_t>(t)]->run_point(i - impl_->offsets[static_cast<std::size_t>(t)], {});
  } catch (const std::exception& e) {
    // A model that throws part-way (bad values reached by a sweep) fails this point only.
    p = json{{"error", e.what()}};
  }
  return p.dump();
}

std::string Plan::merge(const std::vector<std::string>& point_results) const {
  if (static_cast<int>(point_results.size()) != point_count())
    throw std::invalid_argument("merge needs " + std::to_string(point_count()) + " point results, got " +
                                std::to_string(point_results.size()));
  PlanMerger merger(*this);
  for (int i = 0; i < point_count(); ++i) merger.add(i, point_results[static_cast<std::size_t>(i)]);
  return merger.finish();
}

namespace characterize {

json results_header(const PlanImpl& impl) {
  json doc;
  doc["numen"] = NUMEN_VERSION;
  doc["plan_file"] = impl.plan_file;
  doc["plan"] = impl.resolved;
  const Model& m = impl.bench->model();
  doc["model"] = {{"name", m.name()}, {"file", m.file_name()}, {"hash", "fnv1a64:" + m.content_hash()}};
  doc["solver"] = impl.resolved["solver"];
  doc["seed"] = impl.resolved["seed"];
  return doc;
}

json merge_test(const PlanImpl& impl, std::size_t t, const std::vector<std::string>& point_results) {
  const Test& test = *impl.enabled[t];
  std::vector<json> points;
  points.reserve(point_results.size());
  for (const std::string& text : point_results) {
    json p = json::parse(text, nullptr, false);
    if (p.is_discarded()) p = json{{"error", "the point's result is not valid JSON"}};
    points.push_back(std::move(p));
  }
  json result = test.merge(points, {});
  json entry = {{"name", test.name()}, {"type", test.type()}, {"settings", test.settings()}};
  entry.update(result);
  return entry;
}

}  // namespace characterize

std::vector<Diagnostic> check_plan(std::string_view text, std::string_view file_name, const PlanFileLoader& load) {
  try {
    std::vector<Diagnostic> diagnostics;
    characterize::PlanReader reader(text, file_name, load, std::nullopt, diagnostics);
    reader.read();
    std::stable_sort(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& a, const Diagnostic& b) {
      return a.severity == Diagnostic::Severity::Error && b.severity != Diagnostic::Severity::Error;
    });
    return diagnostics;
  } catch (const std::exception& e) {
    return {Diagnostic{
        Diagnostic::Severity::Error, std::string(file_name), {}, std::string("internal error: ") + e.what(), {}}};
  }
}

std::vector<std::pair<std::string, std::string>> results_csv(std::string_view results_json) {
  const json doc = json::parse(results_json);
  std::vector<std::pair<std::string, std::string>> out;
  for (const json& test : doc["tests"]) {
    std::map<std::string, std::vector<std::string>> files;
    std::vector<std::string> order;
    characterize::collect_tables(test, test["name"].get<std::string>(), {}, files, order, true);
    for (const auto& name : order) {
      std::string body;
      for (const auto& line : files[name]) body += line + "\n";
      out.emplace_back(name, body);
    }
  }
  return out;
}

const char* plan_schema_json() { return plan_schema_text(); }

}  // namespace numen
