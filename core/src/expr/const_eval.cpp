#include "expr/const_eval.h"

#include <cctype>
#include <cmath>

#include "expr/builtins.h"
#include "expr/ops.h"
#include "units/units.h"

namespace numen::expr {
namespace {

double eval(const Ast& a) {
  switch (a.kind) {
    case Ast::Kind::Number:
      if (!a.unit.empty())
        throw ParseError(a.offset, "a value gives its unit once, after the expression (`9.81 m/s^2`), not in brackets");
      return a.number;
    case Ast::Kind::Name: {
      double v;
      if (find_constant(a.name, &v)) return v;
      throw ParseError(a.offset, "`" + a.name + "` is not a constant; a value here may use numbers, pi and e only");
    }
    case Ast::Kind::Unary: {
      const double x = eval(*a.args[0]);
      return a.unary == UnaryOp::Neg ? -x : (a.unary == UnaryOp::Plus ? x : eval_unary(Op::Not, x));
    }
    case Ast::Kind::Binary: {
      static const Op ops[] = {Op::Add, Op::Sub, Op::Mul, Op::Div, Op::Pow, Op::Lt, Op::Le,
                               Op::Gt,  Op::Ge,  Op::Eq,  Op::Ne,  Op::And, Op::Or};
      const double l = eval(*a.args[0]), r = eval(*a.args[1]);
      if (a.binary == BinaryOp::Div && r == 0.0) throw ParseError(a.args[1]->offset, "division by zero");
      return eval_binary(ops[static_cast<int>(a.binary)], l, r);
    }
    case Ast::Kind::Call: {
      std::vector<double> args;
      for (const auto& arg : a.args) args.push_back(eval(*arg));
      if (const MathFunction* f = find_math_function(a.name)) {
        if (static_cast<int>(args.size()) != f->arity)
          throw ParseError(a.offset, "`" + a.name + "` takes " + std::to_string(f->arity) + " argument(s)");
        return f->arity == 1 ? eval_unary(f->op, args[0]) : eval_binary(f->op, args[0], args[1]);
      }
      if ((a.name == "min" || a.name == "max") && !args.empty()) {
        double v = args[0];
        for (double x : args) v = a.name == "min" ? std::fmin(v, x) : std::fmax(v, x);
        return v;
      }
      throw ParseError(a.offset, "`" + a.name + "(...)` cannot be used in a constant value");
    }
    default: throw ParseError(a.offset, "a value here must be a number or a constant expression");
  }
}

}  // namespace

double evaluate_constant_expression(std::string_view text) {
  AstPtr ast = parse_expression(text);
  return eval(*ast);
}

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

units::Unit read_unit(std::string_view text, std::size_t start, std::string* normalized) {
  try {
    return units::parse(text, start, normalized);
  } catch (const units::UnitError& e) {
    throw ParseError(e.offset, e.what());
  }
}

}  // namespace

std::string parse_unit(std::string_view text, units::Unit* unit) {
  std::string normalized;
  const units::Unit u = read_unit(text, 0, &normalized);
  if (unit) *unit = u;
  return normalized;
}

Quantity evaluate_quantity(std::string_view text) {
  int end = 0;
  AstPtr ast = parse_expression_prefix(text, &end);
  Quantity q;
  std::size_t u = static_cast<std::size_t>(end);
  while (u < text.size() && is_space(text[u])) ++u;
  if (u < text.size()) {
    if (u == static_cast<std::size_t>(end) && end > 0 && !is_space(text[static_cast<std::size_t>(end) - 1]))
      throw ParseError(end, "put a space between the value and its unit (as in `3e5 Pa`), or `*` for a product");
    q.si = read_unit(text, u, &q.unit);
    if (q.unit == "1") throw ParseError(static_cast<int>(u), "a value is dimensionless without a unit; drop the `1`");
    q.unit_offset = static_cast<int>(u);
  }
  q.value = eval(*ast);
  if (!std::isfinite(q.value))
    throw ParseError(ast->offset, std::string("the value is ") +
                                      (std::isnan(q.value) ? "not a number (NaN)" : "infinite") +
                                      "; check the expression");
  return q;
}

}  // namespace numen::expr
