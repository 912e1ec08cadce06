#pragma once
// Recursive-descent parser for the expression language. Precedence, loosest first:
//   or  <  and  <  not  <  comparisons (< <= > >= == !=)  <  + -  <  * /  <  unary -  <  ^ (right-assoc.)  <  postfix
// Postfix: calls f(a, b), members a.b, indexing a[i]. Literals: numbers and vectors [a, b, c].
#include <stdexcept>
#include <string>
#include <string_view>

#include "expr/ast.h"

namespace numen::expr {

/// A syntax error at a byte offset in the parsed text.
struct ParseError : std::runtime_error {
  ParseError(int offset, const std::string& message) : std::runtime_error(message), offset(offset) {}
  int offset;
};

/// Parses a whole expression; throws ParseError.
AstPtr parse_expression(std::string_view text);

/// Parses the expression at the start of `text` and sets *end to where it stops: before the first name, number or
/// character outside the language that cannot continue it (a value's unit, as in "pi*0.02^2 m^2"), or text.size().
/// Anything else that cannot continue it (`)`, `,`, `=`) is an error, as in parse_expression. Throws ParseError.
AstPtr parse_expression_prefix(std::string_view text, int* end);

/// Parses an equation or action line (`lhs = rhs`, `+=`, `-=`) or, when no assignment is present, a bare expression.
Statement parse_statement(std::string_view text);

/// Deepest nesting of parentheses, calls and operators accepted (deeper input is an error, not a stack overflow).
constexpr int kMaxNesting = 200;

}  // namespace numen::expr
