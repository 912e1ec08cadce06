#pragma once
// Evaluates constant expressions ("pi*0.02^2", "2*3600") where the model file gives values, with the same
// operations and functions as equations. Names other than pi and e are errors.
//
// A value as model files, plan files and `numen run --set` write it is read by evaluate_quantity, the one reader
// for all of them:   VALUE := EXPRESSION [ WHITESPACE UNIT ]
// The expression is the longest one at the start of the text (the whole expression language: + - * / ^,
// parentheses, functions, pi, e); it ends where a name, a number or a character outside the language follows a
// complete operand, and the rest is the unit:
// UNIT is the grammar of units/units.h (names from its table, with SI prefixes).
// So a unit never starts with an operator or a digit (other than `1/`): "2 * 3" is 6, "-1 + 3" is 2, "2*3 m" is 6 m,
// "3e5 Pa" is 3e5 Pa. A unit must be separated from the expression by whitespace ("3e5Pa" is an error), cannot be
// a constant of the language ("2 pi" is an error: write `2*pi`), and anything after the expression that is not a
// unit is an error at its offset. The unit text is returned without spaces, with what it means (units::Unit).
#include <string>
#include <string_view>

#include "expr/parser.h"
#include "units/units.h"

namespace numen::expr {

/// Throws ParseError (offset into text) when the text is not a constant expression.
double evaluate_constant_expression(std::string_view text);

struct Quantity {
  double value = 0.0;
  std::string unit;      ///< empty when none is given; spaces removed ("kg * m" -> "kg*m")
  int unit_offset = -1;  ///< where the unit starts in the text, -1 when none
  units::Unit si;        ///< what the unit means (dimensionless scale 1 when none is given)
};

/// Reads "EXPRESSION [UNIT]" by the rule above. Throws ParseError (offset into text).
Quantity evaluate_quantity(std::string_view text);

/// Reads `text` as a unit (`1` is dimensionless) into *unit; returns it without spaces. Throws ParseError (offset
/// into text).
std::string parse_unit(std::string_view text, units::Unit* unit = nullptr);

}  // namespace numen::expr
