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

}  // namespace
}  // namespace numen::model
