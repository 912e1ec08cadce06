// Flattening: every (entity, component, field) gets its place in the state, parameter, discrete, output or input
// vector. Order: entities as listed in the file; an entity's components as it lists them; a component's states,
// then its algebraic variables, each in declaration order (likewise parameters, discrete variables, outputs, ports).
#include "common/text.h"
#include "compile/compiler.h"
#include "units/units.h"

namespace numen::compile {

using model::FieldKind;

void Compiler::build_layout() {
  detail::CompiledModel& m = *out_;
  std::vector<std::string> component_names;
  for (const auto& c : doc_.components) component_names.push_back(c.name);

  auto add_variables = [&](std::vector<Variable>& vars, std::unordered_map<std::string, int>& index,
                           const EntityComponent& ec, const model::FieldDecl& f, VariableKind kind, FieldSlot& slot) {
    slot.index = static_cast<int>(vars.size());
    slot.size = static_cast<int>(f.value.size());
    slot.vector = f.is_vector;
    for (std::size_t i = 0; i < f.value.size(); ++i) {
      Variable v;
      v.key = ec.key(f.name) + (f.is_vector ? "[" + std::to_string(i) + "]" : "");
      v.kind = kind;
      v.unit = f.unit;
      v.description = f.description;
      v.slider_min = f.slider_min;
      v.slider_max = f.slider_max;
      if (!f.unit.empty()) {
        v.scale = units::internal_factor(f.si, system_);
        v.offset = f.si.offset;
      }
      v.value = v.from_display(f.value[i]);
      v.pos = f.pos;
      index[v.key] = static_cast<int>(vars.size());
      vars.push_back(std::move(v));
    }
  };

  for (std::size_t e = 0; e < doc_.entities.size(); ++e) {
    const model::EntityDecl& ent = doc_.entities[e];
    for (const model::EntityComponentDecl& ecd : ent.components) {
      const model::ComponentDecl* comp = doc_.find_component(ecd.component);
      if (!comp) {
        error(ecd.pos, "entity `" + ent.name + "` uses unknown component `" + ecd.component + "`" +
                           text::did_you_mean(ecd.component, component_names) +
                           "; declared components: " + text::quoted_list(component_names));
        continue;
      }
      EntityComponent ec;
      ec.entity = static_cast<int>(e);
      ec.entity_name = ent.name;
      ec.component = comp;
      // States before algebraic variables, so the differential part of x comes first within each component.
      for (FieldKind pass : {FieldKind::State, FieldKind::Algebraic}) {
        for (const model::FieldDecl& f : comp->fields) {
          if (f.kind != pass) continue;
          FieldSlot slot{f.kind, 0, 1, false, &f};
          add_variables(m.states, m.state_index, ec, f,
                        pass == FieldKind::State ? VariableKind::State : VariableKind::Algebraic, slot);
          for (int i = 0; i < slot.size; ++i) m.differential_mask.push_back(pass == FieldKind::State ? 1 : 0);
          ec.fields[f.name] = slot;
        }
      }
      for (const model::FieldDecl& f : comp->fields) {
        FieldSlot slot{f.kind, 0, 1, false, &f};
        switch (f.kind) {
          case FieldKind::Parameter:
            add_variables(m.parameters, m.parameter_index, ec, f, VariableKind::Parameter, slot);
            break;
          case FieldKind::Discrete:
            add_variables(m.discretes, m.discrete_index, ec, f, VariableKind::Discrete, slot);
            break;
          case FieldKind::Output: add_variables(m.outputs, m.output_index, ec, f, VariableKind::Output, slot); break;
          case FieldKind::Port: add_variables(m.inputs, m.input_index, ec, f, VariableKind::Input, slot); break;
          default: continue;
        }
        ec.fields[f.name] = slot;
      }
      component_index_[ent.name + "." + comp->name] = static_cast<int>(components_.size());
      components_.push_back(std::move(ec));
    }
  }
  for (const auto& v : m.states) m.state_origin.push_back(v.key);
}

void Compiler::apply_overrides() {
  detail::CompiledModel& m = *out_;
  for (const model::EntityDecl& ent : doc_.entities) {
    for (const model::EntityComponentDecl& ecd : ent.components) {
      auto it = component_index_.find(ent.name + "." + ecd.component);
      if (it == component_index_.end()) continue;  // unknown component, already reported
      const EntityComponent& ec = components_[static_cast<std::size_t>(it->second)];
      std::vector<std::string> settable;
      for (const model::FieldDecl& f : ec.component->fields)
        if (f.kind != FieldKind::Output && f.kind != FieldKind::Port) settable.push_back(f.name);
      for (const model::OverrideDecl& od : ecd.overrides) {
        auto fit = ec.fields.find(od.field);
        if (fit == ec.fields.end()) {
          error(od.pos, "component `" + ec.component->name + "` has no field `" + od.field + "`" +
                            text::did_you_mean(od.field, settable) + "; its fields are " + text::quoted_list(settable));
          continue;
        }
        const FieldSlot& slot = fit->second;
        if (slot.kind == FieldKind::Output || slot.kind == FieldKind::Port) {
          error(od.pos, "`" + ec.key(od.field) + "` is " + (slot.kind == FieldKind::Output ? "an output" : "a port") +
                            "; only states, algebraic variables, parameters and discrete variables take values");
          continue;
        }
        std::vector<double> display = od.value;  // in the field's declared unit
        if (!od.unit.empty() && od.unit != slot.decl->unit) {
          if (slot.decl->unit.empty()) {
            error(od.unit_pos, "`" + ec.key(od.field) + "` declares no unit, so a value in `" + od.unit +
                                   "` cannot be converted; give the bare value, or declare the field's unit");
            continue;
          }
          const std::string problem = units::conversion_problem(od.si, od.unit, slot.decl->si, slot.decl->unit);
          if (!problem.empty()) {
            error(od.unit_pos, "value of `" + ec.key(od.field) + "`: " + problem);
            continue;
          }
          for (double& v : display) v = ((v * od.si.scale + od.si.offset) - slot.decl->si.offset) / slot.decl->si.scale;
        }
        if (od.value.empty()) continue;  // value had an error, already reported
        if (od.is_vector && static_cast<int>(od.value.size()) != slot.size) {
          error(od.pos, "`" + ec.key(od.field) + "` has " + std::to_string(slot.size) + " element(s) but " +
                            std::to_string(od.value.size()) + " values are given");
          continue;
        }
        std::vector<Variable>* vars = slot.kind == FieldKind::Parameter  ? &m.parameters
                                      : slot.kind == FieldKind::Discrete ? &m.discretes
                                                                         : &m.states;
        for (int i = 0; i < slot.size; ++i) {
          Variable& v = (*vars)[static_cast<std::size_t>(slot.index + i)];
          v.value = v.from_display(display[od.is_vector ? i : 0]);
        }
      }
    }
  }
}

}  // namespace numen::compile
