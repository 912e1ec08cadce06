#include "expr/const_eval.h"

#include <cctype>
#include <cmath>

#include "expr/builtins.h"
#include "expr/ops.h"

namespace numen::expr {
namespace {

double eval(const Ast& a) {
  switch (a.kind) {
    case Ast::Kind::Number: return a.number;
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
    default:
      throw ParseError(a.offset, "a value here must be a number or a constant expression");
  }
}

}  // namespace

double evaluate_constant_expression(std::string_view text) {
  AstPtr ast = parse_expression(text);
  return eval(*ast);
}

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
// Non-ASCII bytes (UTF-8) count as letters, so `µm` and `°C` are names; the expression language has none of them.
bool is_name_start(char c) {
  const auto u = static_cast<unsigned char>(c);
  return std::isalpha(u) || c == '_' || u >= 0x80;
}
bool is_name_char(char c) { return is_name_start(c) || is_digit(c); }

constexpr const char* kUnitHelp = "a unit is names like `m`, `kg*m/s^2`, `1/s`, `J/(kg*K)` or `%`";

// Recursive descent over the unit grammar of const_eval.h; offsets are into the whole text.
class UnitParser {
 public:
  UnitParser(std::string_view text, std::size_t start) : s_(text), i_(start) {}

  std::string unit(bool allow_one) {
    skip();
    const std::size_t start = i_;
    if (at('%')) {
      ++i_;
      out_ += '%';
    } else if (i_ < s_.size() && is_digit(s_[i_])) {
      ++i_;
      skip();
      if (s_[start] == '1' && i_ == s_.size() && allow_one) return "1";
      if (s_[start] != '1' || !at('/'))
        throw ParseError(static_cast<int>(start), "a unit cannot start with a number other than `1/` (as in `1/s`), "
                                                  "and a value is one expression followed by its unit; " +
                                                      std::string(kUnitHelp));
      ++i_;
      out_ += "1/";
      product(0);
    } else {
      product(0);
    }
    skip();
    if (i_ < s_.size()) {
      const char c = s_[i_];
      std::string msg = "unexpected `" + std::string(1, c) + "` in the unit; " + kUnitHelp;
      if (is_name_start(c) || is_digit(c))
        msg = "unexpected `" + word(i_) + "` in the unit: units are joined by `*` or `/`, and a value is one "
              "expression followed by its unit; " + kUnitHelp;
      throw ParseError(static_cast<int>(i_), msg);
    }
    return out_;
  }

 private:
  bool at(char c) const { return i_ < s_.size() && s_[i_] == c; }
  void skip() {
    while (i_ < s_.size() && is_space(s_[i_])) ++i_;
  }
  std::string word(std::size_t from) const {
    std::size_t j = from;
    while (j < s_.size() && (is_name_char(s_[j]) || s_[j] == '.')) ++j;
    return std::string(s_.substr(from, std::max<std::size_t>(j - from, 1)));
  }

  void product(int depth) {
    factor(depth);
    for (;;) {
      skip();
      if (!at('*') && !at('/')) return;
      out_ += s_[i_++];
      factor(depth);
    }
  }

  void factor(int depth) {
    skip();
    if (depth > 20) throw ParseError(static_cast<int>(i_), "the unit is nested too deeply");
    if (at('(')) {
      ++i_;
      out_ += '(';
      product(depth + 1);
      skip();
      if (!at(')')) throw ParseError(static_cast<int>(i_), "missing `)` in the unit");
      ++i_;
      out_ += ')';
    } else if (i_ < s_.size() && is_name_start(s_[i_])) {
      const std::size_t start = i_;
      while (i_ < s_.size() && is_name_char(s_[i_])) ++i_;
      const std::string name(s_.substr(start, i_ - start));
      double ignored;
      if (find_constant(name, &ignored))
        throw ParseError(static_cast<int>(start), "`" + name + "` is a constant, not a unit; a product needs `*` (`2*" +
                                                      name + "`)");
      if (name.size() > 1 && (name[0] == 'e' || name[0] == 'E') &&
          name.find_first_not_of("0123456789", 1) == std::string::npos)
        throw ParseError(static_cast<int>(start), "`" + name + "` is not a unit; write an exponent without a space (`2" +
                                                      name + "`)");
      out_ += name;
    } else if (i_ == s_.size()) {
      throw ParseError(static_cast<int>(i_), std::string("the unit ends too early; ") + kUnitHelp);
    } else {
      const char c = s_[i_];
      throw ParseError(static_cast<int>(i_), "expected a unit name, found `" +
                                                 (is_digit(c) ? word(i_) : std::string(1, c)) + "`; " + kUnitHelp);
    }
    if (at('^')) {
      ++i_;
      const std::size_t start = i_;
      if (at('-')) ++i_;
      if (!(i_ < s_.size() && is_digit(s_[i_])))
        throw ParseError(static_cast<int>(start), "expected a number after `^` in the unit, as in `m^2` or `s^-1`");
      while (i_ < s_.size() && is_digit(s_[i_])) ++i_;
      if (at('.') && i_ + 1 < s_.size() && is_digit(s_[i_ + 1])) {
        ++i_;
        while (i_ < s_.size() && is_digit(s_[i_])) ++i_;
      }
      out_ += '^';
      out_ += s_.substr(start, i_ - start);
    }
  }

  std::string_view s_;
  std::size_t i_;
  std::string out_;
};

}  // namespace

std::string parse_unit(std::string_view text, bool allow_one) { return UnitParser(text, 0).unit(allow_one); }

bool same_unit(std::string_view a, std::string_view b) {
  std::string x, y;
  for (char c : a)
    if (!is_space(c)) x += c;
  for (char c : b)
    if (!is_space(c)) y += c;
  return x == y;
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
    q.unit = UnitParser(text, u).unit(false);
    q.unit_offset = static_cast<int>(u);
  }
  q.value = eval(*ast);
  if (!std::isfinite(q.value))
    throw ParseError(ast->offset, std::string("the value is ") + (std::isnan(q.value) ? "not a number (NaN)" : "infinite") +
                                      "; check the expression");
  return q;
}

}  // namespace numen::expr
