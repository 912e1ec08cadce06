// The schema walk's guard against documents that aliases make exponentially large ("billion laughs"): it must stop
// such a document with a located message, and must not refuse a large document written out in full (a generated
// 10,000-mass model was refused by a fixed bound of 200,000 visits).
#include "common/json_schema.h"

#include <gtest/gtest.h>

#include <string>

#include "numen/numen.h"

namespace {

// Any nesting of lists of text.
const char* kNestedLists = R"({"$defs": {"any": {"anyOf": [{"type": "array", "items": {"$ref": "#/$defs/any"}},
                                                        {"type": "string"}]}},
                              "$ref": "#/$defs/any"})";

TEST(JsonSchema, StopsADocumentThatAliasesExpandExponentially) {
  // Eight levels of ten aliases each: 10^8 nodes when walked, from 600 bytes.
  std::string text = "- &l0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int level = 1; level <= 8; ++level) {
    const std::string prev = "*l" + std::to_string(level - 1);
    text += "- &l" + std::to_string(level) + " [";
    for (int k = 0; k < 10; ++k) text += (k ? ", " : "") + prev;
    text += "]\n";
  }
  std::vector<numen::Diagnostic> diagnostics;
  numen::YamlSource src(text, "bomb.yaml", diagnostics);
  const YAML::Node doc = src.load();
  const numen::JsonSchema schema(kNestedLists);
  EXPECT_FALSE(schema.validate(doc, src));
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_NE(diagnostics[0].message.find("too large to check"), std::string::npos) << diagnostics[0].message;
  EXPECT_GT(diagnostics[0].pos.line, 0);
}

TEST(JsonSchema, ChecksALargeDocumentWrittenOutInFull) {
  // A generated chain of 10,000 masses (20,000 states): about 300,000 schema visits, none of them through aliases.
  const int n = 10000;
  std::string text =
      "model: chain\ncomponents:\n  mass: { states: { x: 0 m, v: 0 m/s }, params: { m: 1 kg } }\n"
      "  spring: { params: { k: 100 N/m, L: 1 m } }\nsystems:\n"
      "  kinematics: { slots: [a: mass], equations: [\"der(a.x) += a.v\"] }\n"
      "  spring_force:\n    slots: [a: mass, s: spring, b: mass]\n    equations:\n"
      "      - F = s.k * ((b.x - a.x) - s.L)\n      - der(a.v) += F / a.m\n      - der(b.v) -= F / b.m\nentities:\n";
  for (int i = 0; i < n; ++i) text += "  m" + std::to_string(i) + ": { mass: { x: " + std::to_string(i) + " } }\n";
  for (int i = 0; i + 1 < n; ++i) text += "  s" + std::to_string(i) + ": { spring: {} }\n";
  text += "world:\n  kinematics: auto\n  spring_force: [";
  for (int i = 0; i + 1 < n; ++i)
    text += std::string(i ? ", " : "") + "[m" + std::to_string(i) + ", s" + std::to_string(i) + ", m" +
            std::to_string(i + 1) + "]";
  text += "]\n";
  const auto diagnostics = numen::check_model(text, "chain.yaml");
  for (const auto& d : diagnostics) ADD_FAILURE() << d.pos.line << ":" << d.pos.column << ": " << d.message;
}

}  // namespace
