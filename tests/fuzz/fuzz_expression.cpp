// libFuzzer target: the expression parser and the constant evaluator accept any text without crashing, and the
// value reader (an expression, then an optional unit) agrees with the constant evaluator: a text that is a whole
// constant expression is read as exactly that value, with no unit.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "expr/const_eval.h"
#include "expr/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    numen::expr::Statement s = numen::expr::parse_statement(text);
    if (s.rhs) numen::expr::to_string(*s.rhs);
  } catch (const numen::expr::ParseError&) {}
  double whole = NAN;
  try {
    whole = numen::expr::evaluate_constant_expression(text);
  } catch (const numen::expr::ParseError&) {}
  try {
    const numen::expr::Quantity q = numen::expr::evaluate_quantity(text);
    if (!std::isfinite(q.value)) __builtin_trap();
    if (!q.unit.empty()) {
      if (q.unit_offset <= 0 || static_cast<std::size_t>(q.unit_offset) >= text.size()) __builtin_trap();
      if (numen::expr::parse_unit(q.unit) != q.unit) __builtin_trap();  // normalized units read back as themselves
    }
    if (std::isfinite(whole) && (q.value != whole || !q.unit.empty())) __builtin_trap();
  } catch (const numen::expr::ParseError& e) {
    if (std::isfinite(whole)) __builtin_trap();  // a whole constant expression is always a value
    if (e.offset < 0 || static_cast<std::size_t>(e.offset) > text.size()) __builtin_trap();
  }
  return 0;
}
