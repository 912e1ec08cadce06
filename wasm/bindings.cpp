// Embind bindings: one line per public function, no logic. Errors thrown by the core become JS Errors with the
// core's message and a `diagnostics` array ({file, line, column, severity, message}).
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include "numen/numen.h"

using emscripten::val;

namespace {

val js_error(const std::string& message, const std::string& diagnostics_json) {
  val error = val::global("Error").new_(message);
  error.set("diagnostics", val::global("JSON").call<val>("parse", diagnostics_json));
  return error;
}

// Runs f; a numen::Error (or any exception) leaves as a JS Error. The JS error is thrown after the C++ handler has
// finished, so no C++ exception is left half-handled.
template <class F>
auto guarded(F&& f) -> decltype(f()) {
  val error = val::undefined();
  try {
    return f();
  } catch (const numen::Error& e) {
    error = js_error(e.what(), numen::diagnostics_json(e.diagnostics()));
  } catch (const std::exception& e) {
    error = js_error(std::string("internal error: ") + e.what(), "[]");
  }
  error.throw_();
}

val float64_array(const std::vector<double>& v) {
  val array = val::global("Float64Array").new_(v.size());
  array.call<void>("set", val(emscripten::typed_memory_view(v.size(), v.data())));
  return array;
}

numen::Model compile_model(const std::string& text, const std::string& file) {
  return guarded([&] { return numen::Model::compile(text, file); });
}
numen::PlanFileLoader js_files(const val& files);
// The same, with the model's library files from a JS object {path: text} (as plans read theirs).
numen::Model compile_model_files(const std::string& text, const std::string& file, const val& files) {
  return guarded([&] { return numen::Model::compile(text, file, js_files(files)); });
}
std::string model_info(const numen::Model& m) {
  return guarded([&] { return numen::model_info_json(m); });
}
numen::Solution solve_model(const numen::Model& m, const std::string& options, const std::string& settings) {
  return guarded([&] {
    return numen::solve(m, numen::options_from_json(options, m.simulate()), numen::settings_from_json(settings));
  });
}
// The same, reporting progress: on_progress(t) is called about 200 times over the time span (a worker forwards it to
// the page; cancelling is done by terminating the worker).
numen::Solution solve_with_progress(const numen::Model& m, const std::string& options, const std::string& settings,
                                    const val& on_progress) {
  return guarded([&] {
    const numen::SolveOptions o = numen::options_from_json(options, m.simulate());
    numen::SolveControl control;
    control.report_interval = (o.t1 - o.t0) / 200.0;
    control.on_progress = [&on_progress, &o](double t) {
      on_progress((t - o.t0) / (o.t1 - o.t0));
      return true;
    };
    return numen::solve(m, o, numen::settings_from_json(settings), control);
  });
}
val solution_t(const numen::Solution& s) { return float64_array(s.t); }
val solution_x(const numen::Solution& s) { return float64_array(s.x); }
val solution_y(const numen::Solution& s) { return float64_array(s.y); }
std::string solution_info(const numen::Solution& s) { return numen::solution_info_json(s); }
// A solution the page kept as its series (Float64Arrays t, x, y, as solution_t/x/y gave them) written as CSV.
std::string solution_csv(const numen::Model& m, const val& t, const val& x, const val& y, bool with_outputs) {
  return guarded([&] {
    return numen::solution_csv(m, emscripten::convertJSArrayToNumberVector<double>(t),
                               emscripten::convertJSArrayToNumberVector<double>(x),
                               emscripten::convertJSArrayToNumberVector<double>(y), with_outputs);
  });
}
std::string version() { return NUMEN_VERSION; }

// Plans read their model and data files from a JS object {path: text} (numen::in_memory_files says how).
numen::PlanFileLoader js_files(const val& files) {
  std::vector<std::pair<std::string, std::string>> entries;
  const val keys = val::global("Object").call<val>("keys", files);
  for (unsigned i = 0; i < keys["length"].as<unsigned>(); ++i) {
    const std::string key = keys[i].as<std::string>();
    entries.emplace_back(key, files[key].as<std::string>());
  }
  return numen::in_memory_files(std::move(entries));
}
numen::Plan compile_plan(const std::string& text, const std::string& file, const val& files, double seed) {
  return guarded([&] {
    return numen::Plan::compile(
        text, file, js_files(files),
        seed >= 0 ? std::optional<std::uint64_t>(static_cast<std::uint64_t>(seed)) : std::nullopt);
  });
}
std::string check_plan(const std::string& text, const std::string& file, const val& files) {
  return numen::diagnostics_json(numen::check_plan(text, file, js_files(files)));
}
std::string check_model(const std::string& text, const std::string& file) {
  return numen::diagnostics_json(numen::check_model(text, file));
}
std::string check_model_files(const std::string& text, const std::string& file, const val& files) {
  return numen::diagnostics_json(numen::check_model(text, file, js_files(files)));
}
val standard_libraries() {
  val out = val::object();
  for (const auto& [name, text] : numen::standard_libraries()) out.set(name, text);
  return out;
}
std::string plan_model_info(const numen::Plan& p) { return numen::model_info_json(p.model()); }
std::string plan_point_label(const numen::Plan& p, int i) {
  return guarded([&] { return p.point_label(i); });
}
int plan_point_test(const numen::Plan& p, int i) {
  return guarded([&] { return p.point_test(i); });
}
std::string plan_run_point(const numen::Plan& p, int i) {
  return guarded([&] { return p.run_point(i); });
}
val plan_test_names(const numen::Plan& p) { return val::array(p.test_names()); }
std::string plan_merge(const numen::Plan& p, const val& points) {
  return guarded([&] { return p.merge(emscripten::vecFromJSArray<std::string>(points)); });
}
val results_csv(const std::string& results) {
  return guarded([&] {
    val out = val::array();
    for (const auto& [name, text] : numen::results_csv(results)) {
      val entry = val::object();
      entry.set("name", name);
      entry.set("text", text);
      out.call<void>("push", entry);
    }
    return out;
  });
}
std::string plan_schema() { return numen::plan_schema_json(); }
std::string model_schema() { return numen::model_schema_json(); }

}  // namespace

EMSCRIPTEN_BINDINGS(numen) {
  emscripten::class_<numen::Model>("Model").function("info", &model_info);
  emscripten::class_<numen::Solution>("Solution")
      .function("t", &solution_t)
      .function("x", &solution_x)
      .function("y", &solution_y)
      .function("info", &solution_info);
  emscripten::class_<numen::Plan>("Plan")
      .function("modelInfo", &plan_model_info)
      .function("pointCount", &numen::Plan::point_count)
      .function("pointLabel", &plan_point_label)
      .function("pointTest", &plan_point_test)
      .function("testNames", &plan_test_names)
      .function("workers", &numen::Plan::workers)
      .function("runPoint", &plan_run_point)
      .function("merge", &plan_merge);
  emscripten::function("compileModel", &compile_model);
  emscripten::function("compileModel", &compile_model_files);
  emscripten::function("checkModel", &check_model);
  emscripten::function("checkModel", &check_model_files);
  emscripten::function("standardLibraries", &standard_libraries);
  emscripten::function("compilePlan", &compile_plan);
  emscripten::function("checkPlan", &check_plan);
  emscripten::function("resultsCsv", &results_csv);
  emscripten::function("planSchema", &plan_schema);
  emscripten::function("modelSchema", &model_schema);
  emscripten::function("unitsJson", &numen::units_json);
  emscripten::function("functionsJson", &numen::functions_json);
  emscripten::function("solve", &solve_model);
  emscripten::function("solveWithProgress", &solve_with_progress);
  emscripten::function("solutionCsv", &solution_csv);
  emscripten::function("methods", &numen::methods_json);
  emscripten::function("version", &version);
  emscripten::function("setTapeCompilation", &numen::set_tape_compilation);
}
