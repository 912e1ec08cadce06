#pragma once
// The built-in functions and constants of the expression language, in one place for the compiler, the constant
// evaluator, the editor's completion list (through `numen schema`) and the docs.
#include <string>
#include <string_view>
#include <vector>

#include "expr/ops.h"

namespace numen::expr {

/// A math function that maps directly to one operation (applied elementwise to vectors).
struct MathFunction {
  const char* name;
  int arity;
  Op op;
  const char* args;  ///< the arguments as the reference writes them: "y, x"
  const char* summary;
};
const std::vector<MathFunction>& math_functions();
const MathFunction* find_math_function(std::string_view name);

/// Functions the compiler handles specially (conditionals, vectors, tables), with their arities (-1: variadic).
struct SpecialFunction {
  const char* name;
  int min_args, max_args;
  const char* args;  ///< "condition, a, b"; a variadic function ends with "..."
  const char* summary;
};
const std::vector<SpecialFunction>& special_functions();
const SpecialFunction* find_special_function(std::string_view name);

/// Named constants: pi, e.
bool find_constant(std::string_view name, double* value);
struct Constant {
  const char* name;
  double value;
  const char* summary;
};
const std::vector<Constant>& constants();

/// The engineering library, written in the expression language itself and loaded before a model's own functions:
/// softpen, orifice_mdot, orifice_flow, smooth_step, smooth_abs, smooth_max, smooth_min.
struct LibraryFunction {
  const char* signature;  ///< "softpen(s, d)"
  const char* body;
  const char* summary;
  /// The unit of each argument ("Pa, Pa, K, ..."), checked at each call; nullptr for functions that take any
  /// consistent units (softpen(s, d) needs s and d alike: the check of the body says so at the call).
  const char* units = nullptr;
};
const std::vector<LibraryFunction>& library_functions();

/// Every callable name (for "did you mean" and editor completion).
std::vector<std::string> all_function_names();

}  // namespace numen::expr
