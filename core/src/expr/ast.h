#pragma once
// Syntax tree of the expression language, with the offset of every node in its text for error messages.
#include <memory>
#include <string>
#include <vector>

#include "units/units.h"

namespace numen::expr {

enum class BinaryOp { Add, Sub, Mul, Div, Pow, Lt, Le, Gt, Ge, Eq, Ne, And, Or };
enum class UnaryOp { Neg, Plus, Not };

struct Ast;
using AstPtr = std::unique_ptr<Ast>;

struct Ast {
  enum class Kind { Number, Name, Member, Index, Call, Unary, Binary, Vector };
  Kind kind = Kind::Number;
  double number = 0.0;
  std::string name;  ///< Name: the identifier; Member: the field; Call: the function
  BinaryOp binary = BinaryOp::Add;
  UnaryOp unary = UnaryOp::Neg;
  std::vector<AstPtr> args;  ///< Member: {object}; Index: {object, index}; Call: arguments; Unary: {x}; Binary: {l, r}
  std::string unit;          ///< Number: the unit of a literal written `9.81[m/s^2]`, empty for a bare number
  units::Unit unit_si;
  int offset = 0;  ///< where the node starts in its text
  int end = 0;     ///< one past where it ends
};

enum class AssignOp { Set, Add, Subtract };

/// One line of a system's equations or an event's actions: `lhs = rhs`, `lhs += rhs`, `lhs -= rhs`,
/// or (for conditions) a bare expression in `rhs` with no `lhs`.
struct Statement {
  AstPtr lhs;
  AssignOp op = AssignOp::Set;
  int op_offset = 0;
  AstPtr rhs;
};

std::string to_string(BinaryOp op);
/// Re-creates source text for a tree (for messages and `numen inspect`).
std::string to_string(const Ast& ast);

}  // namespace numen::expr
