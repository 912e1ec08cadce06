#include "expr/ops.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace numen::expr {
namespace {

const std::vector<double>& awkward_values() {
  static const std::vector<double> values = {0.0,
                                             -0.0,
                                             1.0,
                                             -1.0,
                                             0.5,
                                             2.0,
                                             1e300,
                                             -1e-300,
                                             std::numeric_limits<double>::infinity(),
                                             std::numeric_limits<double>::quiet_NaN()};
  return values;
}

// The WebAssembly code generator keeps the results of the operations is_boolean names as i32 (0 or 1) and converts
// them only where they are read as numbers, so the trait must be true of exactly the operations whose every result
// is 0 or 1, on every value, NaN and signed zeros included.
TEST(Ops, IsBooleanNamesExactlyTheOperationsThatGiveOnlyZeroOrOne) {
  auto only_zero_or_one = [](auto eval) {
    for (double a : awkward_values())
      for (double b : awkward_values()) {
        const double r = eval(a, b);
        if (!(r == 0.0 && !std::signbit(r)) && r != 1.0) return false;
      }
    return true;
  };
  for (int k = static_cast<int>(Op::Neg); k <= static_cast<int>(Op::Not); ++k) {
    const Op op = static_cast<Op>(k);
    EXPECT_EQ(is_boolean(op), only_zero_or_one([op](double a, double) { return eval_unary(op, a); })) << op_name(op);
  }
  for (int k = static_cast<int>(Op::Add); k <= static_cast<int>(Op::GuardMul); ++k) {
    const Op op = static_cast<Op>(k);
    EXPECT_EQ(is_boolean(op), only_zero_or_one([op](double a, double b) { return eval_binary(op, a, b); }))
        << op_name(op);
  }
}

}  // namespace
}  // namespace numen::expr
