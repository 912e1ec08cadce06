#include "expr/ops.h"

namespace numen::expr {

const char* op_name(Op op) {
  switch (op) {
    case Op::Const: return "const";
    case Op::Time: return "t";
    case Op::State: return "state";
    case Op::Param: return "param";
    case Op::Discrete: return "discrete";
    case Op::Input: return "input";
    case Op::Neg: return "neg";
    case Op::Sqrt: return "sqrt";
    case Op::Exp: return "exp";
    case Op::Log: return "log";
    case Op::Log10: return "log10";
    case Op::Sin: return "sin";
    case Op::Cos: return "cos";
    case Op::Tan: return "tan";
    case Op::Asin: return "asin";
    case Op::Acos: return "acos";
    case Op::Atan: return "atan";
    case Op::Sinh: return "sinh";
    case Op::Cosh: return "cosh";
    case Op::Tanh: return "tanh";
    case Op::Abs: return "abs";
    case Op::Sign: return "sign";
    case Op::Floor: return "floor";
    case Op::Not: return "not";
    case Op::Add: return "+";
    case Op::Sub: return "-";
    case Op::Mul: return "*";
    case Op::Div: return "/";
    case Op::Pow: return "^";
    case Op::Atan2: return "atan2";
    case Op::Min: return "min";
    case Op::Max: return "max";
    case Op::Hypot: return "hypot";
    case Op::Lt: return "<";
    case Op::Le: return "<=";
    case Op::Gt: return ">";
    case Op::Ge: return ">=";
    case Op::Eq: return "==";
    case Op::Ne: return "!=";
    case Op::And: return "and";
    case Op::Or: return "or";
    case Op::GuardMul: return "guarded*";
    case Op::Select: return "if";
    case Op::Interp: return "interp";
    case Op::InterpSlope: return "interp'";
    case Op::Square: return "square";
    case Op::PowInt: return "powi";
    case Op::JumpIfZero: return "jump-if-zero";
    case Op::JumpIfNonZero: return "jump-if-nonzero";
  }
  return "?";
}

}  // namespace numen::expr
