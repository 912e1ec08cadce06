#pragma once
// Evaluates constant expressions ("pi*0.02^2", "2*3600") where the model file gives values, with the same
// operations and functions as equations. Names other than pi and e are errors.
#include <string_view>

#include "expr/parser.h"

namespace numen::expr {

/// Throws ParseError (offset into text) when the text is not a constant expression.
double evaluate_constant_expression(std::string_view text);

}  // namespace numen::expr
