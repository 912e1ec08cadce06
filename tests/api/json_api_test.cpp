#include "numen/json.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

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

}  // namespace
}  // namespace numen
