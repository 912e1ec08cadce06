#include "expr/builtins.h"

#include <cmath>

namespace numen::expr {

const std::vector<MathFunction>& math_functions() {
  static const std::vector<MathFunction> table = {
      {"sqrt", 1, Op::Sqrt, "x", "square root"},
      {"exp", 1, Op::Exp, "x", "e to the power x"},
      {"log", 1, Op::Log, "x", "natural logarithm"},
      {"log10", 1, Op::Log10, "x", "base-10 logarithm"},
      {"sin", 1, Op::Sin, "x", "sine (radians)"},
      {"cos", 1, Op::Cos, "x", "cosine (radians)"},
      {"tan", 1, Op::Tan, "x", "tangent (radians)"},
      {"asin", 1, Op::Asin, "x", "arcsine"},
      {"acos", 1, Op::Acos, "x", "arccosine"},
      {"atan", 1, Op::Atan, "x", "arctangent"},
      {"sinh", 1, Op::Sinh, "x", "hyperbolic sine"},
      {"cosh", 1, Op::Cosh, "x", "hyperbolic cosine"},
      {"tanh", 1, Op::Tanh, "x", "hyperbolic tangent"},
      {"abs", 1, Op::Abs, "x", "absolute value"},
      {"sign", 1, Op::Sign, "x", "-1, 0 or 1"},
      {"floor", 1, Op::Floor, "x", "largest integer not above x"},
      {"atan2", 2, Op::Atan2, "y, x", "angle of the point (x, y), in radians from -pi to pi"},
      {"hypot", 2, Op::Hypot, "a, b", "sqrt(a^2 + b^2) without overflow"},
      {"pow", 2, Op::Pow, "a, b", "a to the power b, the same as a^b"},
  };
  return table;
}

const MathFunction* find_math_function(std::string_view name) {
  for (const MathFunction& f : math_functions())
    if (name == f.name) return &f;
  return nullptr;
}

const std::vector<SpecialFunction>& special_functions() {
  static const std::vector<SpecialFunction> table = {
      {"if", 3, 3, "condition, a, b", "a where the condition is nonzero (true), else b"},
      {"min", 1, -1, "a, b, ...", "smallest of the arguments (or of a vector's elements)"},
      {"max", 1, -1, "a, b, ...", "largest of the arguments (or of a vector's elements)"},
      {"clamp", 3, 3, "x, lo, hi", "x held between lo and hi: min(max(x, lo), hi)"},
      {"sum", 1, 1, "v", "sum of a vector's elements"},
      {"dot", 2, 2, "a, b", "dot product of two vectors of the same size"},
      {"norm", 1, 1, "v", "Euclidean norm of a vector"},
      {"interp", 2, 2, "x, table",
       "linear interpolation of x in a table of the `tables:` section, held constant beyond its ends"},
      {"der", 1, 1, "x", "the time derivative of a state, only on the left of `+=`, `-=` or `=`: der(m.x) += m.v"},
      {"residual", 1, 1, "z", "residual(a.z) += expr adds to the algebraic equation 0 = sum of the contributions"},
  };
  return table;
}

const SpecialFunction* find_special_function(std::string_view name) {
  for (const SpecialFunction& f : special_functions())
    if (name == f.name) return &f;
  return nullptr;
}

const std::vector<Constant>& constants() {
  static const std::vector<Constant> table = {
      {"pi", 3.14159265358979323846, "the ratio of a circle's circumference to its diameter"},
      {"e", 2.71828182845904523536, "Euler's number, the base of the natural logarithm"},
  };
  return table;
}

bool find_constant(std::string_view name, double* value) {
  for (const Constant& c : constants())
    if (name == c.name) {
      *value = c.value;
      return true;
    }
  return false;
}

const std::vector<LibraryFunction>& library_functions() {
  // Written in the language itself so that their exact Jacobians come from the same differentiation as user code.
  static const std::vector<LibraryFunction> table = {
      {"softpen(s, d)", "if(s <= 0, 0, if(s >= d, s - 0.5*d, 0.5*s^2/d))",
       "C1 contact ramp: 0 for s <= 0, s^2/(2d) below d, s - d/2 beyond (penetration for contact forces)"},
      {"smooth_step(x, x0, x1)", "clamp((x - x0)/(x1 - x0), 0, 1)^2 * (3 - 2*clamp((x - x0)/(x1 - x0), 0, 1))",
       "C1 step from 0 at x0 to 1 at x1 (cubic)"},
      {"smooth_abs(x, eps)", "sqrt(x^2 + eps^2)", "smooth |x|: sqrt(x^2 + eps^2)"},
      {"smooth_max(a, b, eps)", "0.5*(a + b + sqrt((a - b)^2 + eps^2))", "smooth max(a, b), within eps/2 of it"},
      {"smooth_min(a, b, eps)", "0.5*(a + b - sqrt((a - b)^2 + eps^2))", "smooth min(a, b), within eps/2 of it"},
      {"step(x, x0)", "if(x >= x0, 1, 0)", "unit step at x0 (pair with tstops for a clean solve)"},
      {"ramp(x, x0, width)", "clamp((x - x0)/width, 0, 1)", "linear ramp from 0 at x0 to 1 at x0 + width"},
      {"orifice_mdot(p_up, p_dn, T, R, Cd, A, gamma)",
       // Factors that depend on parameters only are grouped so that each branch costs one multiplication by a
       // precomputed constant; beta^(2/gamma) - beta^((gamma+1)/gamma) is written as r (r - beta) with
       // r = beta^(1/gamma), one power instead of two (the graph shares r).
       "if(p_up <= 0 or A <= 0, 0,"
       " if(max(0, p_dn)/p_up <= (2/(gamma + 1))^(gamma/(gamma - 1)),"
       "  p_up*(Cd*A*sqrt(gamma/(R*T))*(2/(gamma + 1))^((gamma + 1)/(2*(gamma - 1)))),"
       "  p_up*(Cd*A)*sqrt(max(0, (2*gamma/((gamma - 1)*R*T))*(max(0, p_dn)/p_up)^(1/gamma)"
       "*((max(0, p_dn)/p_up)^(1/gamma) - max(0, p_dn)/p_up)))))",
       "compressible mass flow (kg/s, >= 0) through an orifice from p_up to p_dn, choked or not (ISO 6358 form)",
       "Pa, Pa, K, J/(kg*K), 1, m^2, 1"},
      {"orifice_flow(pa, pb, Ta, Ra, Tb, Rb, Cd, A, gamma)",
       "if(pa >= pb, orifice_mdot(pa, pb, Ta, Ra, Cd, A, gamma), -orifice_mdot(pb, pa, Tb, Rb, Cd, A, gamma))",
       "signed mass flow from volume a to volume b (negative when b is at the higher pressure)",
       "Pa, Pa, K, J/(kg*K), K, J/(kg*K), 1, m^2, 1"},
      {"orifice_flow(pa, pb, T, R, Cd, A, gamma)",
       "if(pa >= pb, orifice_mdot(pa, pb, T, R, Cd, A, gamma), -orifice_mdot(pb, pa, T, R, Cd, A, gamma))",
       "signed mass flow from a to b for one gas at one temperature", "Pa, Pa, K, J/(kg*K), 1, m^2, 1"},
  };
  return table;
}

std::vector<std::string> all_function_names() {
  std::vector<std::string> names;
  for (const auto& f : math_functions()) names.emplace_back(f.name);
  for (const auto& f : special_functions()) names.emplace_back(f.name);
  for (const auto& f : library_functions()) {
    std::string sig = f.signature;
    std::string name = sig.substr(0, sig.find('('));
    bool seen = false;
    for (const auto& n : names) seen = seen || n == name;
    if (!seen) names.push_back(name);
  }
  return names;
}

}  // namespace numen::expr
