// The compiler's driver: functions, world -> instances, equations -> contributions, algebraic matching, events.
#include "compile/compiler.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <set>

#include "common/text.h"
#include "expr/builtins.h"
#include "expr/parser.h"
#include "solve/option_checks.h"

namespace numen::compile {

using expr::Ast;
using expr::NodeId;
using expr::Op;
using model::FieldKind;

Compiler::Compiler(const model::ModelDoc& doc, std::vector<Diagnostic>& diagnostics)
    : doc_(doc), diagnostics_(diagnostics) {}

const std::string& Compiler::file_of(SourcePos pos) const {
  const std::size_t i = static_cast<std::size_t>(pos.file);
  return i > 0 && i < doc_.sources.size() ? doc_.sources[i].path : doc_.file;
}

void Compiler::error(SourcePos pos, const std::string& message, SourcePos end) {
  for (const Diagnostic& d : diagnostics_)
    if (d.pos.line == pos.line && d.pos.column == pos.column && d.pos.file == pos.file && d.message == message) return;
  diagnostics_.push_back(Diagnostic{Diagnostic::Severity::Error, file_of(pos), pos, message, end});
}

void Compiler::warning(SourcePos pos, const std::string& message, SourcePos end) {
  // A system applied to many groups says a thing about its text once.
  for (const Diagnostic& d : out_->warnings)
    if (d.pos.line == pos.line && d.pos.column == pos.column && d.pos.file == pos.file && d.message == message) return;
  diagnostics_.push_back(Diagnostic{Diagnostic::Severity::Warning, file_of(pos), pos, message, end});
  out_->warnings.push_back(diagnostics_.back());
}

namespace {
bool has_errors(const std::vector<Diagnostic>& diagnostics) {
  for (const Diagnostic& d : diagnostics)
    if (d.severity == Diagnostic::Severity::Error) return true;
  return false;
}

}  // namespace

std::shared_ptr<detail::CompiledModel> Compiler::run(const std::string& source) {
  out_ = std::make_shared<detail::CompiledModel>();
  out_->name = doc_.name;
  out_->description = doc_.description;
  out_->file = doc_.file;
  out_->content_hash = text::fnv1a64(source);
  system_.time_scale = doc_.time_si.scale;
  out_->time_unit = doc_.time_unit;
  any_units_ = doc_.time_unit_pos.line > 0 ||
               std::any_of(doc_.components.begin(), doc_.components.end(), [](const model::ComponentDecl& c) {
                 for (const auto& f : c.fields)
                   if (!f.unit.empty()) return true;
                 return false;
               });
  load_functions();
  build_layout();
  apply_overrides();
  build_instances();
  collect_equations();
  if (has_errors(diagnostics_)) return nullptr;
  evaluate_equations();
  match_algebraic();
  build_events();
  build_mass();
  resolve_simulate();
  resolve_view();
  if (has_errors(diagnostics_)) return nullptr;
  assemble();
  return out_;
}

void Compiler::load_functions() {
  auto parse_body = [&](Function& fn, const model::Text& text) -> bool {
    try {
      fn.body = expr::parse_expression(text.text);
      return true;
    } catch (const expr::ParseError& e) {
      error(text.at(e.offset), std::string("in function `") + fn.name + "`: " + e.what());
      return false;
    }
  };
  for (const expr::LibraryFunction& lib : expr::library_functions()) {
    const std::string sig = lib.signature;
    Function fn;
    fn.name = sig.substr(0, sig.find('('));
    std::string params = sig.substr(sig.find('(') + 1, sig.find(')') - sig.find('(') - 1);
    for (std::size_t start = 0;;) {
      std::size_t comma = params.find(',', start);
      std::string p = params.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      p.erase(0, p.find_first_not_of(' '));
      fn.params.push_back(p);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    auto text = std::make_unique<model::Text>();
    text->text = lib.body;
    fn.body_text = text.get();
    fn.library = true;
    parse_body(fn, *text);
    owned_texts_.push_back(std::move(text));
    const std::string key = fn.name + "/" + std::to_string(fn.params.size());
    functions_[key] = std::move(fn);
  }
  for (const model::FunctionDecl& decl : doc_.functions) {
    if (expr::find_math_function(decl.name) || expr::find_special_function(decl.name)) {
      error(decl.pos, "`" + decl.name + "` is a built-in function; give yours another name");
      continue;
    }
    const std::string key = decl.name + "/" + std::to_string(decl.params.size());
    auto existing = functions_.find(key);
    if (existing != functions_.end() && existing->second.library) {
      error(decl.pos, "`" + decl.name + "` with " + std::to_string(decl.params.size()) +
                          " arguments is in the built-in library; give yours another name");
      continue;
    }
    Function fn;
    fn.name = decl.name;
    fn.params = decl.params;
    fn.body_text = &decl.body;
    if (parse_body(fn, decl.body)) functions_[key] = std::move(fn);
  }
  // Tables hold coherent values, like every field.
  auto coherent = [&](std::vector<double> v, const std::string& unit, const units::Unit& u) {
    if (!unit.empty())
      for (double& x : v) x = x * units::internal_factor(u, system_) + u.offset;
    return v;
  };
  for (const model::TableDecl& t : doc_.tables)
    table_index_[t.name] = graph_.add_table(coherent(t.x, t.x_unit, t.x_si), coherent(t.y, t.y_unit, t.y_si));
}

void Compiler::build_instances() {
  std::vector<std::string> system_names, entity_names;
  for (const auto& s : doc_.systems) system_names.push_back(s.name);
  for (const auto& e : doc_.entities) entity_names.push_back(e.name);
  const std::set<std::string> entity_set(entity_names.begin(), entity_names.end());

  auto slot_list = [](const model::SystemDecl& sys) {
    std::string s;
    for (const auto& slot : sys.slots) s += (s.empty() ? "" : ", ") + slot.name + ": " + slot.component;
    return "[" + s + "]";
  };
  auto add_instance = [&](const model::SystemDecl& sys, std::vector<int> slot_component, const std::string& names) {
    Instance inst;
    inst.system = &sys;
    inst.slot_component = std::move(slot_component);
    inst.label = "system `" + sys.name + "` on [" + names + "]";
    instances_.push_back(std::move(inst));
  };
  // Every slot must name a declared component.
  bool slots_ok = true;
  for (const model::SystemDecl& sys : doc_.systems) {
    for (const model::SlotDecl& slot : sys.slots) {
      if (doc_.find_component(slot.component)) continue;
      std::vector<std::string> names;
      for (const auto& c : doc_.components) names.push_back(c.name);
      error(slot.component_pos, "slot `" + slot.name + "` of system `" + sys.name + "` names unknown component `" +
                                    slot.component + "`" + text::did_you_mean(slot.component, names));
      slots_ok = false;
    }
  }
  if (!slots_ok) return;

  auto automatic = [&](const model::SystemDecl& sys, SourcePos pos) {
    int matched = 0;
    for (const model::EntityDecl& ent : doc_.entities) {
      std::vector<int> binding;
      for (const model::SlotDecl& slot : sys.slots) {
        auto it = component_index_.find(ent.name + "." + slot.component);
        if (it == component_index_.end()) break;
        binding.push_back(it->second);
      }
      if (binding.size() != sys.slots.size()) continue;
      add_instance(sys, std::move(binding), ent.name);
      ++matched;
    }
    if (matched == 0 && !sys.from_library)
      warning(pos, "system `" + sys.name + "` matches no entity: none carries all of " + slot_list(sys));
  };

  if (!doc_.has_world) {  // no world section: every system applies wherever it fits
    for (const model::SystemDecl& sys : doc_.systems) automatic(sys, sys.pos);
    add_prototypes();
    return;
  }
  std::set<std::string> used;
  for (const model::WorldEntry& w : doc_.world) {
    const model::SystemDecl* sys = doc_.find_system(w.system);
    if (!sys) {
      error(w.pos, "`world` uses unknown system `" + w.system + "`" + text::did_you_mean(w.system, system_names) +
                       "; systems: " + text::quoted_list(system_names));
      continue;
    }
    if (!used.insert(w.system).second) {
      error(w.pos, "system `" + w.system + "` appears twice in `world`; list all its groups in one entry");
      continue;
    }
    if (w.automatic) {
      automatic(*sys, w.pos);
      continue;
    }
    for (std::size_t g = 0; g < w.groups.size(); ++g) {
      const auto& group = w.groups[g];
      if (group.size() != sys->slots.size()) {
        error(w.group_pos[g], "system `" + sys->name + "` has " + std::to_string(sys->slots.size()) + " slot(s) " +
                                  slot_list(*sys) + " but this group lists " + std::to_string(group.size()) + " entit" +
                                  (group.size() == 1 ? "y" : "ies"));
        continue;
      }
      std::vector<int> binding;
      std::string names;
      for (std::size_t s = 0; s < group.size(); ++s) {
        const model::SlotDecl& slot = sys->slots[s];
        const std::string& entity = group[s].entity;
        names += (s ? ", " : "") + entity;
        if (!entity_set.count(entity)) {
          error(group[s].pos, "unknown entity `" + entity + "`" + text::did_you_mean(entity, entity_names));
          continue;
        }
        auto it = component_index_.find(entity + "." + slot.component);
        if (it == component_index_.end()) {
          error(group[s].pos, "entity `" + entity + "` has no component `" + slot.component + "`, which slot `" +
                                  slot.name + "` of system `" + sys->name + "` needs");
          continue;
        }
        binding.push_back(it->second);
      }
      if (binding.size() == group.size()) add_instance(*sys, std::move(binding), names);
    }
  }
  for (const model::SystemDecl& sys : doc_.systems)
    if (!used.count(sys.name) && !sys.from_library)
      warning(sys.pos, "system `" + sys.name + "` is not listed in `world`, so it applies nowhere; add `" + sys.name +
                           ": auto` or its groups");
  add_prototypes();
}

void Compiler::add_prototypes() {
  // A system that applies to no entity is still checked: bind its slots to stand-ins of their components.
  std::set<const model::SystemDecl*> bound;
  for (const Instance& inst : instances_) bound.insert(inst.system);
  for (const model::SystemDecl& sys : doc_.systems) {
    // A library's systems that a model does not use are not its to check (each library's own test models do);
    // stand-ins would see inputs the model never wires (a chamber's volume) as zero.
    if (bound.count(&sys) || sys.from_library) continue;
    Instance inst;
    inst.system = &sys;
    inst.prototype = true;
    inst.label = "system `" + sys.name + "` (checked; it applies to no entity)";
    for (const model::SlotDecl& slot : sys.slots) {
      EntityComponent ec;
      ec.prototype = true;
      ec.entity_name = slot.name;
      ec.component = doc_.find_component(slot.component);
      for (const model::FieldDecl& f : ec.component->fields)
        ec.fields[f.name] = FieldSlot{f.kind, 0, static_cast<int>(f.value.size()), f.is_vector, &f};
      inst.slot_component.push_back(static_cast<int>(components_.size()));
      components_.push_back(std::move(ec));
    }
    instances_.push_back(std::move(inst));
  }
}

Compiler::Target Compiler::resolve_target(const Ast& ast, const Scope& scope) {
  const Ast* member = &ast;
  int element = -1;
  if (ast.kind == Ast::Kind::Index) {
    member = ast.args[0].get();
    const NodeId index = eval_scalar(*ast.args[1], scope, "an index");
    double v;
    if (!graph_.is_const(index, &v) || v != std::floor(v) || v < 0)
      throw CompileError(where(*ast.args[1], scope), "an index must be a whole-number constant, like `x[0]`");
    element = static_cast<int>(v);
  }
  if (member->kind != Ast::Kind::Member || member->args[0]->kind != Ast::Kind::Name)
    throw CompileError(where(ast, scope),
                       "expected a field such as `a.velocity` here, found `" + expr::to_string(ast) + "`");
  const Instance& inst = instances_[static_cast<std::size_t>(scope.instance)];
  const std::string& slot_name = member->args[0]->name;
  for (std::size_t s = 0; s < inst.system->slots.size(); ++s) {
    if (inst.system->slots[s].name != slot_name) continue;
    const int ec_index = inst.slot_component[s];
    const EntityComponent& ec = components_[static_cast<std::size_t>(ec_index)];
    auto it = ec.fields.find(member->name);
    if (it == ec.fields.end()) {
      std::vector<std::string> names;
      for (const auto& f : ec.component->fields) names.push_back(f.name);
      throw CompileError(where(*member, scope), "component `" + ec.component->name + "` has no field `" + member->name +
                                                    "`" + text::did_you_mean(member->name, names));
    }
    if (element >= it->second.size || (element >= 0 && !it->second.vector))
      throw CompileError(where(ast, scope), "`" + ec.key(member->name) + "` has " +
                                                (it->second.vector ? std::to_string(it->second.size) + " elements"
                                                                   : std::string("no elements (it is a scalar)")));
    return Target{ec_index, &it->second, element, ec.key(member->name)};
  }
  std::vector<std::string> names;
  for (const auto& s : inst.system->slots) names.push_back(s.name);
  throw CompileError(where(*member->args[0], scope),
                     "unknown slot `" + slot_name + "`" + text::did_you_mean(slot_name, names));
}

void Compiler::collect_equations() {
  out_->features.vector_fields = false;
  state_terms_.assign(out_->states.size(), {});
  // Parse each system's lines once; report syntax errors once.
  for (const model::SystemDecl& sys : doc_.systems) {
    auto& lines = parsed_[&sys];
    std::set<std::string> locals;
    for (const model::Text& text : sys.equations) {
      ParsedLine line;
      line.text = &text;
      try {
        line.statement = expr::parse_statement(text.text);
        line.ok = true;
      } catch (const expr::ParseError& e) {
        error(text.at(e.offset), e.what());
      }
      if (line.ok && line.statement.lhs && line.statement.lhs->kind == Ast::Kind::Name) {
        const std::string& name = line.statement.lhs->name;
        if (line.statement.op != expr::AssignOp::Set) {
          error(text.at(line.statement.op_offset),
                "a local definition uses `=`; `+=` and `-=` need a target such as "
                "`der(a.velocity)` or an output `a.power`");
          line.ok = false;
        } else if (!locals.insert(name).second) {
          error(text.at(0), "`" + name + "` is defined twice in system `" + sys.name + "`");
          line.ok = false;
        } else {
          double c;
          bool is_slot = false;
          for (const auto& s : sys.slots) is_slot = is_slot || s.name == name;
          if (is_slot || name == "t" || expr::find_constant(name, &c)) {
            error(text.at(0), "`" + name + "` is " + (is_slot ? "a slot of this system" : "built in") +
                                  "; give the local definition another name");
            line.ok = false;
          }
        }
      }
      if (line.ok && !line.statement.lhs) {
        error(text.at(0),
              "this line has no `=`: an equation is `der(a.x) += ...`, `name = ...`, `a.output = ...` "
              "or `0 = ...`");
        line.ok = false;
      }
      lines.push_back(std::move(line));
    }
  }

  for (std::size_t i = 0; i < instances_.size(); ++i) {
    Instance& inst = instances_[i];
    const auto& lines = parsed_[inst.system];
    for (const ParsedLine& line : lines) {
      if (!line.ok || line.statement.lhs->kind != Ast::Kind::Name) continue;
      Local local;
      local.ast = line.statement.rhs.get();
      local.text = line.text;
      local.pos = line.text->at(0);
      inst.locals[line.statement.lhs->name] = local;
    }
    const Scope scope{static_cast<int>(i), nullptr, nullptr, nullptr};
    for (const ParsedLine& line : lines) {
      if (!line.ok) continue;
      const expr::Statement& st = line.statement;
      const Ast& lhs = *st.lhs;
      if (lhs.kind == Ast::Kind::Name) continue;
      Scope at{scope.instance, nullptr, nullptr, line.text};
      Contribution c;
      c.instance = static_cast<int>(i);
      c.ast = st.rhs.get();
      c.text = line.text;
      c.sign = st.op == expr::AssignOp::Subtract ? -1.0 : 1.0;
      c.exclusive = st.op == expr::AssignOp::Set;
      c.pos = line.text->at(lhs.offset);
      c.lhs = st.lhs.get();
      try {
        const bool is_der = lhs.kind == Ast::Kind::Call && lhs.name == "der";
        const bool is_res = lhs.kind == Ast::Kind::Call && lhs.name == "residual";
        if (is_der || is_res) {
          if (lhs.args.size() != 1)
            throw CompileError(c.pos, "`" + lhs.name + "` takes one field, as in `" + lhs.name + "(a.x)`");
          const Target target = resolve_target(*lhs.args[0], at);
          const FieldKind want = is_der ? FieldKind::State : FieldKind::Algebraic;
          if (target.slot->kind != want) {
            const bool vowel = target.slot->kind == FieldKind::Algebraic || target.slot->kind == FieldKind::Output;
            std::string msg = "`" + target.key + "` is " + (vowel ? "an " : "a ") + model::to_string(target.slot->kind);
            if (is_der)
              msg += target.slot->kind == FieldKind::Parameter ? ", constant during a solve; der() applies to states"
                     : target.slot->kind == FieldKind::Algebraic
                         ? ", which has no derivative; write `0 = ...` or `residual(" + target.key + ") += ...`"
                         : "; der() applies to states";
            else msg += "; residual() applies to algebraic variables";
            throw CompileError(c.pos, msg);
          }
          c.element = target.element;
          if (inst.prototype) prototype_checks_.push_back(c);
          else state_terms_[static_cast<std::size_t>(target.slot->index)].push_back(c);
          continue;
        }
        if (lhs.kind == Ast::Kind::Member || lhs.kind == Ast::Kind::Index) {
          const Target target = resolve_target(lhs, at);
          switch (target.slot->kind) {
            case FieldKind::Output:
              c.element = target.element;
              if (inst.prototype) prototype_checks_.push_back(c);
              else
                output_terms_[components_[static_cast<std::size_t>(target.ec)].key(target.slot->decl->name)].push_back(
                    c);
              continue;
            case FieldKind::Algebraic:
              if (st.op != expr::AssignOp::Set)
                throw CompileError(c.pos, "an algebraic equation uses `=`; for contributions write `residual(" +
                                              target.key + ") += ...`");
              if (inst.prototype) prototype_checks_.push_back(c);
              else free_residuals_.emplace_back(c, 0);
              continue;
            case FieldKind::State:
              throw CompileError(c.pos, "`" + target.key + "` is a state: give its derivative with `der(" + target.key +
                                            ") += ...` (states change only by integration and events)");
            case FieldKind::Parameter:
              throw CompileError(c.pos, "`" + target.key +
                                            "` is a parameter, constant during a solve; compute a "
                                            "local definition or an output instead");
            case FieldKind::Discrete:
              throw CompileError(c.pos, "`" + target.key +
                                            "` is a discrete variable; it changes only in events "
                                            "(`events: - every: ... do: [...]`)");
            case FieldKind::Port:
              throw CompileError(c.pos, "`" + target.key + "` is an input port; its value comes from the excitation");
          }
        }
        if (st.op != expr::AssignOp::Set)
          throw CompileError(c.pos, "`+=` and `-=` need a target: `der(a.x)`, `residual(a.z)` or an output `a.y`");
        if (inst.prototype) prototype_checks_.push_back(c);
        else free_residuals_.emplace_back(c, 0);  // `lhs = rhs` as the algebraic equation 0 = lhs - rhs
      } catch (const CompileError& e) {
        error(e.pos, e.what(), e.end);
      }
    }
  }
}

Value Compiler::sum_contributions(const std::vector<Contribution>& list, std::size_t size, bool vector,
                                  const Dim& want) {
  Value total;
  total.vector = vector;
  total.e.assign(size, graph_.constant(0.0));
  total.dim = want;
  const Contribution* first = nullptr;
  for (const Contribution& c : list) {
    Scope scope{c.instance, nullptr, nullptr, c.text};
    Value v = eval(*c.ast, scope);
    if (want.is_known()) {
      check_target(want, "`" + expr::to_string(*c.lhs) + "`", v, *c.ast, scope);
    } else if (first) {  // residual contributions: like terms of one sum
      Value earlier = total;
      total.dim = unify(earlier, *first->ast, v, *c.ast, *c.ast, scope, "adds to the residual");
    } else {
      total.dim = v.dim;
      first = &c;
    }
    auto add = [&](std::size_t i, NodeId n) {
      total.e[i] = c.sign > 0 ? graph_.add(total.e[i], n) : graph_.sub(total.e[i], n);
    };
    if (c.element >= 0) {
      if (v.vector) throw CompileError(c.text->at(c.ast->offset), "an element takes a scalar, got a vector");
      add(static_cast<std::size_t>(c.element), v.e[0]);
    } else if (!v.vector) {
      for (std::size_t i = 0; i < size; ++i) add(i, v.e[0]);
    } else if (v.size() == size && vector) {
      for (std::size_t i = 0; i < size; ++i) add(i, v.e[i]);
    } else {
      throw CompileError(c.text->at(c.ast->offset), "the right-hand side has " + std::to_string(v.size()) +
                                                        " elements but the target has " + std::to_string(size));
    }
  }
  return total;
}

Value Compiler::output_value(int ec_index, const std::string& field, SourcePos pos) {
  const EntityComponent& ec = components_[static_cast<std::size_t>(ec_index)];
  const std::string key = ec.key(field);
  int& status = output_status_[key];
  if (status == 2) return output_values_[key];
  if (status == 1) throw CompileError(pos, "circular definition: output `" + key + "` depends on itself");
  status = 1;
  const FieldSlot& slot = ec.fields.at(field);
  Value v;
  try {
    v = sum_contributions(output_terms_[key], static_cast<std::size_t>(slot.size), slot.vector, field_dim(*slot.decl));
  } catch (...) {
    output_status_[key] = 0;
    throw;
  }
  output_status_[key] = 2;
  output_values_[key] = v;
  return v;
}

void Compiler::evaluate_equations() {
  detail::CompiledModel& m = *out_;
  f_.assign(m.states.size(), graph_.constant(0.0));
  has_equation_.assign(m.states.size(), 0);
  std::vector<char>& has_equation = has_equation_;
  row_pos_.assign(m.states.size(), SourcePos{});
  der_allowed_ = true;  // in equations der() may stand inside expressions; outputs, port gains and events: no
  for (const Contribution& c : prototype_checks_) {
    try {
      Scope scope{c.instance, nullptr, nullptr, c.text};
      eval(*c.ast, scope);
      if (c.lhs->kind != Ast::Kind::Call) eval(*c.lhs, scope);
    } catch (const CompileError& e) {
      error(e.pos, e.what(), e.end);
    }
  }
  // Derivatives and residual contributions, field by field.
  for (const EntityComponent& ec : components_) {
    if (ec.prototype) continue;
    for (const auto& [name, slot] : ec.fields) {
      if (slot.kind != FieldKind::State && slot.kind != FieldKind::Algebraic) continue;
      const auto& terms = state_terms_[static_cast<std::size_t>(slot.index)];
      if (terms.empty()) continue;
      int exclusive = 0;
      for (const Contribution& c : terms) exclusive += c.exclusive ? 1 : 0;
      if (exclusive > 0 && terms.size() > 1) {
        const Contribution& first = *std::find_if(terms.begin(), terms.end(), [](auto& c) { return c.exclusive; });
        error(first.pos, "`" + ec.key(name) + "` is set with `=` here but has " + std::to_string(terms.size() - 1) +
                             " other contribution(s); use `+=` everywhere to add them up");
        continue;
      }
      for (int i = 0; i < slot.size; ++i) has_equation[static_cast<std::size_t>(slot.index + i)] = 1;
      try {
        Dim want = Dim::unknown();  // residual(z) += ...: any unit, alike in every term
        if (slot.kind == FieldKind::State) want = product(field_dim(*slot.decl), time_dim(), true);
        Value v = sum_contributions(terms, static_cast<std::size_t>(slot.size), slot.vector, want);
        for (int i = 0; i < slot.size; ++i)
          f_[static_cast<std::size_t>(slot.index + i)] = v.e[static_cast<std::size_t>(i)];
        const Contribution& first = terms.front();
        const SourcePos p = first.pos;
        for (int i = 0; i < slot.size; ++i) row_pos_[static_cast<std::size_t>(slot.index + i)] = p;
        for (int i = 0; i < slot.size; ++i)
          m.state_origin[static_cast<std::size_t>(slot.index + i)] =
              m.states[static_cast<std::size_t>(slot.index + i)].key + " (equation at " + file_of(p) + ":" +
              std::to_string(p.line) + ")";
      } catch (const CompileError& e) {
        error(e.pos, e.what(), e.end);
      }
    }
  }
  der_allowed_ = false;
  // Ports add gain * u to their target's derivative.
  for (const EntityComponent& ec : components_) {
    if (ec.prototype) continue;
    for (const auto& [name, slot] : ec.fields) {
      if (slot.kind != FieldKind::Port) continue;
      const model::FieldDecl& port = *slot.decl;
      auto target = ec.fields.find(port.target);
      if (target == ec.fields.end() || target->second.kind != FieldKind::State) {
        std::vector<std::string> states;
        for (const auto& f : ec.component->fields)
          if (f.kind == FieldKind::State) states.push_back(f.name);
        error(port.target_pos, "port `" + name + "` targets `" + port.target +
                                   "`, which is not a state of component `" + ec.component->name + "`" +
                                   text::did_you_mean(port.target, states) + "; states: " + text::quoted_list(states));
        continue;
      }
      if (target->second.vector) {
        error(port.target_pos, "port `" + name + "` targets the vector `" + port.target + "`; target one scalar state");
        continue;
      }
      try {
        NodeId gain = graph_.constant(1.0);
        Dim gain_dim = Dim::number();
        if (port.gain) {
          Scope scope{-1, &ec, nullptr, &*port.gain};
          const expr::AstPtr gain_ast = expr::parse_expression(port.gain->text);
          Value g = eval(*gain_ast, scope);
          gain = eval_scalar(*gain_ast, scope, "a port gain");
          gain_dim = g.dim;
          const Dim drive = product(gain_dim, field_dim(port), false);
          const Dim want = product(field_dim(*target->second.decl), time_dim(), true);
          if (drive.is_known() && want.is_known() && drive.d != want.d)
            unit_problem(*gain_ast, scope,
                         "port `" + name + "` adds gain * u to der(" + port.target + "), which is " +
                             units::describe(want.d) + ", but the gain `" + port.gain->text + "` times u (" +
                             port.unit + ") is " + units::describe(drive.d) + "; give the gain the unit of der(" +
                             port.target + ") per unit of u");
        } else {
          const Dim drive = field_dim(port);
          const Dim want = product(field_dim(*target->second.decl), time_dim(), true);
          if (drive.is_known() && want.is_known() && drive.d != want.d)
            error(port.unit_pos, "port `" + name + "` drives der(" + port.target + "), which is " +
                                     units::describe(want.d) + ", but u is in `" + port.unit + "`, " +
                                     units::describe(drive.d) +
                                     "; give the port that unit, or a `gain` that converts it (such as `1/mass`)");
        }
        const auto index = static_cast<std::size_t>(target->second.index);
        f_[index] = graph_.add(f_[index], graph_.mul(gain, graph_.variable(Op::Input, slot.index)));
        has_equation[index] = 1;
      } catch (const expr::ParseError& e) {
        error(port.gain->at(e.offset), e.what());
      } catch (const CompileError& e) {
        error(e.pos, e.what(), e.end);
      }
    }
  }
  // Outputs (all of them, even those no equation reads).
  outputs_.assign(m.outputs.size(), graph_.constant(0.0));
  for (std::size_t c = 0; c < components_.size(); ++c) {
    if (components_[c].prototype) continue;
    for (const auto& [name, slot] : components_[c].fields) {
      if (slot.kind != FieldKind::Output) continue;
      const std::string key = components_[c].key(name);
      if (output_terms_[key].empty())
        warning(slot.decl->pos, "output `" + key + "` has no equation; it reads 0 (write `slot." + name + " = ...`)");
      try {
        Value v = output_value(static_cast<int>(c), name, slot.decl->pos);
        for (int i = 0; i < slot.size; ++i)
          outputs_[static_cast<std::size_t>(slot.index + i)] = v.e[static_cast<std::size_t>(i)];
      } catch (const CompileError& e) {
        error(e.pos, e.what(), e.end);
      }
    }
  }
  // Local definitions that no equation uses still have to be correct.
  der_allowed_ = true;
  for (std::size_t i = 0; i < instances_.size(); ++i) {
    for (auto& [name, local] : instances_[i].locals) {
      if (local.status == 2) continue;
      try {
        local_value(local, static_cast<int>(i), name);
      } catch (const CompileError& e) {
        error(e.pos, e.what(), e.end);
      }
    }
  }
  // Free-standing algebraic equations: 0 = lhs - rhs.
  for (auto& [c, unused] : free_residuals_) {
    Scope scope{c.instance, nullptr, nullptr, c.text};
    const std::size_t before = free_residual_nodes_.size();
    try {
      const NodeId l = eval_scalar(*c.lhs, scope, "an algebraic equation's left side");
      const NodeId r = eval_scalar(*c.ast, scope, "an algebraic equation's right side");
      free_residual_nodes_.push_back(graph_.sub(l, r));
      // The equation stands (its unknown is matched) whatever its units say.
      const Value lv = eval(*c.lhs, scope), rv = eval(*c.ast, scope);
      if (lv.dim.is_known() && rv.dim.is_known() && lv.dim.d != rv.dim.d)
        check_target(lv.dim, "the left side `" + expr::to_string(*c.lhs) + "`", rv, *c.ast, scope);
    } catch (const CompileError& e) {
      error(e.pos, e.what(), e.end);
      if (free_residual_nodes_.size() == before) free_residual_nodes_.push_back(graph_.constant(0.0));
    }
  }
  der_allowed_ = false;
  for (std::size_t k = 0; k < outputs_.size(); ++k)
    if (der_used_ && mentions_der(outputs_[k])) {
      error(m.outputs[k].pos, "output `" + m.outputs[k].key +
                                  "` uses der() (through a local definition): outputs "
                                  "are computed from states, so write the derivative's expression instead");
      outputs_[k] = graph_.constant(0.0);
    }
}

bool Compiler::mentions_der(NodeId root) const {
  if (!(graph_[root].depends_on & expr::kDependsOnState)) return false;
  std::vector<NodeId> stack{root};
  std::set<NodeId> seen;
  while (!stack.empty()) {
    const NodeId id = stack.back();
    stack.pop_back();
    if (!seen.insert(id).second) continue;
    if (is_der_placeholder(id)) return true;
    const expr::Node& node = graph_[id];
    if (!(node.depends_on & expr::kDependsOnState)) continue;
    const bool table = node.op == Op::Interp || node.op == Op::InterpSlope;
    for (NodeId c : {node.a, table ? NodeId{-1} : node.b, node.c})
      if (c >= 0) stack.push_back(c);
  }
  return false;
}

void Compiler::match_algebraic() {
  detail::CompiledModel& m = *out_;
  // The unknowns that free equations determine: algebraic variables without `residual(...)` contributions, and
  // states without a `der(x) += ...` whose der() appears inside equations (a capacitor's voltage in its nodes'
  // equations). Each equation solves for one unknown it involves: an algebraic variable by its value, an implicit
  // state by its derivative (maximum bipartite matching, augmenting paths). This is the structural test of index 1:
  // an equation that involves no such unknown constrains the states themselves (index 2 or more).
  std::vector<char> explicit_residual(m.states.size(), 0);  // fields with residual(...) contributions
  for (const EntityComponent& ec : components_)
    for (const auto& [name, slot] : ec.fields)
      if (!ec.prototype && slot.kind == FieldKind::Algebraic &&
          !state_terms_[static_cast<std::size_t>(slot.index)].empty())
        for (int i = 0; i < slot.size; ++i) explicit_residual[static_cast<std::size_t>(slot.index + i)] = 1;
  const std::size_t n_eq = free_residual_nodes_.size();
  const int n = der_offset();
  derivative_row_.assign(m.states.size(), 0);
  for (std::size_t i = 0; i < m.states.size(); ++i) derivative_row_[i] = m.differential_mask[i] && has_equation_[i];
  std::vector<int> pool;
  std::vector<int> pool_position(m.states.size(), -1);
  auto add_to_pool = [&](int i) {
    if (pool_position[static_cast<std::size_t>(i)] >= 0) return;
    pool_position[static_cast<std::size_t>(i)] = static_cast<int>(pool.size());
    pool.push_back(i);
  };
  for (std::size_t i = 0; i < m.states.size(); ++i)
    if (!m.differential_mask[i] && !explicit_residual[i]) add_to_pool(static_cast<int>(i));
  std::vector<std::vector<int>> involves(n_eq);
  std::vector<std::vector<int>> constrains(n_eq);  // states an equation involves by value only (for messages)
  for (std::size_t e = 0; e < n_eq; ++e) {
    std::vector<NodeId> stack{free_residual_nodes_[e]};
    std::set<NodeId> seen;
    std::vector<int> derivatives, values;
    while (!stack.empty()) {
      const NodeId id = stack.back();
      stack.pop_back();
      if (!seen.insert(id).second) continue;
      const expr::Node& node = graph_[id];
      if (node.op == Op::State) {
        if (node.index >= n) {
          const int state = node.index - n;
          if (!has_equation_[static_cast<std::size_t>(state)]) derivatives.push_back(state);
        } else if (!m.differential_mask[static_cast<std::size_t>(node.index)]) {
          values.push_back(node.index);
        } else {
          constrains[e].push_back(node.index);
        }
      }
      const bool table = node.op == Op::Interp || node.op == Op::InterpSlope;
      for (NodeId c : {node.a, table ? NodeId{-1} : node.b, node.c})
        if (c >= 0) stack.push_back(c);
    }
    for (int state : derivatives) add_to_pool(state);
    std::sort(derivatives.begin(), derivatives.end());
    std::sort(values.begin(), values.end());
    for (int v : derivatives) involves[e].push_back(pool_position[static_cast<std::size_t>(v)]);
    for (int v : values)
      if (pool_position[static_cast<std::size_t>(v)] >= 0)
        involves[e].push_back(pool_position[static_cast<std::size_t>(v)]);
    std::sort(constrains[e].begin(), constrains[e].end());
    constrains[e].erase(std::unique(constrains[e].begin(), constrains[e].end()), constrains[e].end());
  }
  std::vector<int> var_eq(pool.size(), -1), eq_var(n_eq, -1);
  std::function<bool(std::size_t, std::vector<char>&)> augment = [&](std::size_t e, std::vector<char>& visited) {
    for (int v : involves[e]) {
      if (visited[static_cast<std::size_t>(v)]) continue;
      visited[static_cast<std::size_t>(v)] = 1;
      if (var_eq[static_cast<std::size_t>(v)] < 0 ||
          augment(static_cast<std::size_t>(var_eq[static_cast<std::size_t>(v)]), visited)) {
        var_eq[static_cast<std::size_t>(v)] = static_cast<int>(e);
        eq_var[e] = v;
        return true;
      }
    }
    return false;
  };
  for (std::size_t e = 0; e < n_eq; ++e) {
    std::vector<char> visited(pool.size(), 0);
    augment(e, visited);
  }
  auto names = [&](const std::vector<int>& indices) {
    std::vector<std::string> out;
    for (int i : indices) out.push_back(m.states[static_cast<std::size_t>(i)].key);
    return text::quoted_list(out);
  };
  const std::size_t unknowns = pool.size();
  std::size_t unmatched_equations = 0;
  for (std::size_t e = 0; e < n_eq; ++e) unmatched_equations += eq_var[e] < 0 ? 1 : 0;
  const std::string count = std::to_string(n_eq) + " equation(s) without `der(x) +=` for " + std::to_string(unknowns) +
                            " unknown(s) they must determine";
  for (std::size_t e = 0; e < n_eq; ++e) {
    const Contribution& c = free_residuals_[e].first;
    if (eq_var[e] >= 0) {
      const int row = pool[static_cast<std::size_t>(eq_var[e])];
      f_[static_cast<std::size_t>(row)] = free_residual_nodes_[e];
      row_pos_[static_cast<std::size_t>(row)] = c.pos;
      has_equation_[static_cast<std::size_t>(row)] = 1;
      continue;
    }
    if (involves[e].empty() && !constrains[e].empty())
      error(c.pos, "this equation gives no derivative and no algebraic variable: it constrains the states " +
                       names(constrains[e]) +
                       " themselves, which makes the system of higher index (index 2 or more); numen solves index-1 "
                       "systems: differentiate the constraint (write it on velocities or currents), or make one of "
                       "those states an algebraic variable");
    else if (involves[e].empty())
      error(c.pos,
            "this algebraic equation involves no algebraic variable (without its own `residual`); "
            "declare the unknown it determines under `algebraics:`");
    else
      error(
          c.pos, "this equation has no unknown left to determine (" + count + "): the unknowns it involves, " + [&] {
            std::vector<int> vars;
            for (int v : involves[e]) vars.push_back(pool[static_cast<std::size_t>(v)]);
            return names(vars);
          }() + ", are determined by other equations; remove an equation or add an unknown");
  }
  for (std::size_t v = 0; v < pool.size(); ++v) {
    if (var_eq[v] >= 0) continue;
    const Variable& var = m.states[static_cast<std::size_t>(pool[v])];
    if (m.differential_mask[static_cast<std::size_t>(pool[v])])
      error(var.pos, "the derivative of state `" + var.key +
                         "` appears inside equations, but none of them is left "
                         "to determine it (" +
                         count + "); add an equation, or give it with `der(slot." +
                         var.key.substr(var.key.rfind('.') + 1) + ") += ...`");
    else
      error(var.pos, "algebraic variable `" + var.key + "` has no equation" +
                         (unmatched_equations > 0 || n_eq != unknowns ? " (" + count + ")" : std::string()) +
                         "; add one that involves it, such as `0 = ...` in a system, or `residual(slot." +
                         var.key.substr(var.key.rfind('.') + 1) + ") += ...`");
  }
  for (std::size_t i = 0; i < m.states.size(); ++i)
    if (!has_equation_[i] && m.differential_mask[i]) derivative_row_[i] = 1;  // x' = 0
  for (std::size_t i = 0; i < m.states.size(); ++i)
    if (!has_equation_[i] && m.differential_mask[i])
      warning(m.states[i].pos, "state `" + m.states[i].key + "` has no equation; it stays at its initial value");
}

void Compiler::build_events() {
  detail::CompiledModel& m = *out_;
  auto compile_actions = [&](const Instance& inst, int inst_index, const model::EventDecl& ev,
                             detail::EventSpec& spec) -> std::vector<NodeId> {
    std::vector<NodeId> values;
    for (const model::Text& text : ev.actions) {
      Scope scope{inst_index, nullptr, nullptr, &text};
      try {
        expr::Statement st = expr::parse_statement(text.text);
        if (!st.lhs)
          throw CompileError(text.at(0),
                             "an action assigns a state or discrete variable, as in `b.velocity = "
                             "-b.e * b.velocity`");
        const Target target = resolve_target(*st.lhs, scope);
        const bool is_state = target.slot->kind == FieldKind::State;
        if (!is_state && target.slot->kind != FieldKind::Discrete)
          throw CompileError(
              text.at(st.lhs->offset),
              "`" + target.key + "` is a" +
                  (target.slot->kind == FieldKind::Algebraic || target.slot->kind == FieldKind::Output ? "n " : " ") +
                  model::to_string(target.slot->kind) + "; events assign states and discrete variables only");
        Value rhs = eval(*st.rhs, scope);
        check_target(field_dim(*target.slot->decl), "`" + target.key + "`", rhs, *st.rhs, scope);
        Value old = field_value(components_[static_cast<std::size_t>(target.ec)], *target.slot, SourcePos{});
        const int first = target.element >= 0 ? target.element : 0;
        const int count = target.element >= 0 ? 1 : target.slot->size;
        if (rhs.vector && static_cast<int>(rhs.size()) != count)
          throw CompileError(text.at(st.rhs->offset), "the value has " + std::to_string(rhs.size()) +
                                                          " elements but `" + target.key + "` has " +
                                                          std::to_string(count));
        for (int i = 0; i < count; ++i) {
          NodeId v = rhs.e[rhs.vector ? static_cast<std::size_t>(i) : 0];
          const NodeId prev = old.e[static_cast<std::size_t>(first + i)];
          if (st.op == expr::AssignOp::Add) v = graph_.add(prev, v);
          if (st.op == expr::AssignOp::Subtract) v = graph_.sub(prev, v);
          values.push_back(v);
          spec.targets.push_back(
              detail::ActionTarget{is_state ? detail::ActionTarget::Kind::State : detail::ActionTarget::Kind::Discrete,
                                   target.slot->index + first + i});
        }
      } catch (const expr::ParseError& e) {
        error(text.at(e.offset), e.what());
      } catch (const CompileError& e) {
        error(e.pos, e.what(), e.end);
      }
    }
    return values;
  };

  std::vector<std::vector<NodeId>> event_actions, periodic_actions;
  for (std::size_t i = 0; i < instances_.size(); ++i) {
    const Instance& inst = instances_[i];
    if (inst.prototype) continue;
    for (const model::EventDecl& ev : inst.system->events) {
      detail::EventSpec spec;
      spec.label = inst.label + ", event at line " + std::to_string(ev.pos.line);
      spec.terminate = ev.terminate;
      if (ev.periodic) {
        spec.periodic = true;
        spec.period = ev.period;
        spec.offset = ev.offset;
        periodic_actions.push_back(compile_actions(inst, static_cast<int>(i), ev, spec));
        m.periodic.push_back(std::move(spec));
        continue;
      }
      const model::Text& text = ev.when ? *ev.when : *ev.zero;
      Scope scope{static_cast<int>(i), nullptr, nullptr, &text};
      try {
        expr::AstPtr cond = expr::parse_expression(text.text);
        NodeId g;
        if (ev.when) {
          if (cond->kind != Ast::Kind::Binary ||
              (cond->binary != expr::BinaryOp::Lt && cond->binary != expr::BinaryOp::Le &&
               cond->binary != expr::BinaryOp::Gt && cond->binary != expr::BinaryOp::Ge))
            throw CompileError(text.at(0),
                               "`when` needs one comparison such as `b.position < 0`; for other "
                               "conditions give `zero: EXPRESSION` and `direction:`");
          const NodeId l = eval_scalar(*cond->args[0], scope, "an event condition");
          const NodeId r = eval_scalar(*cond->args[1], scope, "an event condition");
          unify(eval(*cond->args[0], scope), *cond->args[0], eval(*cond->args[1], scope), *cond->args[1], *cond, scope,
                "compares");
          g = graph_.sub(l, r);
          const bool below = cond->binary == expr::BinaryOp::Lt || cond->binary == expr::BinaryOp::Le;
          spec.crossing = below ? Crossing::Falling : Crossing::Rising;
        } else {
          g = eval_scalar(*cond, scope, "an event function");
          const auto dir = ev.direction.value_or(model::EventDirection::Either);
          spec.crossing = dir == model::EventDirection::Rising    ? Crossing::Rising
                          : dir == model::EventDirection::Falling ? Crossing::Falling
                                                                  : Crossing::Either;
        }
        if (graph_.is_const(g))
          throw CompileError(text.at(0),
                             "this event condition does not depend on the states or time, so it can "
                             "never cross zero");
        spec.function = static_cast<int>(event_functions_.size());
        event_functions_.push_back(g);
      } catch (const expr::ParseError& e) {
        error(text.at(e.offset), e.what());
        continue;
      } catch (const CompileError& e) {
        error(e.pos, e.what(), e.end);
        continue;
      }
      event_actions.push_back(compile_actions(inst, static_cast<int>(i), ev, spec));
      m.events.push_back(std::move(spec));
    }
  }
  action_values_.clear();
  for (auto& a : event_actions) action_values_.push_back(std::move(a));
  for (auto& a : periodic_actions) action_values_.push_back(std::move(a));
  m.features.events = !m.events.empty();
  m.features.periodic = !m.periodic.empty();
}

// `plots:` names states and outputs (scalars or elements, `a.b.c[0]`), checked like any other key.
void Compiler::resolve_view() {
  detail::CompiledModel& m = *out_;
  std::vector<std::string> keys;
  for (const auto* list : {&m.states, &m.outputs})
    for (const Variable& v : *list) keys.push_back(v.key);
  auto resolve = [&](const std::vector<std::pair<std::string, SourcePos>>& given, std::vector<std::string>& into) {
    for (const auto& [key, pos] : given) {
      if (std::find(keys.begin(), keys.end(), key) != keys.end()) {
        into.push_back(key);
        continue;
      }
      error(pos, "`plots` names `" + key + "`, which is not a state or an output" + text::did_you_mean(key, keys) +
                     "; keys are entity.component.field, as in " + text::quoted_list(keys, 4));
    }
  };
  resolve(doc_.plot_show, m.view.show);
  resolve(doc_.plot_phase, m.view.phase);
}

void Compiler::resolve_simulate() {
  detail::CompiledModel& m = *out_;
  m.simulate = doc_.simulate.options;
  const auto& sim = doc_.simulate;
  auto pos_of = [&](const std::string& key) {
    auto it = sim.key_pos.find(key);
    return it == sim.key_pos.end() ? sim.pos : it->second;
  };
  if (!sim.atol_by_state.empty()) {
    std::vector<double> atol(m.states.size(), m.simulate.atol.empty() ? 1e-8 : m.simulate.atol[0]);
    std::vector<std::string> keys;
    for (const auto& v : m.states) keys.push_back(v.key);
    for (const auto& [key, value] : sim.atol_by_state) {
      auto it = m.state_index.find(key);
      if (it == m.state_index.end()) {
        error(pos_of("atol." + key), "`atol` names unknown state `" + key + "`" + text::did_you_mean(key, keys) +
                                         "; use `default` for all other states");
        continue;
      }
      atol[static_cast<std::size_t>(it->second)] = value;
    }
    m.simulate.atol = atol;
  }
  for (const auto& [key, message] : detail::option_problems(m.simulate, static_cast<int>(m.states.size())))
    error(pos_of(key), message);
}

std::shared_ptr<detail::CompiledModel> compile(const model::ModelDoc& doc, const std::string& source,
                                               std::vector<Diagnostic>& diagnostics) {
  Compiler compiler(doc, diagnostics);
  return compiler.run(source);
}

}  // namespace numen::compile
