#include "numen/json.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

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
