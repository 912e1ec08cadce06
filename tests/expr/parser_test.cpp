#include "expr/parser.h"

#include <gtest/gtest.h>

#include "expr/const_eval.h"

namespace numen::expr {
namespace {

std::string parsed(const std::string& text) { return to_string(*parse_expression(text)); }

int error_offset(const std::string& text, std::string* message = nullptr) {
  try {
    parse_statement(text);
  } catch (const ParseError& e) {
    if (message) *message = e.what();
    return e.offset;
  }
  ADD_FAILURE() << "expected a syntax error in: " << text;
  return -1;
}

TEST(Parser, PrecedenceFollowsMathematicalConvention) {
  EXPECT_EQ(parsed("1 + 2 * 3"), "(1 + (2 * 3))");
  EXPECT_EQ(parsed("-x^2"), "-(x ^ 2)");  // minus binds looser than power
  EXPECT_EQ(parsed("2^-1"), "(2 ^ -1)");
  EXPECT_EQ(parsed("a^b^c"), "(a ^ (b ^ c))");      // power is right-associative
  EXPECT_EQ(parsed("a - b - c"), "((a - b) - c)");  // the rest are left-associative
  EXPECT_EQ(parsed("a < b and c >= d or not e"), "(((a < b) and (c >= d)) or not e)");
  EXPECT_EQ(parsed("x ** 2"), "(x ^ 2)");
}

TEST(Parser, PostfixCallsMembersAndIndexing) {
  EXPECT_EQ(parsed("f(a.b, c[1], [1, 2])"), "f(a.b, c[1], [1, 2])");
  EXPECT_EQ(parsed("if(s <= 0, 0, 0.5*s^2/d)"), "if((s <= 0), 0, ((0.5 * (s ^ 2)) / d))");
  EXPECT_EQ(parsed("1e-3 + .5 + 2.5E+2"), "((0.001 + 0.5) + 250)");
}

TEST(Parser, StatementsSplitAtTheirAssignment) {
  Statement s = parse_statement("der(a.velocity) += F / a.mass");
  ASSERT_TRUE(s.lhs);
  EXPECT_EQ(to_string(*s.lhs), "der(a.velocity)");
  EXPECT_EQ(s.op, AssignOp::Add);
  EXPECT_EQ(s.op_offset, 16);
  EXPECT_EQ(parse_statement("F = k * x").op, AssignOp::Set);
  EXPECT_EQ(parse_statement("der(x) -= y").op, AssignOp::Subtract);
  EXPECT_FALSE(parse_statement("b.position < 0").lhs);  // a condition, not an equation
}

TEST(Parser, ErrorsPointAtTheOffendingCharacter) {
  std::string message;
  EXPECT_EQ(error_offset("(1 + 2", &message), 6);
  EXPECT_NE(message.find("missing `)`"), std::string::npos);
  EXPECT_EQ(error_offset("1 +", &message), 3);
  EXPECT_NE(message.find("ends too early"), std::string::npos);
  EXPECT_EQ(error_offset("2x + 1", &message), 1);
  EXPECT_NE(message.find("`*`"), std::string::npos);
  EXPECT_EQ(error_offset("a $ b", &message), 2);
  EXPECT_NE(message.find("`$`"), std::string::npos);
  EXPECT_EQ(error_offset("x = 1 = 2", &message), 6);
  EXPECT_EQ(error_offset("f(1,", &message), 4);
  EXPECT_EQ(error_offset("1e+", &message), 1);  // at the exponent that lacks digits
  EXPECT_EQ(error_offset("x = ", &message), 2);
  EXPECT_NE(message.find("right-hand side"), std::string::npos);
}

TEST(Parser, DeepNestingIsAnErrorNotAStackOverflow) {
  std::string deep(10000, '(');
  deep += "1";
  std::string message;
  error_offset(deep, &message);
  EXPECT_NE(message.find("nested too deeply"), std::string::npos);
  std::string negations(10000, '-');
  error_offset(negations + "1", &message);
  EXPECT_NE(message.find("nested too deeply"), std::string::npos);
}

// A value is the longest expression at the start, then optionally a unit (const_eval.h): the expression stops only
// where a name, a number or a character outside the language follows a complete operand.
TEST(Parser, AnExpressionPrefixStopsWhereItCannotContinue) {
  int end = -1;
  EXPECT_EQ(to_string(*parse_expression_prefix("2 * 3 m", &end)), "(2 * 3)");
  EXPECT_EQ(end, 6);
  EXPECT_EQ(to_string(*parse_expression_prefix("-1 + 3", &end)), "(-1 + 3)");
  EXPECT_EQ(end, 6);
  parse_expression_prefix("pi*0.02^2 m^2", &end);
  EXPECT_EQ(end, 10);
  parse_expression_prefix("50 %", &end);  // a character outside the language ends it too
  EXPECT_EQ(end, 3);
  parse_expression_prefix("5 1/s", &end);
  EXPECT_EQ(end, 2);
  std::string message;
  try {
    parse_expression_prefix("(1 + 2 m)", &end);
    ADD_FAILURE() << "a unit inside parentheses must be an error";
  } catch (const ParseError& e) {
    EXPECT_EQ(e.offset, 7);
    message = e.what();
  }
  EXPECT_NE(message.find("expected `)`"), std::string::npos) << message;
  try {
    parse_expression_prefix("1 + $", &end);  // a bad character where an operand is needed is still an error
    ADD_FAILURE() << "expected an error";
  } catch (const ParseError& e) {
    EXPECT_EQ(e.offset, 4);
    EXPECT_NE(std::string(e.what()).find("`$`"), std::string::npos);
  }
}

TEST(Parser, QuantitiesAreOneExpressionAndAnOptionalUnit) {
  EXPECT_DOUBLE_EQ(evaluate_quantity("115.83 * 0.444 * 0.007").value, 115.83 * 0.444 * 0.007);
  EXPECT_EQ(evaluate_quantity("115.83 * 0.444 * 0.007").unit, "");
  EXPECT_DOUBLE_EQ(evaluate_quantity("(115.83 * 0.444)").value, 115.83 * 0.444);
  EXPECT_EQ(evaluate_quantity("2 * 3").value, 6);
  EXPECT_EQ(evaluate_quantity("-1 + 3").value, 2);
  const Quantity q = evaluate_quantity("pi*0.02^2 m^2");
  EXPECT_DOUBLE_EQ(q.value, 3.14159265358979323846 * 0.0004);
  EXPECT_EQ(q.unit, "m^2");
  EXPECT_EQ(q.unit_offset, 10);
  EXPECT_EQ(evaluate_quantity("3e5 Pa").unit, "Pa");
  EXPECT_EQ(evaluate_quantity("1 kg * m / s^2").unit, "kg*m/s^2");
  EXPECT_EQ(evaluate_quantity("2 s^-1").unit, "s^-1");
  EXPECT_EQ(evaluate_quantity("2 1/(m^2*s)").unit, "1/(m^2*s)");
  EXPECT_EQ(evaluate_quantity("20 \u00b5m").unit, "\u00b5m");
  EXPECT_EQ(evaluate_quantity("max(1, 2) N").value, 2);
  EXPECT_EQ(evaluate_quantity("1 < 2").value, 1);  // the whole language: comparisons are 0 or 1
  auto offset = [](const char* text) {
    try {
      evaluate_quantity(text);
    } catch (const ParseError& e) {
      return e.offset;
    }
    ADD_FAILURE() << "expected an error in: " << text;
    return -1;
  };
  EXPECT_EQ(offset("2 m * 3"), 6);
  EXPECT_EQ(offset("2 * 3 4"), 6);
  EXPECT_EQ(offset("3e5Pa"), 3);
  EXPECT_EQ(offset("2 pi"), 2);
  EXPECT_EQ(offset("2 m,"), 3);
  EXPECT_EQ(offset(""), 0);
  EXPECT_EQ(offset("1/0"), 2);
  EXPECT_EQ(parse_unit("1"), "1");
  EXPECT_EQ(parse_unit("J / (kg * K)"), "J/(kg*K)");
  EXPECT_EQ(offset("2 1"), 2);  // "1" is a unit, but a value without one is already dimensionless
}

}  // namespace
}  // namespace numen::expr
