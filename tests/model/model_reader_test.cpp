#include "model/model_doc.h"

#include <gtest/gtest.h>

namespace numen::model {
namespace {

ModelDoc read(const std::string& text, std::vector<Diagnostic>& diags) { return read_model(text, "m.yaml", diags); }

TEST(ModelReader, ReadsValuesUnitsVectorsAndConstantExpressions) {
  std::vector<Diagnostic> diags;
  ModelDoc doc = read(R"(model: m
components:
  tank:
    states: { p: 3e5 Pa, q: { value: "2*pi", unit: rad } }
    params: { V: 1e-2 m^3, gains: [1, 2, 3], area: "pi*0.02^2 m^2", n: { size: 4, value: 0.5 } }
    outputs: { power: W }
)",
                      diags);
  ASSERT_TRUE(diags.empty()) << diags[0].format();
  const ComponentDecl& tank = doc.components.at(0);
  const FieldDecl* p = tank.find("p");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->value[0], 3e5);
  EXPECT_EQ(p->unit, "Pa");
  EXPECT_EQ(p->pos.line, 4);
  EXPECT_DOUBLE_EQ(tank.find("q")->value[0], 2 * 3.14159265358979323846);
  EXPECT_EQ(tank.find("gains")->value, (std::vector<double>{1, 2, 3}));
  EXPECT_TRUE(tank.find("gains")->is_vector);
  EXPECT_DOUBLE_EQ(tank.find("area")->value[0], 3.14159265358979323846 * 0.0004);
  EXPECT_EQ(tank.find("area")->unit, "m^2");
  EXPECT_EQ(tank.find("n")->value, (std::vector<double>(4, 0.5)));
  EXPECT_EQ(tank.find("power")->kind, FieldKind::Output);
  EXPECT_EQ(tank.find("power")->unit, "W");
}

// A value string is one constant expression, then optionally a unit; no part of the expression is ever taken for the
// unit (the old reader split at the first space: "2 * 3" was 2 with unit `* 3`).
TEST(ModelReader, AValueIsAWholeExpressionThenAnOptionalUnit) {
  std::vector<Diagnostic> diags;
  ModelDoc doc = read(R"yaml(model: m
components:
  c:
    params:
      a: "115.83 * 0.444 * 0.007"
      b: { value: "2 * 3", unit: m }
      c: "-1 + 3"
      d: "(115.83 * 0.444)"
      e: "2 * (3 + 1) kg*m/s^2"
      f: "sqrt(4) 1/s"
      g: 50 %
      h: { value: "2*3 m", unit: m }
      i: "1e3 J/(kg * K)"
      j: [1 + 1, "2*3", -1 - 1]
      k: -1 - 1
)yaml",
                      diags);
  ASSERT_TRUE(diags.empty()) << diags[0].format();
  const ComponentDecl& c = doc.components.at(0);
  auto check = [&](const char* name, double value, const char* unit) {
    const FieldDecl* f = c.find(name);
    ASSERT_TRUE(f) << name;
    EXPECT_DOUBLE_EQ(f->value.at(0), value) << name;
    EXPECT_EQ(f->unit, unit) << name;
  };
  check("a", 115.83 * 0.444 * 0.007, "");
  check("b", 6, "m");
  check("c", 2, "");
  check("d", 115.83 * 0.444, "");
  check("e", 8, "kg*m/s^2");
  check("f", 2, "1/s");
  check("g", 50, "%");
  check("h", 6, "m");
  check("i", 1e3, "J/(kg*K)");
  check("k", -2, "");
  EXPECT_EQ(c.find("j")->value, (std::vector<double>{2, 6, -2}));
}

// Whatever follows the expression and is not a unit is an error at its own column, never a silent label.
TEST(ModelReader, TextAfterTheExpressionThatIsNotAUnitIsALocatedError) {
  struct Case {
    const char* value;
    int column;
    const char* message;
  };
  const Case cases[] = {
      {"\"2 * 3 m * 4\"", 29, "expected a unit name, found `4`"},
      {"\"2 m s\"", 23, "unexpected `s` in the unit"},
      {"3e5Pa", 21, "put a space between the value and its unit"},
      {"\"2 pi\"", 21, "`pi` is a constant, not a unit"},
      {"\"2 e3\"", 21, "write an exponent without a space"},
      {"\"2 3\"", 21, "a unit cannot start with a number other than `1`"},
      {"\"2 m^\"", 23, "expected a number after `^`"},
      {"\"2 (m)\"", 21, "unexpected `(`"},
      {"\"2 * x\"", 23, "`x` is not a constant"},
      {"\"(1 + 2\"", 25, "missing `)` to close the parenthesis"},
      {"\"2 m/\"", 23, "the unit ends too early"},
      {"\"2 $\"", 21, "expected a unit name, found `$`"},
      {"\"log(-1)\"", 19, "not a number (NaN)"},
  };
  for (const Case& k : cases) {
    std::vector<Diagnostic> diags;
    read(std::string("model: m\ncomponents:\n  c:\n    params: { a: ") + k.value + " }\n", diags);
    ASSERT_FALSE(diags.empty()) << k.value;
    EXPECT_EQ(diags[0].pos.line, 4) << k.value;
    EXPECT_EQ(diags[0].pos.column, k.column) << k.value << ": " << diags[0].format();
    EXPECT_NE(diags[0].message.find(k.message), std::string::npos) << k.value << ": " << diags[0].format();
    EXPECT_NE(diags[0].message.find("`c.a`"), std::string::npos) << diags[0].format();
  }
}

TEST(ModelReader, AValueInAnotherUnitIsConvertedToTheDeclaredOneOrIsAnErrorAtItsUnit) {
  std::vector<Diagnostic> diags;
  ModelDoc cm = read("model: m\ncomponents:\n  c:\n    params: { a: { unit: m, value: 2 cm } }\n", diags);
  ASSERT_TRUE(diags.empty()) << diags[0].format();
  EXPECT_DOUBLE_EQ(cm.components.at(0).find("a")->value[0], 0.02);  // in the declared unit, m
  read("model: m\ncomponents:\n  c:\n    params: { a: { unit: m, value: 2 N } }\n", diags);
  ASSERT_FALSE(diags.empty());
  EXPECT_EQ(diags[0].pos.line, 4);
  EXPECT_EQ(diags[0].pos.column, 38);
  EXPECT_NE(diags[0].message.find("`N` is a force (N = kg*m/s^2), but the field is in `m`, a length"),
            std::string::npos)
      << diags[0].format();
  diags.clear();
  ModelDoc doc = read("model: m\ncomponents:\n  c:\n    params: { a: { value: \"2 N * m\", unit: N*m } }\n", diags);
  ASSERT_TRUE(diags.empty()) << diags[0].format();
  EXPECT_EQ(doc.components.at(0).find("a")->unit, "N*m");
}

// A misspelled section is one error, at the section, not one per field read as some other kind of field.
TEST(ModelReader, AMisspelledSectionIsOneErrorAtTheSection) {
  std::vector<Diagnostic> diags;
  read("model: m\ncomponents:\n  c:\n    states: { x: 0 }\n    parms: { k: 1, m: 2, c: 3 }\n", diags);
  ASSERT_EQ(diags.size(), 1u) << diags[0].format() << (diags.size() > 1 ? "\n" + diags[1].format() : "");
  EXPECT_EQ(diags[0].pos.line, 5);
  EXPECT_NE(diags[0].message.find("did you mean `params`?"), std::string::npos) << diags[0].format();
}

TEST(ModelReader, UnknownKeysAreErrorsWithSuggestionsAndPlaces) {
  std::vector<Diagnostic> diags;
  read("model: m\ncomponent:\n  a: {}\n", diags);
  ASSERT_FALSE(diags.empty());
  EXPECT_EQ(diags[0].pos.line, 2);
  EXPECT_EQ(diags[0].pos.column, 1);
  EXPECT_NE(diags[0].message.find("unknown key `component`"), std::string::npos);
  EXPECT_NE(diags[0].message.find("did you mean `components`?"), std::string::npos);
}

TEST(ModelReader, DuplicateKeysAreErrors) {
  std::vector<Diagnostic> diags;
  read("model: m\ncomponents:\n  a: { states: { x: 1 } }\n  a: { states: { y: 1 } }\n", diags);
  ASSERT_FALSE(diags.empty());
  EXPECT_EQ(diags[0].pos.line, 4);
  EXPECT_NE(diags[0].message.find("appears twice"), std::string::npos);
}

TEST(ModelReader, ExpressionPositionsAccountForQuotesAndBlocks) {
  std::vector<Diagnostic> diags;
  ModelDoc doc = read(R"(model: m
components:
  a: { states: { x: 0 } }
systems:
  s:
    slots: [p: a]
    equations:
      - "der(p.x) += 1"
      - der(p.x) += 2
      - |
        der(p.x) += 3
        + 4
)",
                      diags);
  ASSERT_TRUE(diags.empty()) << diags[0].format();
  const auto& eqs = doc.systems.at(0).equations;
  ASSERT_EQ(eqs.size(), 3u);
  EXPECT_EQ(eqs[0].at(4).line, 8);
  EXPECT_EQ(eqs[0].at(4).column, 14);  // `p` of `der(p.x)`, counting the opening quote
  EXPECT_EQ(eqs[1].at(0).column, 9);
  EXPECT_EQ(eqs[2].at(0).line, 11);
  EXPECT_EQ(eqs[2].at(14).line, 12);  // "+ 4" on the block's second line
  EXPECT_EQ(eqs[2].at(14).column, 9);
}

TEST(ModelReader, SyntaxErrorsKeepTheirPlace) {
  std::vector<Diagnostic> diags;
  read("model: m\ncomponents:\n  a: { states: [1, 2\n", diags);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].pos.line, 4);
  EXPECT_NE(diags[0].message.find("missing its `]`"), std::string::npos);
}

// `min:`/`max:` are the workbench slider's ends (Van der Pol's description asks for mu = 1000; its slider stopped
// at 10x the value, 100, because the reader dropped them).
TEST(ModelReader, MinAndMaxAreKeptForTheSliderAndMustBeOrdered) {
  std::vector<Diagnostic> diags;
  ModelDoc doc = read(R"(model: m
components:
  osc:
    params: { mu: { value: 10, unit: "1", min: 0, max: 1000 } }
)",
                      diags);
  ASSERT_TRUE(diags.empty()) << diags[0].format();
  const FieldDecl* mu = doc.components.at(0).find("mu");
  ASSERT_TRUE(mu && mu->slider_min && mu->slider_max);
  EXPECT_EQ(*mu->slider_min, 0);
  EXPECT_EQ(*mu->slider_max, 1000);
  read(R"(model: m
components:
  osc:
    params: { mu: { value: 10, min: 5, max: 5 } }
)",
       diags);
  ASSERT_FALSE(diags.empty());
  EXPECT_EQ(diags[0].pos.line, 4);
  EXPECT_NE(diags[0].message.find("must be above its `min`"), std::string::npos) << diags[0].format();
}

}  // namespace
}  // namespace numen::model
