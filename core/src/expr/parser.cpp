#include "expr/parser.h"

#include "units/units.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace numen::expr {
namespace {

// Bad: a lexical error, kept as a token (text = the message) when tokenizing leniently; it ends the token list.
enum class Tok { End, Number, Ident, Symbol, Bad };

struct Token {
  Tok kind = Tok::End;
  std::string text;
  double number = 0.0;
  int offset = 0;
};

bool is_ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Strict: a lexical error throws. Lenient (a value followed by its unit): the error becomes a Bad token that ends
// the list, so the parser can stop before it; it is thrown only if the parser needs the token.
std::vector<Token> tokenize(std::string_view s, bool lenient) {
  std::vector<Token> out;
  std::size_t i = 0;
  auto bad = [&](std::size_t offset, const std::string& message) {
    if (!lenient) throw ParseError(static_cast<int>(offset), message);
    Token t;
    t.kind = Tok::Bad;
    t.text = message;
    t.offset = static_cast<int>(offset);
    out.push_back(std::move(t));
    i = s.size();
  };
  while (i < s.size()) {
    const char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
      continue;
    }
    Token tok;
    tok.offset = static_cast<int>(i);
    if (std::isdigit(static_cast<unsigned char>(c)) ||
        (c == '.' && i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1])))) {
      std::size_t j = i;
      while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
      if (j < s.size() && s[j] == '.') {
        ++j;
        while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
      }
      if (j < s.size() && (s[j] == 'e' || s[j] == 'E')) {
        std::size_t k = j + 1;
        if (k < s.size() && (s[k] == '+' || s[k] == '-')) ++k;
        if (k < s.size() && std::isdigit(static_cast<unsigned char>(s[k]))) {
          while (k < s.size() && std::isdigit(static_cast<unsigned char>(s[k]))) ++k;
          j = k;
        } else {
          bad(j, "malformed number: expected digits after the exponent `e`");
          break;
        }
      }
      tok.kind = Tok::Number;
      tok.text = std::string(s.substr(i, j - i));
      tok.number = std::strtod(tok.text.c_str(), nullptr);
      i = j;
      if (j < s.size() && is_ident_start(s[j])) {
        out.push_back(std::move(tok));
        bad(j, "a number cannot run into a name here; write `*` for a product (for example `2*x`)");
        break;
      }
    } else if (is_ident_start(c)) {
      std::size_t j = i;
      while (j < s.size() && is_ident_char(s[j])) ++j;
      tok.kind = Tok::Ident;
      tok.text = std::string(s.substr(i, j - i));
      i = j;
    } else {
      static const char* const two[] = {"<=", ">=", "==", "!=", "+=", "-=", "&&", "||", "**"};
      tok.kind = Tok::Symbol;
      for (const char* sym : two) {
        if (s.compare(i, 2, sym) == 0) {
          tok.text = sym;
          break;
        }
      }
      if (tok.text.empty()) {
        if (std::string_view("+-*/^()[],.<>=!").find(c) == std::string_view::npos) {
          std::string shown = (static_cast<unsigned char>(c) >= 32 && static_cast<unsigned char>(c) < 127)
                                  ? std::string("`") + c + "`"
                                  : "byte " + std::to_string(static_cast<unsigned char>(c));
          bad(i, "unexpected character " + shown + " in an expression");
          break;
        }
        tok.text = std::string(1, c);
      }
      i += tok.text.size();
    }
    out.push_back(std::move(tok));
  }
  Token end;
  end.offset = static_cast<int>(s.size());
  out.push_back(end);
  return out;
}

class Parser {
 public:
  explicit Parser(std::string_view text, bool lenient = false) : text_(text), tokens_(tokenize(text, lenient)) {}

  AstPtr expression() { return logical_or(); }

  bool at_symbol(const char* sym) const { return peek().kind == Tok::Symbol && peek().text == sym; }
  const Token& peek() const { return tokens_[pos_]; }
  const Token& next() { return tokens_[pos_ < tokens_.size() - 1 ? pos_++ : pos_]; }
  bool at_end() const { return peek().kind == Tok::End; }

  void expect_end(const char* what) {
    if (!at_end()) {
      const Token& t = peek();
      if (t.kind == Tok::Bad) throw ParseError(t.offset, t.text);
      std::string msg = "unexpected `" + t.text + "` after " + what;
      if (t.kind == Tok::Symbol && t.text == "=") msg += "; an equation has exactly one `=` (comparisons use `==`)";
      if (t.kind == Tok::Symbol && t.text == ")") msg = "unbalanced `)`: there is no `(` to close";
      throw ParseError(t.offset, msg);
    }
  }

 private:
  struct DepthGuard {
    DepthGuard(int& depth, int offset) : depth_(depth) {
      if (++depth_ > kMaxNesting)
        throw ParseError(offset, "expression nested too deeply (more than " + std::to_string(kMaxNesting) +
                                     " levels); split it into local definitions");
    }
    ~DepthGuard() { --depth_; }
    int& depth_;
  };

  static AstPtr make(Ast::Kind kind, int offset) {
    auto a = std::make_unique<Ast>();
    a->kind = kind;
    a->offset = offset;
    return a;
  }

  AstPtr binary(BinaryOp op, AstPtr l, AstPtr r) {
    auto a = make(Ast::Kind::Binary, l->offset);
    a->binary = op;
    a->end = r->end;
    a->args.push_back(std::move(l));
    a->args.push_back(std::move(r));
    return a;
  }

  bool accept_word(const char* word, const char* symbol) {
    const Token& t = peek();
    if ((t.kind == Tok::Ident && t.text == word) || (t.kind == Tok::Symbol && t.text == symbol)) {
      next();
      return true;
    }
    return false;
  }

  AstPtr logical_or() {
    DepthGuard g(depth_, peek().offset);
    AstPtr l = logical_and();
    while (accept_word("or", "||")) l = binary(BinaryOp::Or, std::move(l), logical_and());
    return l;
  }

  AstPtr logical_and() {
    AstPtr l = logical_not();
    while (accept_word("and", "&&")) l = binary(BinaryOp::And, std::move(l), logical_not());
    return l;
  }

  AstPtr logical_not() {
    const int offset = peek().offset;
    if (accept_word("not", "!")) {
      DepthGuard g(depth_, offset);
      auto a = make(Ast::Kind::Unary, offset);
      a->unary = UnaryOp::Not;
      a->args.push_back(logical_not());
      a->end = a->args[0]->end;
      return a;
    }
    return comparison();
  }

  AstPtr comparison() {
    AstPtr l = additive();
    static const std::pair<const char*, BinaryOp> ops[] = {{"<", BinaryOp::Lt},  {"<=", BinaryOp::Le},
                                                           {">", BinaryOp::Gt},  {">=", BinaryOp::Ge},
                                                           {"==", BinaryOp::Eq}, {"!=", BinaryOp::Ne}};
    for (;;) {
      bool matched = false;
      for (const auto& [sym, op] : ops) {
        if (at_symbol(sym)) {
          next();
          l = binary(op, std::move(l), additive());
          matched = true;
          break;
        }
      }
      if (!matched) return l;
    }
  }

  AstPtr additive() {
    AstPtr l = multiplicative();
    for (;;) {
      if (at_symbol("+")) {
        next();
        l = binary(BinaryOp::Add, std::move(l), multiplicative());
      } else if (at_symbol("-")) {
        next();
        l = binary(BinaryOp::Sub, std::move(l), multiplicative());
      } else {
        return l;
      }
    }
  }

  AstPtr multiplicative() {
    AstPtr l = unary();
    for (;;) {
      if (at_symbol("*")) {
        next();
        l = binary(BinaryOp::Mul, std::move(l), unary());
      } else if (at_symbol("/")) {
        next();
        l = binary(BinaryOp::Div, std::move(l), unary());
      } else {
        return l;
      }
    }
  }

  AstPtr unary() {
    const int offset = peek().offset;
    if (at_symbol("-") || at_symbol("+")) {
      DepthGuard g(depth_, offset);
      const bool neg = next().text == "-";
      auto a = make(Ast::Kind::Unary, offset);
      a->unary = neg ? UnaryOp::Neg : UnaryOp::Plus;
      a->args.push_back(unary());
      a->end = a->args[0]->end;
      return a;
    }
    return power();
  }

  AstPtr power() {
    AstPtr base = postfix();
    if (at_symbol("^") || at_symbol("**")) {
      DepthGuard g(depth_, peek().offset);
      next();
      // Right-associative, and binds tighter than unary minus on its left: -x^2 = -(x^2), 2^-1 = 0.5.
      return binary(BinaryOp::Pow, std::move(base), unary());
    }
    return base;
  }

  AstPtr postfix() {
    AstPtr a = primary();
    for (;;) {
      if (at_symbol(".")) {
        next();
        const Token& t = peek();
        if (t.kind != Tok::Ident) throw ParseError(t.offset, "expected a field name after `.`");
        auto m = make(Ast::Kind::Member, a->offset);
        m->name = t.text;
        m->end = t.offset + static_cast<int>(t.text.size());
        next();
        m->args.push_back(std::move(a));
        a = std::move(m);
      } else if (at_symbol("[")) {
        DepthGuard g(depth_, peek().offset);
        next();
        auto ix = make(Ast::Kind::Index, a->offset);
        ix->args.push_back(std::move(a));
        ix->args.push_back(expression());
        ix->end = close("]", "an index");
        a = std::move(ix);
      } else if (at_symbol("(")) {
        const Token& t = peek();
        throw ParseError(t.offset, a->kind == Ast::Kind::Name || a->kind == Ast::Kind::Member
                                       ? "only built-in and user functions can be called; `" + to_string(*a) +
                                             "` is not a function name"
                                       : "unexpected `(`; write `*` for a product");
      } else {
        return a;
      }
    }
  }

  // `9.81[m/s^2]`: a literal with its unit, written right after the number.
  void literal_unit(Ast& a) {
    const std::size_t open = static_cast<std::size_t>(peek().offset);
    const std::size_t close = text_.find(']', open);
    if (close == std::string_view::npos)
      throw ParseError(static_cast<int>(open), "missing `]` to close the unit of `" + to_string(a) + "`");
    try {
      const std::string_view inner = text_.substr(0, close);
      a.unit_si = units::parse(inner, open + 1, &a.unit);
    } catch (const units::UnitError& e) {
      throw ParseError(e.offset, e.what());
    }
    while (!at_end() && peek().offset <= static_cast<int>(close)) next();
    a.end = static_cast<int>(close) + 1;
  }

  int close(const char* sym, const std::string& what) {
    const Token& t = peek();
    if (t.kind == Tok::Bad) throw ParseError(t.offset, t.text);
    if (!at_symbol(sym)) {
      if (t.kind == Tok::End) throw ParseError(t.offset, std::string("missing `") + sym + "` to close " + what);
      throw ParseError(t.offset, std::string("expected `") + sym + "` to close " + what + ", found `" + t.text + "`");
    }
    next();
    return t.offset + 1;
  }

  AstPtr primary() {
    const Token t = peek();
    switch (t.kind) {
      case Tok::Number: {
        next();
        auto a = make(Ast::Kind::Number, t.offset);
        a->number = t.number;
        a->end = t.offset + static_cast<int>(t.text.size());
        if (at_symbol("[") && peek().offset == a->end) literal_unit(*a);
        return a;
      }
      case Tok::Ident: {
        next();
        if (t.text == "and" || t.text == "or" || t.text == "not")
          throw ParseError(t.offset, "`" + t.text + "` needs an operand before it");
        if (at_symbol("(")) {
          DepthGuard g(depth_, t.offset);
          next();
          auto call = make(Ast::Kind::Call, t.offset);
          call->name = t.text;
          if (!at_symbol(")")) {
            for (;;) {
              call->args.push_back(expression());
              if (at_symbol(",")) {
                next();
                continue;
              }
              break;
            }
          }
          call->end = close(")", "the call to `" + t.text + "`");
          return call;
        }
        auto a = make(Ast::Kind::Name, t.offset);
        a->name = t.text;
        a->end = t.offset + static_cast<int>(t.text.size());
        return a;
      }
      case Tok::Symbol: {
        if (t.text == "(") {
          DepthGuard g(depth_, t.offset);
          next();
          AstPtr inner = expression();
          inner->end = close(")", "the parenthesis");
          return inner;
        }
        if (t.text == "[") {
          DepthGuard g(depth_, t.offset);
          next();
          auto v = make(Ast::Kind::Vector, t.offset);
          if (!at_symbol("]")) {
            for (;;) {
              v->args.push_back(expression());
              if (at_symbol(",")) {
                next();
                continue;
              }
              break;
            }
          }
          v->end = close("]", "the vector");
          if (v->args.empty()) throw ParseError(t.offset, "a vector needs at least one element");
          return v;
        }
        if (t.text == "=" || t.text == "+=" || t.text == "-=")
          throw ParseError(t.offset, "expected an expression before `" + t.text + "`");
        throw ParseError(t.offset, "expected a number, a name or `(`, found `" + t.text + "`");
      }
      case Tok::End: throw ParseError(t.offset, t.offset == 0 ? "empty expression" : "the expression ends too early");
      case Tok::Bad: throw ParseError(t.offset, t.text);
    }
    throw ParseError(t.offset, "unexpected input");
  }

  std::string_view text_;
  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
  int depth_ = 0;
};

}  // namespace

AstPtr parse_expression(std::string_view text) {
  Parser p(text);
  AstPtr a = p.expression();
  p.expect_end("the expression");
  return a;
}

AstPtr parse_expression_prefix(std::string_view text, int* end) {
  Parser p(text, /*lenient=*/true);
  AstPtr a = p.expression();
  const Token& t = p.peek();
  // Only these can never continue an expression; anything else after it (`)`, `,`, `=`) is an error as usual.
  if (t.kind == Tok::Ident || t.kind == Tok::Number || t.kind == Tok::Bad || t.kind == Tok::End) {
    *end = t.offset;
    return a;
  }
  p.expect_end("the expression");
  return a;
}

Statement parse_statement(std::string_view text) {
  Parser p(text);
  Statement s;
  AstPtr first = p.expression();
  if (p.at_symbol("=") || p.at_symbol("+=") || p.at_symbol("-=")) {
    const Token& t = p.next();
    s.op = t.text == "=" ? AssignOp::Set : (t.text == "+=" ? AssignOp::Add : AssignOp::Subtract);
    s.op_offset = t.offset;
    s.lhs = std::move(first);
    if (p.at_end()) throw ParseError(t.offset, "missing the right-hand side after `" + t.text + "`");
    s.rhs = p.expression();
  } else {
    s.rhs = std::move(first);
  }
  p.expect_end(s.lhs ? "the equation" : "the expression");
  return s;
}

std::string to_string(BinaryOp op) {
  switch (op) {
    case BinaryOp::Add: return "+";
    case BinaryOp::Sub: return "-";
    case BinaryOp::Mul: return "*";
    case BinaryOp::Div: return "/";
    case BinaryOp::Pow: return "^";
    case BinaryOp::Lt: return "<";
    case BinaryOp::Le: return "<=";
    case BinaryOp::Gt: return ">";
    case BinaryOp::Ge: return ">=";
    case BinaryOp::Eq: return "==";
    case BinaryOp::Ne: return "!=";
    case BinaryOp::And: return "and";
    case BinaryOp::Or: return "or";
  }
  return "?";
}

std::string to_string(const Ast& a) {
  switch (a.kind) {
    case Ast::Kind::Number: {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.17g", a.number);
      return a.unit.empty() ? std::string(buf) : std::string(buf) + "[" + a.unit + "]";
    }
    case Ast::Kind::Name: return a.name;
    case Ast::Kind::Member: return to_string(*a.args[0]) + "." + a.name;
    case Ast::Kind::Index: return to_string(*a.args[0]) + "[" + to_string(*a.args[1]) + "]";
    case Ast::Kind::Call: {
      std::string s = a.name + "(";
      for (std::size_t i = 0; i < a.args.size(); ++i) s += (i ? ", " : "") + to_string(*a.args[i]);
      return s + ")";
    }
    case Ast::Kind::Unary:
      return (a.unary == UnaryOp::Neg ? "-" : a.unary == UnaryOp::Plus ? "+" : "not ") + to_string(*a.args[0]);
    case Ast::Kind::Binary:
      return "(" + to_string(*a.args[0]) + " " + to_string(a.binary) + " " + to_string(*a.args[1]) + ")";
    case Ast::Kind::Vector: {
      std::string s = "[";
      for (std::size_t i = 0; i < a.args.size(); ++i) s += (i ? ", " : "") + to_string(*a.args[i]);
      return s + "]";
    }
  }
  return "?";
}

}  // namespace numen::expr
