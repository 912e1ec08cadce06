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
std::string model_info(const numen::Model& m) { return guarded([&] { return numen::model_info_json(m); }); }
numen::Solution solve_model(const numen::Model& m, const std::string& options, const std::string& settings) {
  return guarded([&] {
    return numen::solve(m, numen::options_from_json(options, m.simulate()), numen::settings_from_json(settings));
  });
}
val solution_t(const numen::Solution& s) { return float64_array(s.t); }
val solution_x(const numen::Solution& s) { return float64_array(s.x); }
val solution_y(const numen::Solution& s) { return float64_array(s.y); }
std::string solution_info(const numen::Solution& s) { return numen::solution_info_json(s); }
std::string version() { return NUMEN_VERSION; }

}  // namespace

EMSCRIPTEN_BINDINGS(numen) {
  emscripten::class_<numen::Model>("Model").function("info", &model_info);
  emscripten::class_<numen::Solution>("Solution")
      .function("t", &solution_t)
      .function("x", &solution_x)
      .function("y", &solution_y)
      .function("info", &solution_info);
  emscripten::function("compileModel", &compile_model);
  emscripten::function("solve", &solve_model);
  emscripten::function("methods", &numen::methods_json);
  emscripten::function("version", &version);
}
