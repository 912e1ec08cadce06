// Expressions -> graph nodes. Names resolve, innermost first, to: function arguments, the fields of a port's own
// component, the instance's local definitions, `t`, and the constants pi and e. `slot.field` reads a field of the
// entity bound to that slot. Operators apply elementwise to vectors, with scalars broadcast.
#include <algorithm>
#include <cmath>

#include "common/text.h"
#include "compile/compiler.h"
#include "expr/builtins.h"

namespace numen::compile {

using expr::Ast;
using expr::NodeId;
using expr::Op;

SourcePos Compiler::where(const Ast& ast, const Scope& scope) const {
  return scope.text ? scope.text->at(ast.offset) : SourcePos{};
}

NodeId Compiler::eval_scalar(const Ast& ast, const Scope& scope, const char* what) {
  Value v = eval(ast, scope);
  if (v.vector)
    throw CompileError(where(ast, scope), std::string(what) + " must be a scalar, but `" + expr::to_string(ast) +
                                              "` is a vector of " + std::to_string(v.size()) +
                                              "; index it (`v[0]`) or reduce it (`sum(v)`)");
  return v.e[0];
}

Value Compiler::elementwise(const Ast& at, const Scope& scope, const std::vector<Value>& args,
                            const std::function<NodeId(const std::vector<NodeId>&)>& f) {
  std::size_t size = 1;
  bool vector = false;
  for (const Value& a : args) {
    if (!a.vector) continue;
    if (vector && a.size() != size)
      throw CompileError(where(at, scope), "vectors of different sizes (" + std::to_string(size) + " and " +
                                               std::to_string(a.size()) + ") in `" + expr::to_string(at) + "`");
    vector = true;
    size = a.size();
  }
  Value out;
  out.vector = vector;
  std::vector<NodeId> scalars(args.size());
  for (std::size_t i = 0; i < size; ++i) {
    for (std::size_t k = 0; k < args.size(); ++k) scalars[k] = args[k].e[args[k].vector ? i : 0];
    out.e.push_back(f(scalars));
  }
  return out;
}

Local* Compiler::find_local(const Scope& scope, const std::string& name) {
  if (scope.instance < 0) return nullptr;
  auto& locals = instances_[static_cast<std::size_t>(scope.instance)].locals;
  auto it = locals.find(name);
  return it == locals.end() ? nullptr : &it->second;
}

Value Compiler::eval_name(const Ast& ast, const Scope& scope) {
  const std::string& name = ast.name;
  if (scope.args) {
    for (const auto& [param, value] : *scope.args)
      if (param == name) return value;
  }
  if (scope.component) {
    auto it = scope.component->fields.find(name);
    if (it != scope.component->fields.end()) return field_value(*scope.component, it->second, where(ast, scope));
  }
  if (Local* local = find_local(scope, name)) return local_value(*local, scope.instance, name);
  if (name == "t") return Value::scalar(graph_.variable(Op::Time, 0), time_dim());
  double c;
  if (expr::find_constant(name, &c)) return Value::scalar(graph_.constant(c));

  std::vector<std::string> candidates = {"t", "pi", "e"};
  if (scope.args)
    for (const auto& a : *scope.args) candidates.push_back(a.first);
  if (scope.component)
    for (const auto& f : scope.component->component->fields) candidates.push_back(f.name);
  if (scope.instance >= 0) {
    const Instance& inst = instances_[static_cast<std::size_t>(scope.instance)];
    for (const auto& [n, l] : inst.locals) candidates.push_back(n);
    for (const model::SlotDecl& slot : inst.system->slots) {
      if (slot.name != name) continue;
      const model::ComponentDecl* comp = doc_.find_component(slot.component);
      const std::string example = comp && !comp->fields.empty() ? comp->fields[0].name : "field";
      throw CompileError(where(ast, scope), "`" + name + "` is a slot (an entity); name one of its fields, as in `" +
                                                name + "." + example + "`");
    }
  }
  if (table_index_.count(name))
    throw CompileError(where(ast, scope), "`" + name + "` is a table; read it with `interp(x, " + name + ")`");
  std::string hint = text::did_you_mean(name, candidates);
  if (scope.args && hint.empty())
    hint = "; a function sees only its arguments (" + text::quoted_list([&] {
             std::vector<std::string> a;
             for (const auto& p : *scope.args) a.push_back(p.first);
             return a;
           }()) +
           "), t, pi and e";
  throw CompileError(where(ast, scope), "unknown name `" + name + "`" + hint);
}

Value Compiler::local_value(Local& local, int instance, const std::string& name) {
  if (local.status == 2) return local.value;
  if (local.status == 1)
    throw CompileError(local.pos, "circular definition: `" + name +
                                      "` depends on itself; define it from states, parameters and inputs");
  local.status = 1;
  Scope inner{instance, nullptr, nullptr, local.text};
  try {
    local.value = eval(*local.ast, inner);
  } catch (...) {
    local.status = 0;
    throw;
  }
  local.status = 2;
  return local.value;
}

Value Compiler::field_value(const EntityComponent& ec, const FieldSlot& slot, SourcePos pos) {
  Op kind;
  switch (slot.kind) {
    case model::FieldKind::State:
    case model::FieldKind::Algebraic: kind = Op::State; break;
    case model::FieldKind::Parameter: kind = Op::Param; break;
    case model::FieldKind::Discrete: kind = Op::Discrete; break;
    case model::FieldKind::Port: kind = Op::Input; break;
    case model::FieldKind::Output: {
      const int ec_index = static_cast<int>(&ec - components_.data());
      return output_value(ec_index, slot.decl->name, pos);
    }
    default: kind = Op::State; break;
  }
  Value v;
  v.vector = slot.vector;
  v.dim = field_dim(*slot.decl);
  for (int i = 0; i < slot.size; ++i) v.e.push_back(graph_.variable(kind, slot.index + i));
  return v;
}

Value Compiler::eval_member(const Ast& ast, const Scope& scope) {
  const Ast& object = *ast.args[0];
  if (object.kind != Ast::Kind::Name) {
    throw CompileError(where(ast, scope), "`" + expr::to_string(ast) + "`: fields are read as `slot.field`");
  }
  if (scope.instance < 0) {
    throw CompileError(
        where(ast, scope),
        scope.args ? "a function sees only its arguments; pass `" + expr::to_string(ast) + "` to it as an argument"
                   : "`" + expr::to_string(ast) + "`: here fields are named without a slot, as in `" + ast.name + "`");
  }
  const Instance& inst = instances_[static_cast<std::size_t>(scope.instance)];
  const auto& slots = inst.system->slots;
  for (std::size_t s = 0; s < slots.size(); ++s) {
    if (slots[s].name != object.name) continue;
    const EntityComponent& ec = components_[static_cast<std::size_t>(inst.slot_component[s])];
    auto it = ec.fields.find(ast.name);
    if (it == ec.fields.end()) {
      std::vector<std::string> names;
      for (const auto& f : ec.component->fields) names.push_back(f.name);
      throw CompileError(where(ast, scope), "component `" + ec.component->name + "` (slot `" + object.name +
                                                "`) has no field `" + ast.name + "`" +
                                                text::did_you_mean(ast.name, names) + "; its fields are " +
                                                text::quoted_list(names));
    }
    return field_value(ec, it->second, where(ast, scope));
  }
  std::vector<std::string> names;
  for (const auto& s : slots) names.push_back(s.name);
  throw CompileError(where(object, scope), "unknown slot `" + object.name + "` in system `" + inst.system->name + "`" +
                                               text::did_you_mean(object.name, names) + "; its slots are " +
                                               text::quoted_list(names));
}

Value Compiler::call_function(const Ast& call, std::vector<Value> args, const Scope& scope) {
  const std::string key = call.name + "/" + std::to_string(args.size());
  auto it = functions_.find(key);
  if (it == functions_.end()) {
    std::string arities;
    for (const auto& [k, fn] : functions_) {
      if (fn.name != call.name) continue;
      arities += (arities.empty() ? "" : " or ") + std::to_string(fn.params.size());
    }
    if (!arities.empty())
      throw CompileError(where(call, scope),
                         "`" + call.name + "` takes " + arities + " argument(s), got " + std::to_string(args.size()));
    std::vector<std::string> names = expr::all_function_names();
    for (const auto& [k, fn] : functions_) names.push_back(fn.name);
    throw CompileError(where(call, scope),
                       "unknown function `" + call.name + "`" + text::did_you_mean(call.name, names));
  }
  const Function& fn = it->second;
  if (fn.library) check_library_signature(call, args, scope);
  for (const std::string& active : call_stack_)
    if (active == key)
      throw CompileError(where(call, scope), "function `" + call.name + "` calls itself; recursion is not allowed");
  std::vector<std::pair<std::string, Value>> bound;
  for (std::size_t i = 0; i < args.size(); ++i) bound.emplace_back(fn.params[i], std::move(args[i]));
  call_stack_.push_back(key);
  Scope inner{-1, nullptr, &bound, fn.body_text};
  Value result;
  try {
    result = eval(*fn.body, inner);
  } catch (const CompileError& e) {
    call_stack_.pop_back();
    if (fn.library) throw CompileError(where(call, scope), "in `" + call.name + "`: " + e.what());
    throw;
  }
  call_stack_.pop_back();
  return result;
}

Value Compiler::der_value(const Ast& ast, const Scope& scope) {
  const SourcePos pos = where(ast, scope);
  if (ast.args.size() != 1) throw CompileError(pos, "`der` takes one state, as in `der(a.x)`");
  const Target target = resolve_target(*ast.args[0], scope);
  if (target.slot->kind != model::FieldKind::State)
    throw CompileError(pos, "`" + target.key + "` is not a state; der() applies to states (declare `" + target.key +
                                "` under `states:` if the equation gives its derivative)");
  const model::FieldDecl& decl = *target.slot->decl;
  Value v;
  v.dim = product(field_dim(decl), time_dim(), true);
  v.vector = target.slot->vector && target.element < 0;
  const int first = target.element >= 0 ? target.element : 0;
  const int count = target.element >= 0 ? 1 : target.slot->size;
  const bool stand_in = components_[static_cast<std::size_t>(target.ec)].prototype;
  for (int k = 0; k < count; ++k) {
    // A placeholder leaf per state, past the real states' indices; build_mass() turns it into M's entries.
    const int state = target.slot->index + first + k;
    v.e.push_back(stand_in ? graph_.constant(0.0) : graph_.variable(expr::Op::State, der_offset() + state));
    if (!stand_in) der_used_ = true;
  }
  return v;
}

Value Compiler::eval_call(const Ast& ast, const Scope& scope) {
  const std::string& name = ast.name;
  const SourcePos pos = where(ast, scope);
  if (name == "der" && der_allowed_ && scope.instance >= 0) return der_value(ast, scope);
  if (name == "der")
    throw CompileError(pos,
                       "`der(...)` may only appear in equations: on the left of `+=`, or inside an equation "
                       "such as `0 = C * (der(a.v) - der(b.v)) - i` (not in outputs, events or functions)");
  if (name == "residual")
    throw CompileError(pos, "`" + name + "(...)` may only appear on the left of `+=`, `-=` or `=`");
  if (const expr::SpecialFunction* sf = expr::find_special_function(name)) {
    const int n = static_cast<int>(ast.args.size());
    if (n < sf->min_args || (sf->max_args >= 0 && n > sf->max_args))
      throw CompileError(
          pos, "`" + name + "` takes " +
                   (sf->min_args == sf->max_args ? std::to_string(sf->min_args)
                    : sf->max_args < 0           ? "at least " + std::to_string(sf->min_args)
                                       : std::to_string(sf->min_args) + " to " + std::to_string(sf->max_args)) +
                   " argument(s), got " + std::to_string(n) + ": " + name + "(" + sf->args + "), " + sf->summary);
    if (name == "interp") {
      const Ast& table = *ast.args[1];
      auto tit = table.kind == Ast::Kind::Name ? table_index_.find(table.name) : table_index_.end();
      if (tit == table_index_.end()) {
        std::vector<std::string> names;
        for (const auto& t : doc_.tables) names.push_back(t.name);
        throw CompileError(where(table, scope),
                           "the second argument of `interp` must name a table from `tables:`" +
                               (table.kind == Ast::Kind::Name ? text::did_you_mean(table.name, names) : std::string()) +
                               "; tables: " + text::quoted_list(names));
      }
      const int t = tit->second;
      const model::TableDecl& decl = *std::find_if(doc_.tables.begin(), doc_.tables.end(),
                                                   [&](const model::TableDecl& d) { return d.name == table.name; });
      Value x = eval(*ast.args[0], scope);
      if (!decl.x_unit.empty() && x.dim.is_known() && x.dim.d != decl.x_si.dim) {
        Dim want = Dim::known(decl.x_si.dim);
        want.declared = &decl.x_unit;
        check_target(want, "the argument of table `" + decl.name + "`", x, *ast.args[0], scope);
      }
      Value out = elementwise(ast, scope, {x}, [&](const std::vector<NodeId>& a) { return graph_.interp(t, a[0]); });
      out.dim = decl.y_unit.empty() ? Dim::unknown() : Dim::known(decl.y_si.dim);
      if (!decl.y_unit.empty()) out.dim.declared = &decl.y_unit;
      return out;
    }
    std::vector<Value> args;
    for (const auto& a : ast.args) args.push_back(eval(*a, scope));
    if (name == "if") {
      Value out =
          elementwise(ast, scope, args, [&](const std::vector<NodeId>& a) { return graph_.select(a[0], a[1], a[2]); });
      out.dim = unify(args[1], *ast.args[1], args[2], *ast.args[2], ast, scope, "has branches of");
      return out;
    }
    if (name == "clamp") {
      Value out = elementwise(ast, scope, args, [&](const std::vector<NodeId>& a) {
        return graph_.binary(Op::Min, graph_.binary(Op::Max, a[0], a[1]), a[2]);
      });
      Value lo = args[1];
      lo.dim = unify(args[1], *ast.args[1], args[2], *ast.args[2], ast, scope, "has bounds of");
      out.dim = unify(args[0], *ast.args[0], lo, *ast.args[1], ast, scope, "clamps between");
      return out;
    }
    if (name == "min" || name == "max") {
      const Op op = name == "min" ? Op::Min : Op::Max;
      if (args.size() == 1) {  // reduce a vector
        NodeId acc = args[0].e[0];
        for (std::size_t i = 1; i < args[0].size(); ++i) acc = graph_.binary(op, acc, args[0].e[i]);
        return Value::scalar(acc, args[0].dim);
      }
      Value out = elementwise(ast, scope, args, [&](const std::vector<NodeId>& a) {
        NodeId acc = a[0];
        for (std::size_t i = 1; i < a.size(); ++i) acc = graph_.binary(op, acc, a[i]);
        return acc;
      });
      Value acc = args[0];
      for (std::size_t i = 1; i < args.size(); ++i)
        acc.dim = unify(acc, *ast.args[0], args[i], *ast.args[i], ast, scope, "compares");
      out.dim = acc.dim;
      return out;
    }
    if (name == "sum" || name == "norm") {
      NodeId acc = graph_.constant(0.0);
      for (NodeId e : args[0].e) acc = graph_.add(acc, name == "sum" ? e : graph_.mul(e, e));
      return Value::scalar(name == "sum" ? acc : graph_.unary(Op::Sqrt, acc), args[0].dim);
    }
    if (name == "dot") {
      if (args[0].size() != args[1].size())
        throw CompileError(pos, "`dot` needs two vectors of the same size, got " + std::to_string(args[0].size()) +
                                    " and " + std::to_string(args[1].size()));
      NodeId acc = graph_.constant(0.0);
      for (std::size_t i = 0; i < args[0].size(); ++i) acc = graph_.add(acc, graph_.mul(args[0].e[i], args[1].e[i]));
      return Value::scalar(acc, product(args[0].dim, args[1].dim, false));
    }
  }
  if (const expr::MathFunction* mf = expr::find_math_function(name)) {
    if (static_cast<int>(ast.args.size()) != mf->arity)
      throw CompileError(pos, "`" + name + "` takes " + std::to_string(mf->arity) + " argument(s), got " +
                                  std::to_string(ast.args.size()) + ": " + name + "(" + mf->args + ")");
    std::vector<Value> args;
    for (const auto& a : ast.args) args.push_back(eval(*a, scope));
    Value out = elementwise(ast, scope, args, [&](const std::vector<NodeId>& a) {
      return mf->arity == 1 ? graph_.unary(mf->op, a[0]) : graph_.binary(mf->op, a[0], a[1]);
    });
    out.dim = math_dim(*mf, ast, args, scope);
    return out;
  }
  std::vector<Value> args;
  for (const auto& a : ast.args) args.push_back(eval(*a, scope));
  return call_function(ast, std::move(args), scope);
}

Dim Compiler::binary_dim(const Ast& ast, const Value& l, const Value& r, const Scope& scope) {
  const Ast &la = *ast.args[0], &ra = *ast.args[1];
  switch (ast.binary) {
    case expr::BinaryOp::Add: return unify(l, la, r, ra, ast, scope, "adds");
    case expr::BinaryOp::Sub: return unify(l, la, r, ra, ast, scope, "subtracts");
    case expr::BinaryOp::Mul: return product(l.dim, r.dim, false);
    case expr::BinaryOp::Div: return product(l.dim, r.dim, true);
    case expr::BinaryOp::Pow: return power(l, r, ast, scope);
    case expr::BinaryOp::And:
    case expr::BinaryOp::Or: return Dim::number();
    default: unify(l, la, r, ra, ast, scope, "compares"); return Dim::number();
  }
}

Dim Compiler::math_dim(const expr::MathFunction& mf, const Ast& ast, const std::vector<Value>& args,
                       const Scope& scope) {
  const std::string name = mf.name;
  if (name == "abs" || name == "floor") return args[0].dim;
  if (name == "sign") return Dim::number();
  if (name == "sqrt") {
    const Dim& d = args[0].dim;
    return d.is_known() ? Dim::known(d.d.pow(0.5)) : d;
  }
  if (name == "hypot") return unify(args[0], *ast.args[0], args[1], *ast.args[1], ast, scope, "combines");
  if (name == "atan2") {
    unify(args[0], *ast.args[0], args[1], *ast.args[1], ast, scope, "divides");
    return Dim::known(units::Dimension{});
  }
  if (name == "pow") {
    Value base = args[0], exponent = args[1];
    // power() reads the exponent from the call's second argument, as for `^`.
    return power(base, exponent, ast, scope);
  }
  // exp, log, log10, sin, cos, tan, asin, acos, atan, sinh, cosh, tanh
  return dimensionless_argument(args[0], *ast.args[0], ast, scope);
}

Value Compiler::eval(const Ast& ast, const Scope& scope) {
  switch (ast.kind) {
    case Ast::Kind::Number: {
      if (ast.unit.empty()) return Value::scalar(graph_.constant(ast.number));
      Dim d = Dim::known(ast.unit_si.dim);
      d.declared = &ast.unit;
      return Value::scalar(
          graph_.constant(ast.number * units::internal_factor(ast.unit_si, system_) + ast.unit_si.offset), d);
    }
    case Ast::Kind::Name: return eval_name(ast, scope);
    case Ast::Kind::Member: return eval_member(ast, scope);
    case Ast::Kind::Call: return eval_call(ast, scope);
    case Ast::Kind::Vector: {
      Value v;
      v.vector = true;
      for (std::size_t i = 0; i < ast.args.size(); ++i) {
        Value x = eval(*ast.args[i], scope);
        if (x.vector) eval_scalar(*ast.args[i], scope, "a vector element");  // says why
        v.dim = i == 0 ? x.dim : unify(v, *ast.args[0], x, *ast.args[i], ast, scope, "lists");
        v.e.push_back(x.e[0]);
      }
      return v;
    }
    case Ast::Kind::Index: {
      Value object = eval(*ast.args[0], scope);
      const Ast& index_ast = *ast.args[1];
      const NodeId index_node = eval_scalar(index_ast, scope, "an index");
      double index;
      if (!graph_.is_const(index_node, &index) || index != std::floor(index))
        throw CompileError(where(index_ast, scope), "an index must be a whole-number constant, like `v[0]`");
      if (!object.vector)
        throw CompileError(where(ast, scope),
                           "`" + expr::to_string(*ast.args[0]) + "` is a scalar; it has no elements");
      if (index < 0 || index >= static_cast<double>(object.size()))
        throw CompileError(where(index_ast, scope), "index " + text::format_number(index) + " is out of range: `" +
                                                        expr::to_string(*ast.args[0]) + "` has elements 0 to " +
                                                        std::to_string(object.size() - 1));
      return Value::scalar(object.e[static_cast<std::size_t>(index)], object.dim);
    }
    case Ast::Kind::Unary: {
      Value x = eval(*ast.args[0], scope);
      if (ast.unary == expr::UnaryOp::Plus) return x;
      const Op op = ast.unary == expr::UnaryOp::Neg ? Op::Neg : Op::Not;
      Value out = elementwise(ast, scope, {x}, [&](const std::vector<NodeId>& a) { return graph_.unary(op, a[0]); });
      out.dim = op == Op::Neg ? x.dim : Dim::number();
      return out;
    }
    case Ast::Kind::Binary: {
      static const Op ops[] = {Op::Add, Op::Sub, Op::Mul, Op::Div, Op::Pow, Op::Lt, Op::Le,
                               Op::Gt,  Op::Ge,  Op::Eq,  Op::Ne,  Op::And, Op::Or};
      const Op op = ops[static_cast<int>(ast.binary)];
      Value l = eval(*ast.args[0], scope);
      Value r = eval(*ast.args[1], scope);
      if (op == Op::Div) {
        for (NodeId d : r.e)
          if (graph_.is_zero(d))
            throw CompileError(where(*ast.args[1], scope),
                               "division by zero: `" + expr::to_string(*ast.args[1]) + "` is always 0");
      }
      Value out =
          elementwise(ast, scope, {l, r}, [&](const std::vector<NodeId>& a) { return graph_.binary(op, a[0], a[1]); });
      out.dim = binary_dim(ast, l, r, scope);
      return out;
    }
  }
  throw CompileError(where(ast, scope), "unsupported expression");
}

}  // namespace numen::compile
