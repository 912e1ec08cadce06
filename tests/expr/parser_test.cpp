#include "expr/parser.h"

#include <gtest/gtest.h>

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
  EXPECT_EQ(parsed("-x^2"), "-(x ^ 2)");           // minus binds looser than power
  EXPECT_EQ(parsed("2^-1"), "(2 ^ -1)");
  EXPECT_EQ(parsed("a^b^c"), "(a ^ (b ^ c))");     // power is right-associative
  EXPECT_EQ(parsed("a - b - c"), "((a - b) - c)"); // the rest are left-associative
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

}  // namespace
}  // namespace numen::expr
