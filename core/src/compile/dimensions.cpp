// The dimension check. Every Value the evaluator makes carries a Dim, so the check sees exactly what is compiled:
// local definitions once per instance, user and library functions at each call site with their arguments' units.
// The rules, chosen to catch real mistakes without crying wolf (README, "Units"):
// - terms of a sum, the two sides of a comparison, the branches of if(), the arguments of min/max/clamp/hypot/
//   atan2 have one unit; a literal number takes the other side's (`x > 0.5`, `1 - x/L`);
// - exp, log, sin, ... take a dimensionless argument (angles are dimensionless, so `omega*t` is fine);
// - x^p needs a constant, dimensionless p when x has a unit (sqrt is ^0.5);
// - der(x) takes x's unit per unit of time, an output or an action its target's unit, `lhs = rhs` like units;
// - anything computed from a field without a unit is not checked.
#include <cmath>

#include "common/text.h"
#include "compile/compiler.h"

namespace numen::compile {

using expr::Ast;

namespace {

// "in kN/m (kg/s^2, a stiffness)", "in N (kg*m/s^2, a force)", "dimensionless".
std::string words(const Dim& d) {
  if (d.d.dimensionless() && !(d.declared && !d.declared->empty() && *d.declared != "1")) return "dimensionless";
  const std::string si = units::si_name(d.d), base = units::base_units(d.d), q = units::quantity_name(d.d);
  const std::string head = d.declared && !d.declared->empty() ? *d.declared : si;
  std::vector<std::string> parts;
  if (head != si) parts.push_back("SI " + si);
  if (base != si) parts.push_back(base);
  if (!q.empty() && q != "dimensionless") parts.push_back(units::a_quantity(q));
  std::string out = "in " + head;
  if (!parts.empty()) {
    out += " (";
    for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? ", " : "") + parts[i];
    out += ")";
  }
  return out;
}

// What turns `got` into `want`, when the two differ by a time or another simple factor.
std::string hint(const units::Dimension& got, const units::Dimension& want) {
  const units::Dimension ratio = got / want;
  const units::Dimension time = units::Dimension::of(units::Time);
  if (ratio == time) return "; divide by a time (a time constant) or multiply by a rate";
  if (ratio == time.pow(-1)) return "; multiply by a time (a time constant) or divide by a rate";
  if (ratio == time.pow(2)) return "; it has two factors of time too many (s^2)";
  if (ratio == time.pow(-2)) return "; it lacks two factors of time (s^2)";
  const std::string q = units::quantity_name(ratio);
  return "; the two differ by a factor in " + units::si_name(ratio) +
         (q.empty() || q == "dimensionless" ? "" : " (" + units::a_quantity(q) + ")");
}

std::string quoted(const Ast& a) {
  std::string s = expr::to_string(a);
  if (s.size() > 60) s = s.substr(0, 57) + "...";
  return "`" + s + "`";
}

}  // namespace

Dim Compiler::field_dim(const model::FieldDecl& f) const {
  if (f.unit.empty()) return Dim::unknown();
  Dim d = Dim::known(f.si.dim);
  d.declared = &f.unit;
  return d;
}

Dim Compiler::time_dim() const {
  if (!any_units_) return Dim::unknown();
  Dim d = Dim::known(doc_.time_si.dim);
  d.declared = &doc_.time_unit;
  return d;
}

void Compiler::unit_problem(const Ast& ast, const Scope& scope, const std::string& message) {
  const SourcePos pos = where(ast, scope);
  const SourcePos end = scope.text ? scope.text->at(ast.end) : SourcePos{};
  if (doc_.units_warn) {
    warning(pos, message, end);
    return;
  }
  throw CompileError(pos, message, end);
}

Dim Compiler::unify(const Value& a, const Ast& a_ast, const Value& b, const Ast& b_ast, const Ast& at,
                    const Scope& scope, const char* verb) {
  const Dim &x = a.dim, &y = b.dim;
  if (x.kind == Dim::Kind::Unknown || y.kind == Dim::Kind::Unknown) {
    if (x.is_known()) return Dim::known(x.d);
    if (y.is_known()) return Dim::known(y.d);
    return Dim::unknown();
  }
  if (!x.is_known()) return y.is_known() ? Dim::known(y.d) : Dim::number();
  if (!y.is_known()) return Dim::known(x.d);
  if (x.d == y.d) return Dim::known(x.d);
  unit_problem(at, scope,
               quoted(at) + " " + verb + " unlike quantities: " + quoted(a_ast) + " is " + words(x) + " but " +
                   quoted(b_ast) + " is " + words(y) + hint(x.d, y.d));
  return Dim::unknown();
}

Dim Compiler::product(const Dim& a, const Dim& b, bool divide) const {
  if (a.kind == Dim::Kind::Unknown || b.kind == Dim::Kind::Unknown) return Dim::unknown();
  if (!a.is_known() && !b.is_known()) return Dim::number();
  const units::Dimension da = a.is_known() ? a.d : units::Dimension{};
  const units::Dimension db = b.is_known() ? b.d : units::Dimension{};
  return Dim::known(divide ? da / db : da * db);
}

Dim Compiler::power(const Value& base, const Value& exponent, const Ast& at, const Scope& scope) {
  const Ast& exp_ast = *at.args[1];
  if (exponent.dim.is_known() && !exponent.dim.d.dimensionless()) {
    unit_problem(
        exp_ast, scope,
        "the exponent " + quoted(exp_ast) + " is " + words(exponent.dim) + "; an exponent must be dimensionless");
    return Dim::unknown();
  }
  const Dim& b = base.dim;
  if (b.kind == Dim::Kind::Unknown) return Dim::unknown();
  if (!b.is_known()) return exponent.dim.kind == Dim::Kind::Unknown ? Dim::unknown() : Dim::number();
  if (b.d.dimensionless()) return Dim::known(b.d);
  double p = 0.0;
  if (exponent.vector || !graph_.is_const(exponent.e[0], &p)) {
    unit_problem(at, scope,
                 quoted(*at.args[0]) + " is " + words(b) + ", so its exponent " + quoted(exp_ast) +
                     " must be a constant (the unit of the result would change with it)");
    return Dim::unknown();
  }
  return Dim::known(b.d.pow(p));
}

Dim Compiler::dimensionless_argument(const Value& arg, const Ast& arg_ast, const Ast& call, const Scope& scope) {
  if (arg.dim.is_known() && !arg.dim.d.dimensionless()) {
    const units::Dimension time = units::Dimension::of(units::Time);
    const std::string extra =
        arg.dim.d == time
            ? "; multiply by an angular frequency (rad/s) or divide by a time "
              "constant"
            : "; divide by a reference " +
                  (units::quantity_name(arg.dim.d).empty() ? std::string("value") : units::quantity_name(arg.dim.d)) +
                  " to make it dimensionless";
    unit_problem(
        call, scope,
        "`" + call.name + "` takes a dimensionless argument, but " + quoted(arg_ast) + " is " + words(arg.dim) + extra);
  }
  if (arg.dim.kind == Dim::Kind::Number) return Dim::number();
  return Dim::known(units::Dimension{});
}

void Compiler::check_target(const Dim& want, const std::string& target, const Value& got, const Ast& rhs,
                            const Scope& scope) {
  if (!want.is_known() || !got.dim.is_known() || want.d == got.dim.d) return;
  unit_problem(rhs, scope,
               target + " is " + words(want) + " but the right side " + quoted(rhs) + " is " + words(got.dim) +
                   hint(got.dim.d, want.d));
}

void Compiler::check_library_signature(const Ast& call, const std::vector<Value>& args, const Scope& scope) {
  for (const expr::LibraryFunction& lib : expr::library_functions()) {
    if (!lib.units) continue;
    const std::string sig = lib.signature;
    if (sig.compare(0, call.name.size() + 1, call.name + "(") != 0) continue;
    std::vector<std::string> params;
    std::string p;
    for (char c : sig.substr(call.name.size() + 1)) {
      if (c == ',' || c == ')') {
        params.push_back(p);
        p.clear();
      } else if (c != ' ') {
        p += c;
      }
    }
    if (params.size() != args.size()) continue;
    // lib.units: one unit per parameter, separated by commas ("Pa, Pa, K, J/(kg*K), 1, m^2, 1").
    std::vector<std::string> unit_texts;
    std::string u;
    for (char c : std::string(lib.units) + ",") {
      if (c == ',') {
        unit_texts.push_back(u);
        u.clear();
      } else if (c != ' ' || !u.empty()) {
        u += c;
      }
    }
    for (std::size_t i = 0; i < args.size() && i < unit_texts.size(); ++i) {
      const units::Unit want = units::parse(unit_texts[i]);
      if (!args[i].dim.is_known() || args[i].dim.d == want.dim) continue;
      unit_problem(*call.args[i], scope,
                   "argument `" + params[i] + "` of `" + call.name + "` is " + units::describe(want.dim) + ", but " +
                       quoted(*call.args[i]) + " is " + words(args[i].dim) + hint(args[i].dim.d, want.dim));
    }
    return;
  }
}

}  // namespace numen::compile
