// Reads a model file into a ModelDoc. Structure only: names are resolved and equations parsed by the compiler.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

#include "common/json_schema.h"
#include "common/text.h"
#include "common/yaml_source.h"
#include "expr/const_eval.h"
#include "model/model_doc.h"
#include "numen/methods.h"

namespace numen::model {

SourcePos Text::at(int offset) const {
  SourcePos p = pos;
  for (const auto& [start, line_pos] : lines) {
    if (start <= offset) p = SourcePos{line_pos.line, line_pos.column - start, line_pos.file};
  }
  if (p.line == 0) return p;
  return SourcePos{p.line, p.column + offset, p.file};
}

const char* to_string(FieldKind kind) {
  switch (kind) {
    case FieldKind::State: return "state";
    case FieldKind::Algebraic: return "algebraic variable";
    case FieldKind::Parameter: return "parameter";
    case FieldKind::Discrete: return "discrete variable";
    case FieldKind::Output: return "output";
    case FieldKind::Port: return "port";
  }
  return "field";
}

const FieldDecl* ComponentDecl::find(const std::string& field) const {
  for (const FieldDecl& f : fields)
    if (f.name == field) return &f;
  return nullptr;
}

const ComponentDecl* ModelDoc::find_component(const std::string& n) const {
  for (const auto& c : components)
    if (c.name == n) return &c;
  return nullptr;
}

const EntityDecl* ModelDoc::find_entity(const std::string& n) const {
  for (const auto& e : entities)
    if (e.name == n) return &e;
  return nullptr;
}

const SystemDecl* ModelDoc::find_system(const std::string& n) const {
  for (const auto& s : systems)
    if (s.name == n) return &s;
  return nullptr;
}

namespace {

bool is_identifier(const std::string& s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  return true;
}

const std::set<std::string>& reserved_names() {
  static const std::set<std::string> names = {"t", "pi", "e", "der", "residual", "if", "and", "or", "not"};
  return names;
}

/// A place in a model file in the reader's words, for the schema's messages: `components.mass` is "component
/// `mass`", `components.mass.states.x` "state `mass.x`", `components.mass.states.x.min` "`min` of state `mass.x`".
std::string describe_model_path(const std::string& path) {
  std::vector<std::string> parts;
  for (std::size_t at = 0;;) {
    const std::size_t dot = path.find('.', at);
    parts.push_back(path.substr(at, dot == std::string::npos ? std::string::npos : dot - at));
    if (dot == std::string::npos) break;
    at = dot + 1;
  }
  if (parts.size() == 2 && parts[0] == "components") return "component `" + parts[1] + "`";
  if (parts.size() == 2 && parts[0] == "systems") return "system `" + parts[1] + "`";
  if (parts.size() == 2 && parts[0] == "tables") return "table `" + parts[1] + "`";
  if (parts.size() == 4 && parts[0] == "components") {
    static const std::vector<std::pair<std::string, FieldKind>> sections = {
        {"states", FieldKind::State},      {"algebraics", FieldKind::Algebraic}, {"params", FieldKind::Parameter},
        {"discrete", FieldKind::Discrete}, {"outputs", FieldKind::Output},       {"ports", FieldKind::Port}};
    for (const auto& [section, kind] : sections)
      if (parts[2] == section) return std::string(to_string(kind)) + " `" + parts[1] + "." + parts[3] + "`";
  }
  if (parts.size() < 3) return "";
  const std::string parent = describe_model_path(path.substr(0, path.rfind('.')));
  return parent.empty() ? "" : "`" + parts.back() + "` of " + parent;
}

/// The unit a value was written in ("3 bar"), with where it is in the file.
struct GivenUnit {
  std::string text;  ///< without spaces; empty when the value has none
  units::Unit si;
  SourcePos pos;
};

class Reader {
 public:
  Reader(YamlSource& src, ModelDoc& doc) : src_(src), doc_(doc) {}

  void read(const YAML::Node& root) {
    if (!root.IsDefined() || root.IsNull()) {
      if (!src_.has_errors())
        src_.error(SourcePos{1, 1}, "the model file is empty; start with `model: NAME` and a `components:` section");
      return;
    }
    if (!root.IsMap()) {
      src_.error(root, "a model file must be a map with keys such as `model:`, `components:`, `systems:`");
      return;
    }
    // A library file says `library: NAME` where a model says `model: NAME`; it has no entities, world or simulate.
    doc_.is_library = root["library"].IsDefined() && !root["model"].IsDefined();
    static const std::vector<std::string> model_only = {"entities", "world", "simulate", "plots", "time_unit", "units"};
    const auto only_in_models = [](const std::string& key) {
      return std::find(model_only.begin(), model_only.end(), key) != model_only.end();
    };
    if (doc_.is_library) {
      std::vector<std::string> allowed = model_schema().keys("library");
      allowed.insert(allowed.end(), model_only.begin(), model_only.end());
      src_.check_map(root, allowed, "the library file");
      for (auto it = root.begin(); it != root.end(); ++it)
        if (only_in_models(it->first.Scalar()))
          src_.error(it->first, "a library cannot have `" + it->first.Scalar() +
                                    "`: it holds components, systems, functions and tables; `" + it->first.Scalar() +
                                    "` belongs in the model that uses the library");
    } else {
      src_.check_map(root, model_schema().keys(""), "the model file");
    }
    // The schema first, as for plans: an unknown key or a value of the wrong type anywhere in the file is reported
    // where it is, with the keys or the type allowed there, before the checks below read the file's meaning.
    if (src_.has_errors()) return;
    if (!doc_.is_library && !root["model"].IsDefined()) {
      src_.error(src_.pos(root), "missing `model: NAME` at the top of the file");
      return;
    }
    if (!model_schema().validate(root, src_, doc_.is_library ? "library" : "", describe_model_path)) return;
    bool has_model = false, has_components = false;
    for (auto it = root.begin(); it != root.end(); ++it) {
      const std::string key = it->first.Scalar();
      const YAML::Node v = it->second;
      if (doc_.is_library && only_in_models(key)) continue;
      if (key == "library" && doc_.is_library) {
        has_model = true;
        if (auto s = src_.string(v, "`library`")) {
          if (!is_identifier(*s))
            src_.error(v, "library name `" + *s +
                              "` is not a valid name; use letters, digits and `_`, starting "
                              "with a letter (models write `" +
                              *s + ".component`)");
          doc_.name = *s;
          doc_.name_pos = src_.pos(v);
        }
      } else if (key == "use") {
        if (!v.IsSequence()) {
          src_.error(v, "`use` is a list of libraries, as in `use: [pneumatic, ./my_parts.yaml]`");
          continue;
        }
        for (const YAML::Node& entry : v) {
          auto s = src_.string(entry, "a `use` entry");
          if (!s) continue;
          for (const UseDecl& u : doc_.uses)
            if (u.name == *s) src_.error(entry, "`" + *s + "` is listed twice in `use`");
          doc_.uses.push_back(UseDecl{*s, src_.pos(entry)});
        }
      } else if (key == "model") {
        has_model = true;
        if (auto s = src_.string(v, "`model`")) {
          doc_.name = *s;
          doc_.name_pos = src_.pos(v);
        }
      } else if (key == "description") {
        if (auto s = src_.string(v, "`description`")) doc_.description = *s;
      } else if (key == "title") {
        src_.string(v, "`title`");  // for people (the gallery); the model's name stays `model:`
      } else if (key == "functions") {
        read_functions(v);
      } else if (key == "tables") {
        read_tables(v);
      } else if (key == "components") {
        has_components = true;
        read_components(v);
      } else if (key == "systems") {
        read_systems(v);
      } else if (key == "entities") {
        read_entities(v);
      } else if (key == "world") {
        doc_.has_world = true;
        doc_.world_pos = src_.pos(it->first);
        read_world(v);
      } else if (key == "simulate") {
        read_simulate(v);
      } else if (key == "time_unit") {
        units::Unit u;
        std::string text;
        SourcePos pos;
        if (read_unit(v, text, u, pos, "`time_unit`")) {
          // `1`: the model is written in dimensionless time (Lorenz, a scaled van der Pol).
          if ((u.dim != units::Dimension::of(units::Time) && text != "1") || u.offset != 0.0)
            src_.error(v,
                       "`time_unit` must be a unit of time, like `s`, `ms`, `min`, `h` or `yr`, or `1` for a "
                       "model in dimensionless time; `" +
                           text + "` is " + units::describe(u.dim));
          else {
            doc_.time_unit = text;
            doc_.time_si = u;
            doc_.time_unit_pos = pos;
          }
        }
      } else if (key == "plots") {
        read_plots(v);
      } else if (key == "units") {
        if (auto s = src_.string(v, "`units`")) {
          if (*s == "warn") doc_.units_warn = true;
          else if (*s != "check")
            src_.error(v,
                       "`units` is `check` (unit mistakes are errors, the default) or `warn` (warnings while "
                       "sketching)" +
                           text::did_you_mean(*s, {"check", "warn"}));
        }
      }
    }
    if (doc_.is_library) return;  // a library may hold only systems, or only functions
    if (!has_model) src_.error(src_.pos(root), "missing `model: NAME` at the top of the file");
    if (!has_components && has_model && doc_.uses.empty())
      src_.error(doc_.name_pos, "the model declares no `components:`");
  }

 private:
  Text text_of(const YAML::Node& node) {
    Text t;
    t.text = node.Scalar();
    t.pos = src_.scalar_start(node);
    t.lines = src_.scalar_lines(node);
    return t;
  }

  // Names that appear bare in expressions (slots, tables) must not hide the language's own names; entity,
  // component and field names never do (fields are always read as slot.field).
  bool check_name(const YAML::Node& key_node, const std::string& what) {
    const std::string name = key_node.Scalar();
    if (!is_identifier(name)) {
      src_.error(key_node, what + " name `" + name +
                               "` is not a valid name; use letters, digits and `_`, starting with a letter");
      return false;
    }
    const bool bare_in_expressions = what == "slot" || what == "table";
    if (bare_in_expressions && reserved_names().count(name)) {
      src_.error(key_node, "`" + name + "` is reserved by the expression language; choose another " + what + " name");
      return false;
    }
    return true;
  }

  // A value: a number, or a constant expression optionally followed by a unit ("2*3", "3e5 Pa", "pi*0.02^2 m^2"),
  // read by expr::evaluate_quantity (the rule is in const_eval.h). A bad value is an error at the offending column.
  bool parse_value_text(const YAML::Node& node, const std::string& s, double& value, GivenUnit& unit, bool allow_unit,
                        const std::string& what) {
    if (auto v = parse_number(s)) {  // also YAML's .inf and .nan
      value = *v;
      return true;
    }
    const Text t = text_of(node);
    expr::Quantity q;
    try {
      q = expr::evaluate_quantity(s);
    } catch (const expr::ParseError& e) {
      if (is_identifier(s) && !reserved_names().count(s)) {
        src_.error(node, what + ": `" + s + "` is not a number" + (allow_unit ? " with an optional unit" : "") +
                             "; write for example `1.5" + (allow_unit ? " kg`" : "`") +
                             " or `{ value: \"pi*0.02^2\", unit: m^2 }`");
        return false;
      }
      const std::string message = e.what();
      const bool about_units = message.find("unit") != std::string::npos;
      src_.error(t.at(e.offset), what + ": " + message + " (in `" + s + "`)" +
                                     (about_units  ? ""
                                      : allow_unit ? "; a value is a constant expression optionally followed by a "
                                                     "unit, as in `2*3 m` or `3e5 Pa`"
                                                   : "; a value is a constant expression, as in `2*pi`"));
      return false;
    }
    if (!q.unit.empty() && !allow_unit) {
      src_.error(t.at(q.unit_offset), what + ": unexpected unit `" + q.unit +
                                          "` after the value; the elements of a vector take no unit, give it once "
                                          "with `{ value: [...], unit: " +
                                          q.unit + " }`");
      return false;
    }
    value = q.value;
    unit.text = q.unit;
    unit.si = q.si;
    if (!q.unit.empty()) unit.pos = t.at(q.unit_offset);
    return true;
  }

  bool read_scalar_value(const YAML::Node& node, double& value, GivenUnit& unit, bool allow_unit,
                         const std::string& what) {
    if (!node.IsScalar()) {
      src_.error(node, what + " must be a number");
      return false;
    }
    return parse_value_text(node, node.Scalar(), value, unit, allow_unit, what);
  }

  // A field's value: scalar, list (a vector), or map with value/unit/description/size.
  bool read_value_list(const YAML::Node& node, std::vector<double>& values, bool& is_vector, GivenUnit& unit,
                       const std::string& what) {
    if (node.IsSequence()) {
      values.clear();
      is_vector = true;
      if (node.size() == 0) {
        src_.error(node, what + ": a vector needs at least one element");
        return false;
      }
      for (const YAML::Node& item : node) {
        double v = 0;
        GivenUnit ignored;
        if (!read_scalar_value(item, v, ignored, false, what)) return false;
        values.push_back(v);
      }
      return true;
    }
    double v = 0;
    if (!read_scalar_value(node, v, unit, true, what)) return false;
    values.assign(1, v);
    return true;
  }

  // A declared unit (`unit: kN/m`), checked against the unit table where it is written.
  bool read_unit(const YAML::Node& node, std::string& unit, units::Unit& si, SourcePos& pos, const std::string& what) {
    if (!node.IsScalar()) {
      src_.error(node, what + ": `unit` must be a unit like `m/s` or `1` (dimensionless)");
      return false;
    }
    const Text t = text_of(node);
    try {
      unit = expr::parse_unit(node.Scalar(), &si);
    } catch (const expr::ParseError& e) {
      src_.error(t.at(e.offset), what + ": " + e.what());
      unit.clear();
      return false;
    }
    pos = t.pos;
    return true;
  }

  // The value is in `given`; the field declares `f.unit`: convert into the declared unit, or say why not.
  bool to_declared_unit(std::vector<double>& values, const GivenUnit& given, const std::string& unit,
                        const units::Unit& si, const std::string& what) {
    if (given.text.empty() || given.text == unit) return true;
    const std::string problem = units::conversion_problem(given.si, given.text, si, unit);
    if (!problem.empty()) {
      src_.error(given.pos, what + ": " + problem);
      return false;
    }
    for (double& v : values) v = ((v * given.si.scale + given.si.offset) - si.offset) / si.scale;
    return true;
  }

  void read_field(const YAML::Node& key, const YAML::Node& node, FieldKind kind, ComponentDecl& comp) {
    FieldDecl f;
    f.name = key.Scalar();
    f.pos = src_.pos(key);
    f.kind = kind;
    const std::string what = std::string(to_string(kind)) + " `" + comp.name + "." + f.name + "`";
    if (kind == FieldKind::Output) {
      f.value.assign(1, 0.0);
      if (node.IsNull()) {
      } else if (node.IsScalar()) {
        read_unit(node, f.unit, f.si, f.unit_pos, what);
      } else if (node.IsMap()) {
        src_.check_map(node, model_schema().keys("output"), what);
        for (auto it = node.begin(); it != node.end(); ++it) {
          const std::string k = it->first.Scalar();
          if (k == "unit") read_unit(it->second, f.unit, f.si, f.unit_pos, what);
          else if (k == "description") f.description = it->second.Scalar();
          else if (k == "size") set_size(it->second, f, what);
        }
      } else {
        src_.error(node, what + " must be given as its unit (`energy: J`) or `{ unit: J, description: ... }`");
      }
      comp.fields.push_back(std::move(f));
      return;
    }
    if (kind == FieldKind::Port) {
      f.value.assign(1, 0.0);
      if (!node.IsMap()) {
        src_.error(node, what + " must be a map like `{ targets: velocity, type: effort, unit: m/s^2 }`");
        return;
      }
      src_.check_map(node, model_schema().keys("port"), what);
      for (auto it = node.begin(); it != node.end(); ++it) {
        const std::string k = it->first.Scalar();
        const YAML::Node v = it->second;
        if (k == "targets") {
          if (auto s = src_.string(v, what + " `targets`")) {
            f.target = *s;
            f.target_pos = src_.pos(v);
          }
        } else if (k == "type") {
          if (auto s = src_.string(v, what + " `type`")) {
            if (*s != "effort" && *s != "flow")
              src_.error(v, what + " `type` must be `effort` or `flow`" + text::did_you_mean(*s, {"effort", "flow"}));
            f.port_type = *s;
          }
        } else if (k == "unit") {
          read_unit(v, f.unit, f.si, f.unit_pos, what);
        } else if (k == "gain") {
          if (v.IsScalar()) f.gain = text_of(v);
          else src_.error(v, what + " `gain` must be an expression over the component's fields, like `1/mass`");
        } else if (k == "description") {
          f.description = v.Scalar();
        }
      }
      if (f.target.empty()) src_.error(key, what + " needs `targets: STATE` (the state whose derivative it drives)");
      comp.fields.push_back(std::move(f));
      return;
    }
    // states, algebraics, params, discrete
    if (node.IsMap()) {
      src_.check_map(node, model_schema().keys("field"), what);
      bool has_value = false;
      std::optional<YAML::Node> size;  // applied after the value, whatever the key order
      bool has_unit = false;
      GivenUnit value_unit;
      for (auto it = node.begin(); it != node.end(); ++it) {
        const std::string k = it->first.Scalar();
        const YAML::Node v = it->second;
        if (k == "value") {
          has_value = true;
          if (!read_value_list(v, f.value, f.is_vector, value_unit, what)) value_unit = GivenUnit{};
        } else if (k == "unit") {
          has_unit = read_unit(v, f.unit, f.si, f.unit_pos, what);
        } else if (k == "description") {
          f.description = v.Scalar();
        } else if (k == "size") {
          size.emplace(v);
        } else if (k == "min") {
          f.slider_min = src_.number(v, "`min` of " + what);
        } else if (k == "max") {
          f.slider_max = src_.number(v, "`max` of " + what);
        }
      }
      if (f.slider_min && f.slider_max && !(*f.slider_min < *f.slider_max))
        src_.error(node["max"], "`max` of " + what + " must be above its `min` (they are the slider's ends)");
      if (has_unit) to_declared_unit(f.value, value_unit, f.unit, f.si, what);
      else if (!value_unit.text.empty()) declare_given_unit(f, value_unit);
      if (!has_value) f.value.assign(f.value.size(), 0.0);
      if (size) set_size(*size, f, what);
    } else if (node.IsNull()) {
      f.value.assign(1, 0.0);
    } else {
      GivenUnit given;
      if (read_value_list(node, f.value, f.is_vector, given, what) && !given.text.empty()) declare_given_unit(f, given);
    }
    comp.fields.push_back(std::move(f));
  }

  // "2 m" without `unit:` declares the field in m.
  static void declare_given_unit(FieldDecl& f, const GivenUnit& given) {
    f.unit = given.text;
    f.si = given.si;
    f.unit_pos = given.pos;
  }

  void set_size(const YAML::Node& v, FieldDecl& f, const std::string& what) {
    auto n = src_.integer(v, what + " `size`");
    if (!n) return;
    if (*n < 1 || *n > 1000000) {
      src_.error(v, what + " `size` must be between 1 and 1000000");
      return;
    }
    if (f.is_vector && f.value.size() != static_cast<std::size_t>(*n)) {
      src_.error(v, what + " has `size: " + std::to_string(*n) + "` but " + std::to_string(f.value.size()) +
                        " values; give one value (used for every element) or exactly " + std::to_string(*n));
      return;
    }
    f.value.assign(static_cast<std::size_t>(*n), f.value.empty() ? 0.0 : f.value[0]);
    f.is_vector = true;
  }

  void read_components(const YAML::Node& node) {
    if (!src_.check_named_map(node, "`components`")) return;
    for (auto it = node.begin(); it != node.end(); ++it) {
      if (!check_name(it->first, "component")) continue;
      ComponentDecl comp;
      comp.name = it->first.Scalar();
      comp.pos = src_.pos(it->first);
      const YAML::Node body = it->second;
      const std::string what = "component `" + comp.name + "`";
      if (body.IsNull()) {
        doc_.components.push_back(std::move(comp));
        continue;
      }
      if (!src_.check_map(body, model_schema().keys("component"), what)) continue;
      std::set<std::string> names;
      for (auto sec = body.begin(); sec != body.end(); ++sec) {
        const std::string section = sec->first.Scalar();
        if (section == "description") {
          comp.description = sec->second.Scalar();
          continue;
        }
        // An unknown section (`parms:`) was reported by check_map; reading its fields as some kind would only
        // add errors that blame the wrong thing.
        if (section != "ports" && section != "states" && section != "algebraics" && section != "params" &&
            section != "discrete" && section != "outputs")
          continue;
        const FieldKind kind = section == "states"       ? FieldKind::State
                               : section == "algebraics" ? FieldKind::Algebraic
                               : section == "params"     ? FieldKind::Parameter
                               : section == "discrete"   ? FieldKind::Discrete
                               : section == "outputs"    ? FieldKind::Output
                                                         : FieldKind::Port;
        const YAML::Node fields = sec->second;
        if (fields.IsNull()) continue;
        if (!src_.check_named_map(fields, "`" + section + "` of " + what)) continue;
        for (auto f = fields.begin(); f != fields.end(); ++f) {
          if (!check_name(f->first, "field")) continue;
          const std::string fname = f->first.Scalar();
          if (!names.insert(fname).second) {
            src_.error(f->first, "field `" + fname + "` is declared twice in " + what + "; field names must be unique");
            continue;
          }
          read_field(f->first, f->second, kind, comp);
        }
      }
      doc_.components.push_back(std::move(comp));
    }
  }

  void read_slots(const YAML::Node& node, SystemDecl& sys) {
    sys.slots_pos = src_.pos(node);
    auto add_slot = [&](const YAML::Node& key, const YAML::Node& value) {
      if (!check_name(key, "slot")) return;
      SlotDecl slot;
      slot.name = key.Scalar();
      slot.pos = src_.pos(key);
      if (!value.IsScalar()) {
        src_.error(value, "slot `" + slot.name + "` must name a component, as in `[a: mass, s: spring]`");
        return;
      }
      slot.component = value.Scalar();
      slot.component_pos = src_.pos(value);
      for (const SlotDecl& s : sys.slots)
        if (s.name == slot.name) src_.error(key, "slot `" + slot.name + "` appears twice in system `" + sys.name + "`");
      sys.slots.push_back(slot);
    };
    if (node.IsSequence()) {
      for (const YAML::Node& item : node) {
        if (item.IsMap() && item.size() == 1) {
          add_slot(item.begin()->first, item.begin()->second);
        } else {
          src_.error(item, "each slot is `name: component`, as in `slots: [a: mass, s: spring, b: mass]`");
        }
      }
    } else if (node.IsMap()) {
      if (!src_.check_named_map(node, "`slots`")) return;
      for (auto it = node.begin(); it != node.end(); ++it) add_slot(it->first, it->second);
    } else {
      src_.error(node, "`slots` must list `name: component` pairs, as in `slots: [a: mass, s: spring, b: mass]`");
    }
    if (node.size() == 0 && (node.IsSequence() || node.IsMap()))
      src_.error(node, "system `" + sys.name + "` needs at least one slot");
  }

  std::vector<Text> read_text_list(const YAML::Node& node, const std::string& what) {
    std::vector<Text> out;
    if (node.IsNull()) return out;
    if (node.IsScalar()) {  // one equation given without a list
      out.push_back(text_of(node));
      return out;
    }
    if (!node.IsSequence()) {
      src_.error(node, what + " must be a list of strings, one per line item");
      return out;
    }
    for (const YAML::Node& item : node) {
      if (!item.IsScalar()) {
        src_.error(item, what + ": each item must be a single line of text; quote it if it contains `: ` or `#`");
        continue;
      }
      out.push_back(text_of(item));
    }
    return out;
  }

  void read_event(const YAML::Node& node, SystemDecl& sys) {
    const std::string what = "an event of system `" + sys.name + "`";
    if (!src_.check_map(node, model_schema().keys("event"), what)) return;
    EventDecl ev;
    ev.pos = src_.pos(node);
    bool has_every = false, has_offset = false;
    for (auto it = node.begin(); it != node.end(); ++it) {
      const std::string k = it->first.Scalar();
      const YAML::Node v = it->second;
      if (k == "every") {
        has_every = true;
        ev.periodic = true;
        ev.period_pos = src_.pos(v);
        if (auto p = src_.number(v, "`every`")) {
          if (!(*p > 0) || !std::isfinite(*p)) src_.error(v, "`every` must be a positive period in seconds");
          else ev.period = *p;
        }
      } else if (k == "offset") {
        has_offset = true;
        if (auto p = src_.number(v, "`offset`")) ev.offset = *p;
      } else if (k == "when") {
        if (v.IsScalar()) ev.when = text_of(v);
        else src_.error(v, "`when` must be a condition such as `b.position < 0`");
      } else if (k == "zero") {
        if (v.IsScalar()) ev.zero = text_of(v);
        else src_.error(v, "`zero` must be an expression whose sign change triggers the event");
      } else if (k == "direction") {
        auto s = src_.string(v, "`direction`");
        if (s == std::optional<std::string>("rising")) ev.direction = EventDirection::Rising;
        else if (s == std::optional<std::string>("falling")) ev.direction = EventDirection::Falling;
        else if (s == std::optional<std::string>("either")) ev.direction = EventDirection::Either;
        else if (s)
          src_.error(v, "`direction` must be `rising`, `falling` or `either`" +
                            text::did_you_mean(*s, {"rising", "falling", "either"}));
      } else if (k == "do") {
        ev.actions = read_text_list(v, "`do`");
      } else if (k == "terminate") {
        if (auto b = src_.boolean(v, "`terminate`")) ev.terminate = *b;
      }
    }
    const int kinds = (has_every ? 1 : 0) + (ev.when ? 1 : 0) + (ev.zero ? 1 : 0);
    if (kinds != 1) {
      src_.error(node, what + " needs exactly one of `every: PERIOD`, `when: CONDITION` or `zero: EXPRESSION`");
      return;
    }
    if (has_offset && !has_every) src_.error(node, "`offset` applies only to periodic events (`every:`)");
    if (ev.direction && !ev.zero)
      src_.error(node, "`direction` goes with `zero:`; with `when:` the comparison gives the direction");
    if (ev.actions.empty() && !ev.terminate)
      src_.error(node, what + " does nothing: give `do: [assignments]` or `terminate: true`");
    sys.events.push_back(std::move(ev));
  }

  void read_systems(const YAML::Node& node) {
    if (!src_.check_named_map(node, "`systems`")) return;
    for (auto it = node.begin(); it != node.end(); ++it) {
      if (!check_name(it->first, "system")) continue;
      SystemDecl sys;
      sys.name = it->first.Scalar();
      sys.pos = src_.pos(it->first);
      const std::string what = "system `" + sys.name + "`";
      if (!src_.check_map(it->second, model_schema().keys("system"), what)) continue;
      bool has_slots = false;
      const YAML::Node body = it->second;
      for (auto k = body.begin(); k != body.end(); ++k) {
        const std::string key = k->first.Scalar();
        const YAML::Node value = k->second;
        if (key == "description") sys.description = value.Scalar();
        else if (key == "slots") {
          has_slots = true;
          read_slots(value, sys);
        } else if (key == "equations") {
          sys.equations = read_text_list(value, "`equations`");
        } else if (key == "events") {
          if (!value.IsSequence()) src_.error(value, "`events` must be a list of events");
          else
            for (const auto& e : value) read_event(e, sys);
        }
      }
      if (!has_slots) src_.error(it->first, what + " needs `slots: [name: component, ...]`");
      doc_.systems.push_back(std::move(sys));
    }
  }

  void read_entities(const YAML::Node& node) {
    if (!src_.check_named_map(node, "`entities`")) return;
    for (auto it = node.begin(); it != node.end(); ++it) {
      if (!check_name(it->first, "entity")) continue;
      EntityDecl ent;
      ent.name = it->first.Scalar();
      ent.pos = src_.pos(it->first);
      const YAML::Node body = it->second;
      auto add_component = [&](const YAML::Node& key, const YAML::Node* overrides) {
        EntityComponentDecl ec;
        ec.component = key.Scalar();
        ec.pos = src_.pos(key);
        for (const auto& other : ent.components)
          if (other.component == ec.component)
            src_.error(key, "entity `" + ent.name + "` lists component `" + ec.component + "` twice");
        if (overrides && !overrides->IsNull()) {
          if (!src_.check_named_map(*overrides, "the overrides of `" + ent.name + "." + ec.component + "`")) return;
          for (auto o = overrides->begin(); o != overrides->end(); ++o) {
            OverrideDecl od;
            od.field = o->first.Scalar();
            od.pos = src_.pos(o->first);
            GivenUnit given;
            read_value_list(o->second, od.value, od.is_vector, given,
                            "value of `" + ent.name + "." + ec.component + "." + od.field + "`");
            od.unit = given.text;
            od.si = given.si;
            od.unit_pos = given.pos;
            ec.overrides.push_back(std::move(od));
          }
        }
        ent.components.push_back(std::move(ec));
      };
      if (body.IsMap()) {
        if (!src_.check_named_map(body, "entity `" + ent.name + "`")) continue;
        for (auto c = body.begin(); c != body.end(); ++c) add_component(c->first, &c->second);
      } else if (body.IsSequence()) {
        for (const YAML::Node& c : body) {
          if (c.IsScalar()) add_component(c, nullptr);
          else src_.error(c, "list the components of `" + ent.name + "` by name, or use a map to set values");
        }
      } else {
        src_.error(it->first, "entity `" + ent.name + "` must list its components, as in `" + ent.name +
                                  ": { mass: { position: 1 } }`");
        continue;
      }
      doc_.entities.push_back(std::move(ent));
    }
  }

  void read_world(const YAML::Node& node) {
    if (!src_.check_named_map(node, "`world`")) return;
    for (auto it = node.begin(); it != node.end(); ++it) {
      WorldEntry w;
      w.system = it->first.Scalar();
      w.pos = src_.pos(it->first);
      const YAML::Node v = it->second;
      if (v.IsScalar() && v.Scalar() == "auto") {
        w.automatic = true;
      } else if (v.IsSequence()) {
        for (const YAML::Node& group : v) {
          std::vector<GroupMember> members;
          if (group.IsScalar()) {
            members.push_back(GroupMember{group.Scalar(), src_.pos(group)});
          } else if (group.IsSequence()) {
            for (const YAML::Node& m : group) {
              if (m.IsScalar()) members.push_back(GroupMember{m.Scalar(), src_.pos(m)});
              else src_.error(m, "a group lists entity names, as in `[m1, s1, m2]`");
            }
          } else {
            src_.error(group, "each group is a list of entity names, as in `[[m1, s1, m2], [m2, s2, m3]]`");
            continue;
          }
          w.groups.push_back(std::move(members));
          w.group_pos.push_back(src_.pos(group));
        }
      } else {
        src_.error(v, "`" + w.system + "` in `world` must be `auto` or a list of groups like `[[m1, s1, m2]]`");
        continue;
      }
      doc_.world.push_back(std::move(w));
    }
  }

  void read_plots(const YAML::Node& node) {
    if (!src_.check_map(node, model_schema().keys("plots"), "`plots`")) return;
    for (auto it = node.begin(); it != node.end(); ++it) {
      auto& list = it->first.Scalar() == "show" ? doc_.plot_show : doc_.plot_phase;
      const std::string what = "`plots: " + it->first.Scalar() + "`";
      if (!it->second.IsSequence()) {
        src_.error(it->second, what + " is a list of keys like `[ball.ball.height]`");
        continue;
      }
      // A copy, not `for (k : it->second)`: the iterator's -> returns a temporary, which the loop would outlive.
      const YAML::Node keys = it->second;
      for (const YAML::Node& k : keys)
        if (auto key = src_.string(k, what)) list.emplace_back(*key, src_.pos(k));
      if (it->first.Scalar() == "phase" && list.size() != 2)
        src_.error(it->second, "`plots: phase` is two keys, X then Y, as in `[lorenz.l.x, lorenz.l.z]`");
    }
  }

  void read_functions(const YAML::Node& node) {
    if (!src_.check_named_map(node, "`functions`")) return;
    for (auto it = node.begin(); it != node.end(); ++it) {
      const std::string sig = it->first.Scalar();
      FunctionDecl f;
      f.pos = src_.pos(it->first);
      const std::size_t open = sig.find('('), close = sig.rfind(')');
      if (open == std::string::npos || close == std::string::npos || close < open || close + 1 != sig.size()) {
        src_.error(it->first, "a function is declared as `name(arg1, arg2): expression`, got `" + sig + "`");
        continue;
      }
      f.name = sig.substr(0, open);
      while (!f.name.empty() && f.name.back() == ' ') f.name.pop_back();
      if (!is_identifier(f.name) || reserved_names().count(f.name)) {
        src_.error(it->first, "`" + f.name + "` is not a valid function name");
        continue;
      }
      std::string params = sig.substr(open + 1, close - open - 1);
      std::size_t start = 0;
      bool ok = true;
      while (start <= params.size() && params.find_first_not_of(" ") != std::string::npos) {
        std::size_t comma = params.find(',', start);
        std::string p = params.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        p.erase(0, p.find_first_not_of(" "));
        p.erase(p.find_last_not_of(" ") + 1);
        if (!is_identifier(p) || reserved_names().count(p)) {
          src_.error(it->first, "function `" + f.name + "`: `" + p + "` is not a valid argument name");
          ok = false;
          break;
        }
        for (const auto& q : f.params)
          if (q == p) {
            src_.error(it->first, "function `" + f.name + "` names argument `" + p + "` twice");
            ok = false;
          }
        f.params.push_back(p);
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
      if (!ok) continue;
      if (!it->second.IsScalar()) {
        src_.error(it->second, "the body of function `" + f.name + "` must be one expression");
        continue;
      }
      f.body = text_of(it->second);
      for (const auto& g : doc_.functions)
        if (g.name == f.name && g.params.size() == f.params.size())
          src_.error(it->first, "function `" + f.name + "` with " + std::to_string(f.params.size()) +
                                    " arguments is defined twice");
      doc_.functions.push_back(std::move(f));
    }
  }

  void read_tables(const YAML::Node& node) {
    if (!src_.check_named_map(node, "`tables`")) return;
    for (auto it = node.begin(); it != node.end(); ++it) {
      if (!check_name(it->first, "table")) continue;
      TableDecl t;
      t.name = it->first.Scalar();
      t.pos = src_.pos(it->first);
      const std::string what = "table `" + t.name + "`";
      if (!src_.check_map(it->second, model_schema().keys("table"), what)) continue;
      bool ok = true;
      std::optional<YAML::Node> xs, ys;
      const YAML::Node body = it->second;
      for (auto k = body.begin(); k != body.end(); ++k) {
        if (k->first.Scalar() == "x") xs.emplace(k->second);
        if (k->first.Scalar() == "y") ys.emplace(k->second);
        SourcePos ignored;
        if (k->first.Scalar() == "x_unit") read_unit(k->second, t.x_unit, t.x_si, ignored, what + " `x_unit`");
        if (k->first.Scalar() == "y_unit") read_unit(k->second, t.y_unit, t.y_si, ignored, what + " `y_unit`");
      }
      if (!xs || !ys) {
        src_.error(it->first, what + " needs both `x: [...]` and `y: [...]`");
        continue;
      }
      auto x = src_.numbers(*xs, what + " `x`");
      auto y = src_.numbers(*ys, what + " `y`");
      if (!x || !y) continue;
      if (x->size() != y->size()) {
        src_.error(
            *ys, what + ": `x` has " + std::to_string(x->size()) + " values but `y` has " + std::to_string(y->size()));
        ok = false;
      } else if (x->size() < 2) {
        src_.error(*xs, what + " needs at least two points");
        ok = false;
      }
      for (std::size_t i = 1; ok && i < x->size(); ++i) {
        if (!((*x)[i] > (*x)[i - 1])) {
          src_.error(*xs, what + ": `x` must increase strictly (entry " + std::to_string(i) + " does not)");
          ok = false;
        }
      }
      for (double v : *y)
        if (!std::isfinite(v)) {
          src_.error(*ys, what + ": `y` values must be finite");
          ok = false;
          break;
        }
      if (!ok) continue;
      t.x = *x;
      t.y = *y;
      doc_.tables.push_back(std::move(t));
    }
  }

  void read_simulate(const YAML::Node& node) {
    SimulateDecl& sim = doc_.simulate;
    sim.pos = src_.pos(node);
    if (!src_.check_map(node, model_schema().keys("simulate"), "`simulate`")) return;
    SolveOptions& o = sim.options;
    for (auto it = node.begin(); it != node.end(); ++it) {
      const std::string k = it->first.Scalar();
      const YAML::Node v = it->second;
      sim.key_pos[k] = src_.pos(v);
      if (k == "tspan") {
        auto ts = src_.numbers(v, "`tspan`");
        if (!ts) continue;
        if (ts->size() != 2 || !((*ts)[1] > (*ts)[0]) || !std::isfinite((*ts)[0]) || !std::isfinite((*ts)[1])) {
          src_.error(v, "`tspan` must be [START, END] with END > START, like [0, 10]");
          continue;
        }
        o.t0 = (*ts)[0];
        o.t1 = (*ts)[1];
      } else if (k == "method") {
        auto s = src_.string(v, "`method`");
        if (!s) continue;
        if (!find_method(*s)) {
          std::vector<std::string> names;
          for (const MethodInfo& m : methods()) names.push_back(m.name);
          src_.error(
              v, "unknown method `" + *s + "`" + text::did_you_mean(*s, names) + "; valid methods: " + method_names());
          continue;
        }
        o.method = *s;
      } else if (k == "rtol") {
        if (auto x = src_.number(v, "`rtol`")) o.rtol = *x;
      } else if (k == "atol") {
        if (v.IsMap()) {
          for (auto a = v.begin(); a != v.end(); ++a) {
            auto x = src_.number(a->second, "`atol` of `" + a->first.Scalar() + "`");
            if (!x) continue;
            if (a->first.Scalar() == "default") {
              o.atol = {*x};
            } else {
              sim.atol_by_state.emplace_back(a->first.Scalar(), *x);
              sim.key_pos["atol." + a->first.Scalar()] = src_.pos(a->first);
            }
          }
        } else if (auto x = src_.number(v, "`atol`")) {
          o.atol = {*x};
        }
      } else if (k == "n_save_points") {
        if (auto x = src_.integer(v, "`n_save_points`")) o.n_save_points = static_cast<int>(std::min(*x, 100000000L));
      } else if (k == "dtsave") {
        if (auto x = src_.number(v, "`dtsave`")) o.dtsave = *x;
      } else if (k == "t_eval") {
        if (auto x = src_.numbers(v, "`t_eval`")) o.t_eval = *x;
      } else if (k == "dt") {
        if (auto x = src_.number(v, "`dt`")) o.dt = *x;
      } else if (k == "dt0") {
        if (auto x = src_.number(v, "`dt0`")) o.dt0 = *x;
      } else if (k == "dtmax") {
        if (auto x = src_.number(v, "`dtmax`")) o.dtmax = *x;
      } else if (k == "max_steps") {
        if (auto x = src_.integer(v, "`max_steps`")) o.max_steps = *x;
      } else if (k == "max_order") {
        if (auto x = src_.integer(v, "`max_order`")) o.max_order = static_cast<int>(std::clamp(*x, -1L, 99L));
      } else if (k == "tstops") {
        if (auto x = src_.numbers(v, "`tstops`")) o.tstops = *x;
      } else if (k == "dense") {
        if (auto x = src_.boolean(v, "`dense`")) o.dense = *x;
      } else if (k == "initialize_algebraic") {
        if (auto x = src_.boolean(v, "`initialize_algebraic`")) o.initialize_algebraic = *x;
      }
    }
  }

  YamlSource& src_;
  ModelDoc& doc_;
};

}  // namespace

ModelDoc read_model(const std::string& text, const std::string& file, std::vector<Diagnostic>& diagnostics,
                    int file_index) {
  ModelDoc doc;
  doc.file = file;
  YamlSource src(text, file, diagnostics);
  src.set_file_index(file_index);
  const YAML::Node root = src.load();
  if (src.has_errors()) return doc;
  Reader(src, doc).read(root);
  return doc;
}

}  // namespace numen::model
