// libFuzzer target: the expression parser and the constant evaluator accept any text without crashing.
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
  } catch (const numen::expr::ParseError&) {
  }
  try {
    numen::expr::evaluate_constant_expression(text);
  } catch (const numen::expr::ParseError&) {
  }
  return 0;
}
