#pragma once
// The scalar operations of the expression language: one table of names and arities and one evaluation routine,
// shared by constant folding, the tape interpreter and the tests, so the three can never disagree.
#include <cmath>
#include <cstdint>

namespace numen::expr {

// Grouped by arity, several to a line: clang-format leaves the list as written.
// clang-format off
enum class Op : std::uint8_t {
  // leaves
  Const, Time, State, Param, Discrete, Input,
  // unary
  Neg, Sqrt, Exp, Log, Log10, Sin, Cos, Tan, Asin, Acos, Atan, Sinh, Cosh, Tanh, Abs, Sign, Floor, Not,
  // binary
  Add, Sub, Mul, Div, Pow, Atan2, Min, Max, Hypot, Lt, Le, Gt, Ge, Eq, Ne, And, Or,
  GuardMul,  ///< a * b, but 0 when a == 0: chain-rule products where b may be infinite (sqrt'(0))
  // ternary
  Select,  ///< c != 0 ? a : b
  // tables (node.index is the table)
  Interp,       ///< piecewise-linear interpolation, held constant outside the table
  InterpSlope,  ///< its derivative (0 outside the table)
  // tape-only (never in a graph): strength-reduced forms chosen when the tape is built
  Square,  ///< a * a
  PowInt,  ///< a ^ n, n an integer kept in the instruction
  JumpIfZero,     ///< if a == 0, continue at instruction b (skips the code of an if's other branch)
  JumpIfNonZero,  ///< if a != 0, continue at instruction b
};
// clang-format on

inline bool is_leaf(Op op) { return op <= Op::Input; }
inline bool is_variable(Op op) { return op >= Op::Time && op <= Op::Input; }
inline bool is_unary(Op op) { return op >= Op::Neg && op <= Op::Not; }
inline bool is_binary(Op op) { return op >= Op::Add && op <= Op::GuardMul; }
/// Whether the operation gives only 0 or 1 (comparisons and logic: Lt .. Or in the binary row, and Not).
inline bool is_boolean(Op op) { return op == Op::Not || (op >= Op::Lt && op <= Op::Or); }
inline bool is_commutative(Op op) {
  return op == Op::Add || op == Op::Mul || op == Op::Min || op == Op::Max || op == Op::Hypot || op == Op::Eq ||
         op == Op::Ne || op == Op::And || op == Op::Or;
}
const char* op_name(Op op);

inline double sign_of(double a) { return a > 0 ? 1.0 : (a < 0 ? -1.0 : 0.0); }

inline double eval_unary(Op op, double a) {
  switch (op) {
    case Op::Neg: return -a;
    case Op::Sqrt: return std::sqrt(a);
    case Op::Exp: return std::exp(a);
    case Op::Log: return std::log(a);
    case Op::Log10: return std::log10(a);
    case Op::Sin: return std::sin(a);
    case Op::Cos: return std::cos(a);
    case Op::Tan: return std::tan(a);
    case Op::Asin: return std::asin(a);
    case Op::Acos: return std::acos(a);
    case Op::Atan: return std::atan(a);
    case Op::Sinh: return std::sinh(a);
    case Op::Cosh: return std::cosh(a);
    case Op::Tanh: return std::tanh(a);
    case Op::Abs: return std::fabs(a);
    case Op::Sign: return sign_of(a);
    case Op::Floor: return std::floor(a);
    case Op::Not: return a == 0.0 ? 1.0 : 0.0;
    default: return std::nan("");
  }
}

inline double eval_binary(Op op, double a, double b) {
  switch (op) {
    case Op::Add: return a + b;
    case Op::Sub: return a - b;
    case Op::Mul: return a * b;
    case Op::Div: return a / b;
    case Op::Pow: return std::pow(a, b);
    case Op::Atan2: return std::atan2(a, b);
    case Op::Min: return a <= b ? a : b;
    case Op::Max: return a >= b ? a : b;
    case Op::Hypot: return std::hypot(a, b);
    case Op::Lt: return a < b ? 1.0 : 0.0;
    case Op::Le: return a <= b ? 1.0 : 0.0;
    case Op::Gt: return a > b ? 1.0 : 0.0;
    case Op::Ge: return a >= b ? 1.0 : 0.0;
    case Op::Eq: return a == b ? 1.0 : 0.0;
    case Op::Ne: return a != b ? 1.0 : 0.0;
    case Op::And: return (a != 0.0 && b != 0.0) ? 1.0 : 0.0;
    case Op::Or: return (a != 0.0 || b != 0.0) ? 1.0 : 0.0;
    case Op::GuardMul: return a == 0.0 ? 0.0 : a * b;
    default: return std::nan("");
  }
}

/// A piecewise-linear table: x strictly increasing, at least two points.
struct Table {
  double const* x;
  double const* y;
  int n;
};

inline int table_segment(const Table& t, double x) {
  int lo = 0, hi = t.n - 1;  // binary search for x[lo] <= x < x[lo + 1]
  while (hi - lo > 1) {
    const int mid = (lo + hi) / 2;
    if (t.x[mid] <= x) lo = mid;
    else hi = mid;
  }
  return lo;
}

inline double table_value(const Table& t, double x) {
  if (!(x > t.x[0])) return x <= t.x[0] ? t.y[0] : x;  // NaN passes through
  if (x >= t.x[t.n - 1]) return t.y[t.n - 1];
  const int i = table_segment(t, x);
  const double w = (x - t.x[i]) / (t.x[i + 1] - t.x[i]);
  return t.y[i] + w * (t.y[i + 1] - t.y[i]);
}

inline double table_slope(const Table& t, double x) {
  if (!(x > t.x[0])) return x <= t.x[0] ? 0.0 : x;
  if (x >= t.x[t.n - 1]) return 0.0;
  const int i = table_segment(t, x);
  return (t.y[i + 1] - t.y[i]) / (t.x[i + 1] - t.x[i]);
}

}  // namespace numen::expr
