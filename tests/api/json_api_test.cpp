#include "numen/json.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>

#include "expr/builtins.h"
#include "support.h"

namespace numen {
namespace {

TEST(JsonApi, ModelInfoDescribesTheLayout) {
  Model m = test::load_model("oscillator");
  const nlohmann::json info = nlohmann::json::parse(model_info_json(m));
  EXPECT_EQ(info["name"], "oscillator");
  EXPECT_EQ(info["states"][0]["key"], "osc.oscillator.x");
  EXPECT_EQ(info["states"][0]["unit"], "m");
  EXPECT_EQ(info["states"][0]["value"], 1.0);
  EXPECT_EQ(info["parameters"][1]["key"], "osc.oscillator.zeta");
  EXPECT_EQ(info["simulate"]["n_save_points"], 501);
  EXPECT_EQ(info["simulate"]["dtmax"], nullptr);  // unlimited
}

TEST(JsonApi, OptionsApplyOnTopOfTheModelsDefaults) {
  SolveOptions base;
  base.n_save_points = 501;
  SolveOptions o = options_from_json(R"({"rtol": 1e-9, "tspan": [0, 2], "dtsave": 0.1})", base);
  EXPECT_EQ(o.rtol, 1e-9);
  EXPECT_EQ(o.t1, 2.0);
  EXPECT_EQ(o.dtsave, 0.1);
  EXPECT_EQ(o.n_save_points, 0);  // a saving option replaces the base's saving rule
  SolveOptions kept = options_from_json(R"({"atol": 1e-9})", base);
  EXPECT_EQ(kept.n_save_points, 501);
}

TEST(JsonApi, BadOptionsNameTheKey) {
  try {
    options_from_json(R"({"rtoll": 1e-9})", SolveOptions{});
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("did you mean `rtol`?"), std::string::npos) << e.what();
  }
  EXPECT_THROW(options_from_json(R"({"rtol": "tight"})", SolveOptions{}), Error);
  EXPECT_THROW(options_from_json(R"({"rtol": )", SolveOptions{}), Error);
  EXPECT_THROW(settings_from_json(R"({"set": {"a": "b"}})"), Error);
}

// The solution CSV of every host (numen run --format csv, the workbench's Export): columns named with their display
// units, values converted to them, each number the shortest text that reads back, written the same way on every
// host (fixed notation down to 1e-4 and for whole numbers, as %g does; the wasm build has no to_chars to fall back
// on). The series are set by hand, so each expected cell is known exactly.
const char* const kCsvModel = R"(model: csv_units
components:
  body:
    states:
      x: { value: 1000, unit: mm }
      v: { value: 0, unit: m/s }
    params:
      k: { value: 1, unit: 1/s^2 }
    outputs:
      speed: { unit: km/h }
systems:
  dynamics:
    slots: [b: body]
    equations:
      - b.speed = b.v
      - der(b.x) += b.v
      - der(b.v) += -b.k * b.x
entities:
  mass: { body: {} }
)";

TEST(JsonApi, SolutionCsvWritesDisplayUnitsAndShortestNumbers) {
  const Model m = Model::compile(kCsvModel, "csv_units.yaml");
  // t: fixed vs exponent choices; x (m, shown in mm); v (m/s as is); speed (m/s, shown in km/h).
  const std::vector<double> t = {0, 0.0005, 100000, 1.0 / 3};
  const std::vector<double> x = {1, 0.0012, 0.5, -2.5};
  const std::vector<double> v = {0.1, 1e-5, -2.5, 1e300};
  const std::vector<double> speed = {10, 0, -5, 1e-300};
  std::vector<double> xs = x;
  xs.insert(xs.end(), v.begin(), v.end());
  EXPECT_EQ(solution_csv(m, t, xs, speed, true),
            "t,mass.body.x [mm],mass.body.v [m/s],mass.body.speed [km/h]\n"
            "0,1000,0.1,36\n"
            "0.0005,1.2,1e-05,0\n"
            "100000,500,-2.5,-18\n"
            "0.3333333333333333,-2500,1e+300,3.6e-300\n");
  EXPECT_EQ(solution_csv(m, t, xs, {}, false),
            "t,mass.body.x [mm],mass.body.v [m/s]\n"
            "0,1000,0.1\n"
            "0.0005,1.2,1e-05\n"
            "100000,500,-2.5\n"
            "0.3333333333333333,-2500,1e+300\n");
}

TEST(JsonApi, SolutionCsvOfASolveEqualsTheCsvOfItsSeries) {
  const Model m = test::load_model("oscillator");
  SolveOptions o = m.simulate();
  o.n_save_points = 11;
  const Solution sol = solve(m, o);
  const std::string csv = solution_csv(m, sol, true);
  EXPECT_EQ(csv, solution_csv(m, sol.t, sol.x, sol.y, true));
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 12);
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "t,osc.oscillator.x [m],osc.oscillator.v [m/s],osc.oscillator.energy [J/kg]");
}

// The streamed CSV (numen run's) is solution_csv's text, across many of its chunks, and says when the stream fails.
TEST(JsonApi, StreamedSolutionCsvIsTheSameText) {
  const Model m = test::load_model("oscillator");
  SolveOptions o = m.simulate();
  o.n_save_points = 20000;  // about 1 MB of text: many 64 kB chunks, the last one partial
  const Solution sol = solve(m, o);
  const std::string csv = solution_csv(m, sol, true);
  ASSERT_GT(csv.size(), 10u << 16);
  std::ostringstream streamed;
  EXPECT_TRUE(write_solution_csv(streamed, m, sol, true));
  EXPECT_EQ(streamed.str(), csv);
  std::ostringstream broken;
  broken.setstate(std::ios::badbit);  // a full disk, a closed pipe
  EXPECT_FALSE(write_solution_csv(broken, m, sol, true));
  std::ostringstream unused;
  EXPECT_THROW(write_solution_csv(unused, m, solve(test::load_model("lorenz"), o), false), Error);
}

// Series from a host that do not fit the model are refused, not read out of bounds.
TEST(JsonApi, SolutionCsvRefusesSeriesOfAnotherLayout) {
  const Model m = Model::compile(kCsvModel, "csv_units.yaml");
  EXPECT_THROW(solution_csv(m, {0, 1}, {1, 2, 3}, {0, 0}, true), Error);  // 3 state values, 2 states x 2 points
  EXPECT_THROW(solution_csv(m, {0, 1}, {1, 2, 3, 4}, {0}, true), Error);  // 1 output value for 2 points
  EXPECT_NO_THROW(solution_csv(m, {0, 1}, {1, 2, 3, 4}, {}, false));      // outputs not written: not needed
  const Model lorenz = test::load_model("lorenz");                        // 3 states: a solution of it does not fit
  SolveOptions o = lorenz.simulate();
  o.n_save_points = 3;
  EXPECT_THROW(solution_csv(m, solve(lorenz, o), false), Error);
  try {
    solution_csv(m, {0}, {1}, {0}, true);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("csv_units"), std::string::npos) << e.what();
  }
}

// The one list of functions (numen functions, the wasm module, the workbench's reference and completion) has every
// builtin the compiler knows, each with a signature whose arguments match what the compiler accepts.
TEST(JsonApi, FunctionsListEveryBuiltinWithItsSignature) {
  const nlohmann::json doc = nlohmann::json::parse(functions_json());
  const auto find = [&](const std::string& signature_start) -> const nlohmann::json* {
    for (const auto& f : doc["functions"])
      if (f["signature"].get<std::string>().rfind(signature_start, 0) == 0) return &f;
    return nullptr;
  };
  const auto check = [](const nlohmann::json& f, const std::string& name, int min_args, int max_args) {
    EXPECT_EQ(f["name"], name);
    const std::string signature = f["signature"];
    EXPECT_EQ(signature.substr(0, name.size() + 1), name + "(") << signature;
    EXPECT_EQ(signature.back(), ')') << signature;
    EXPECT_FALSE(f["description"].get<std::string>().empty()) << name;
    const auto& args = f["args"];
    const bool variadic = !args.empty() && args.back() == "...";
    const int n = static_cast<int>(args.size()) - (variadic ? 1 : 0);
    EXPECT_EQ(n, min_args == max_args ? min_args : std::max(min_args, 2)) << signature;
    EXPECT_EQ(variadic, max_args < 0) << signature;
    for (const auto& a : args) EXPECT_NE(signature.find(a.get<std::string>()), std::string::npos) << signature;
  };
  std::size_t count = 0;
  for (const expr::MathFunction& f : expr::math_functions()) {
    const nlohmann::json* j = find(std::string(f.name) + "(");
    ASSERT_NE(j, nullptr) << f.name;
    EXPECT_EQ((*j)["kind"], "math");
    check(*j, f.name, f.arity, f.arity);
    ++count;
  }
  for (const expr::SpecialFunction& f : expr::special_functions()) {
    const nlohmann::json* j = find(std::string(f.name) + "(");
    ASSERT_NE(j, nullptr) << f.name;
    EXPECT_EQ((*j)["kind"], "language");
    check(*j, f.name, f.min_args, f.max_args);
    ++count;
  }
  for (const expr::LibraryFunction& f : expr::library_functions()) {
    const nlohmann::json* j = find(f.signature);
    ASSERT_NE(j, nullptr) << f.signature;
    EXPECT_EQ((*j)["signature"], f.signature);
    EXPECT_EQ((*j)["kind"], "library");
    const std::string name = std::string(f.signature).substr(0, std::string(f.signature).find('('));
    const int n = static_cast<int>((*j)["args"].size());
    check(*j, name, n, n);
    if (f.units) {
      EXPECT_EQ((*j)["units"].size(), (*j)["args"].size()) << f.signature;
    }
    ++count;
  }
  EXPECT_EQ(doc["functions"].size(), count);  // nothing listed that the compiler does not know
  EXPECT_EQ(find("orifice_mdot(")->at("units")[0], "Pa");
  std::vector<std::string> constants;
  for (const auto& c : doc["constants"]) constants.push_back(c["name"]);
  EXPECT_EQ(constants, (std::vector<std::string>{"pi", "e", "t"}));

  // Every function listed compiles when called with as many arguments as its signature shows.
  for (const auto& f : doc["functions"]) {
    const std::string name = f["name"];
    if (name == "der" || name == "residual" || name == "interp" || name == "sum" || name == "dot" || name == "norm" ||
        f["kind"] == "library")
      continue;  // on the left of an equation, on tables, on vectors; the library is compiled with every model
    std::string call = name + "(";
    const auto& args = f["args"];
    for (std::size_t i = 0; i < args.size(); ++i) call += std::string(i ? ", " : "") + (args[i] == "..." ? "1" : "0.5");
    call += ")";
    const std::string text =
        "model: f\ncomponents: { c: { states: { x: 0 }, outputs: { y: {} } } }\n"
        "systems: { s: { slots: [a: c], equations: [\"der(a.x) += 0\", \"a.y = " +
        call + "\"] } }\nentities: { e: { c: {} } }\n";
    EXPECT_NO_THROW(Model::compile(text, "f.yaml")) << call;
  }
}

}  // namespace
}  // namespace numen
