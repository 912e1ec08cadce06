// Units through the whole path: values converted into the coherent system, shown back in their declared unit, and
// equations checked by dimension (core/src/compile/dimensions.cpp). The bad-model catalogue holds one file per
// kind of unit mistake, with its message and place; these are the rules that take a solve to see.
#include <gtest/gtest.h>

#include <cmath>

#include "numen/numen.h"

namespace numen {
namespace {

std::string moving_body(const std::string& v, const std::string& extra = "") {
  return "model: body\n" + extra +
         "components:\n"
         "  body: { states: { x: 0 m, v: " +
         v +
         " }, params: { w: \"36 km/h\", g: 9.81 m/s^2 } }\n"
         "systems:\n"
         "  s: { slots: [b: body], equations: [\"der(b.x) += b.v\"] }\n"
         "entities: { a: { body: {} } }\n"
         "world: { s: auto }\n"
         "simulate: { tspan: [0, 1], method: Tsit5, rtol: 1e-10, atol: 1e-12, n_save_points: 2 }\n";
}

TEST(UnitsInModels, AVelocityInKilometresPerSecondIntegratesInMetres) {
  const Model m = Model::compile(moving_body("\"2 km/s\""), "body.yaml");
  const Variable& v = m.states()[1];
  EXPECT_EQ(v.unit, "km/s");
  EXPECT_DOUBLE_EQ(v.value, 2000.0);           // the solver's coherent value, m/s
  EXPECT_DOUBLE_EQ(v.to_display(v.value), 2);  // what people read, km/s
  const Solution s = solve(m, m.simulate());
  ASSERT_TRUE(s.ok()) << s.message;
  EXPECT_NEAR(s.state(0, s.size() - 1), 2000.0, 1e-6);  // x in m after 1 s
  // 36 km/h given to a field in m/s is 10 m/s.
  const Model w = Model::compile(
      "model: w\ncomponents:\n  c: { params: { w: { value: \"36 km/h\", unit: m/s } } }\nentities: { a: { c: {} } }\n",
      "w.yaml");
  EXPECT_DOUBLE_EQ(w.parameters()[0].value, 10.0);
  EXPECT_DOUBLE_EQ(read_setting(w, "a.c.w", "72 km/h"), 20.0);
  EXPECT_DOUBLE_EQ(read_setting(w, "a.c.w", "3"), 3.0);  // a bare number is in the field's own unit
  EXPECT_THROW(read_setting(w, "a.c.w", "3 kg"), Error);
}

TEST(UnitsInModels, AbsoluteTemperaturesConvertWithTheirOffsetAndShowBackInTheirUnit) {
  const Model m = Model::compile(
      "model: t\ncomponents:\n  c: { states: { T: { value: 20, unit: degC } }, params: { T0: 68 degF, R: 1 K/W, "
      "C: 10 J/K, dT: 5 degC/W } }\n"
      "systems:\n  s: { slots: [n: c], equations: [\"der(n.T) += (n.T0 - n.T) / (n.R * n.C)\"] }\n"
      "entities: { a: { c: {} } }\nworld: { s: auto }\n",
      "t.yaml");
  EXPECT_DOUBLE_EQ(m.states()[0].value, 293.15);
  EXPECT_DOUBLE_EQ(m.states()[0].to_display(m.states()[0].value), 20.0);
  EXPECT_NEAR(m.parameters()[0].value, 293.15, 1e-12);  // 68 degF is 20 degC
  EXPECT_DOUBLE_EQ(m.parameters()[3].value, 5.0);       // degC/W is a difference per watt: 5 K/W
  EXPECT_NEAR(read_setting(m, "a.c.T", "300 K"), 300.0, 1e-12);
  EXPECT_NEAR(m.states()[0].to_display(read_setting(m, "a.c.T", "300 K")), 26.85, 1e-12);
}

TEST(UnitsInModels, TheModelsTimeUnitIsTheSolversTime) {
  // Time in minutes: a rate in 1/min is 1 to the solver, a time constant of 30 s is half a minute.
  const Model m = Model::compile(
      "model: decay\ntime_unit: min\ncomponents:\n  c: { states: { x: 1 m }, params: { tau: 30 s, k: 2 1/h } }\n"
      "systems:\n  s: { slots: [n: c], equations: [\"der(n.x) += -n.x / n.tau\"] }\n"
      "entities: { a: { c: {} } }\nworld: { s: auto }\n"
      "simulate: { tspan: [0, 1], method: Tsit5, rtol: 1e-10, atol: 1e-12, n_save_points: 2 }\n",
      "decay.yaml");
  EXPECT_DOUBLE_EQ(m.parameters()[0].value, 0.5);
  EXPECT_DOUBLE_EQ(m.parameters()[1].value, 2.0 / 60.0);
  const Solution s = solve(m, m.simulate());
  ASSERT_TRUE(s.ok()) << s.message;
  EXPECT_NEAR(s.state(0, s.size() - 1), std::exp(-2.0), 1e-8);  // one minute is two time constants
}

TEST(UnitsInModels, LiteralsTakeAUnitInBracketsAndOtherwiseTheirSurroundings) {
  auto compiles = [](const std::string& equation) {
    const std::string text =
        "model: f\ncomponents:\n  c: { states: { x: 1 m, v: 0 m/s }, params: { L: 2 m, w: 3 rad/s, f: 1 Hz } }\n"
        "systems:\n  s: { slots: [n: c], equations: [\"der(n.x) += n.v\", \"" +
        equation +
        "\"] }\n"
        "entities: { a: { c: {} } }\nworld: { s: auto }\n";
    return check_model(text, "f.yaml");
  };
  EXPECT_TRUE(compiles("der(n.v) += -9.81[m/s^2]").empty());
  EXPECT_TRUE(compiles("der(n.v) += if(n.x > 0.5, 0, 1[m/s^2])").empty());  // 0.5 takes x's metres
  EXPECT_TRUE(compiles("der(n.v) += -(n.w)^2 * (n.x - n.L) * (1 - n.x / n.L)").empty());
  EXPECT_TRUE(compiles("der(n.v) += -n.L * n.w^2 * sin(n.w * t) - n.L * (2 * pi * n.f)^2 * cos(2*pi*n.f*t)").empty());
  EXPECT_TRUE(compiles("der(n.v) += sqrt(n.x * n.L) * n.w^2").empty());  // sqrt(m^2) is m
  const auto bad = compiles("der(n.v) += 9.81");  // a bare 9.81 is dimensionless where m/s^2 is needed?
  // ... it takes the target's unit, as a literal in a sum does: no error for a constant acceleration.
  EXPECT_TRUE(bad.empty()) << bad[0].format();
  const auto product = compiles("der(n.v) += 9.81 * n.x");  // but a product of a literal keeps x's metres
  ASSERT_FALSE(product.empty());
  EXPECT_NE(product[0].message.find("is in m (a length)"), std::string::npos) << product[0].format();
  EXPECT_GT(product[0].end.column, product[0].pos.column);  // the span of the offending term
}

TEST(UnitsInModels, AModelWithoutUnitsIsNotCheckedAndWarnTurnsErrorsIntoWarnings) {
  // Lorenz-style sketches: no unit anywhere, so nothing is checked, t included.
  const std::string plain =
      "model: p\ncomponents:\n  c: { states: { x: 1, v: 0 }, params: { k: 4 } }\n"
      "systems:\n  s: { slots: [n: c], equations: [\"der(n.x) += n.v\", \"der(n.v) += -n.k * n.x + sin(t)\"] }\n"
      "entities: { a: { c: {} } }\nworld: { s: auto }\n";
  EXPECT_TRUE(check_model(plain, "p.yaml").empty());
  const std::string mistake =
      moving_body("0 m/s").replace(moving_body("0 m/s").find("der(b.x) += b.v"), 15, "der(b.x) += b.g");
  ASSERT_FALSE(check_model(mistake, "b.yaml").empty());
  EXPECT_THROW(Model::compile(mistake, "b.yaml"), Error);
  const std::string sketch = "units: warn\n" + mistake;
  const Model m = Model::compile(sketch, "b.yaml");  // compiles, and says what is wrong
  ASSERT_FALSE(m.warnings().empty());
  EXPECT_NE(m.warnings()[0].message.find("`der(b.x)` is in m/s"), std::string::npos) << m.warnings()[0].format();
}

}  // namespace
}  // namespace numen
