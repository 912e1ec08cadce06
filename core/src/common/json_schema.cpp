#include "common/json_schema.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <regex>
#include <set>
#include <stdexcept>

#include "common/json.h"
#include "common/text.h"

namespace numen {

struct JsonSchema::Context {
  YamlSource& src;
  bool report = true;  // false while trying the branches of an anyOf
  long visited = 0;
  long limit = 0;     // visits allowed (visit_limit)
  bool name = false;  // checking the key of a map entry (propertyNames), not a value: `path` is the map's
  const Describe* describe = nullptr;
  /// A place in the document as messages name it.
  std::string place(const std::string& path) const {
    if (path.empty()) return "the document";
    const std::string words = describe && *describe ? (*describe)(path) : "";
    return words.empty() ? "`" + path + "`" : words;
  }
};

namespace {
// A document with aliases can be exponentially large when walked (a "billion laughs"), so the walk stops at a
// number of visits: 64 per byte of the file (a node takes at least two bytes to write, and an anyOf may visit it a
// few times), and no fewer than 200,000. A fixed bound refused a generated 10,000-mass model, which is ordinary.
constexpr long kMinVisits = 200000;
constexpr long kVisitsPerByte = 64;
long visit_limit(const YamlSource& src) {
  return std::max(kMinVisits, kVisitsPerByte * static_cast<long>(src.text().size()));
}

std::string kind_of(const YAML::Node& node) {
  if (node.IsMap()) return "a map";
  if (node.IsSequence()) return "a list";
  if (node.IsNull()) return "nothing";
  return "`" + node.Scalar() + "`";
}

bool is_quoted(const YAML::Node& node) { return node.Tag() == "!"; }

bool matches_type(const YAML::Node& node, const std::string& type) {
  if (type == "object") return node.IsMap();
  if (type == "array") return node.IsSequence();
  if (type == "null") return node.IsNull();
  if (type == "string") return node.IsScalar();
  if (type == "number") return node.IsScalar() && !is_quoted(node) && parse_number(node.Scalar()).has_value();
  if (type == "integer") {
    if (!node.IsScalar() || is_quoted(node)) return false;
    auto v = parse_number(node.Scalar());
    return v && std::isfinite(*v) && *v == std::floor(*v);
  }
  if (type == "boolean") {
    if (!node.IsScalar() || is_quoted(node)) return false;
    const std::string s = text::lower(node.Scalar());
    return s == "true" || s == "false" || s == "yes" || s == "no" || s == "on" || s == "off";
  }
  return false;
}

// Every model compile validates its files, and a model names hundreds of things: build each pattern's regex once
// (per thread: plans compile models on several).
const std::regex& cached_regex(const json& pattern) {
  thread_local std::map<std::string, std::regex> cache;
  const std::string p = pattern.get<std::string>();
  auto it = cache.find(p);
  if (it == cache.end()) it = cache.emplace(p, std::regex(p)).first;
  return it->second;
}

std::string type_words(const json& type) {
  static const std::map<std::string, std::string> words = {
      {"object", "a map"},    {"array", "a list"},           {"null", "empty"},           {"string", "text"},
      {"number", "a number"}, {"integer", "a whole number"}, {"boolean", "true or false"}};
  auto word = [&](const std::string& t) { return words.count(t) ? words.at(t) : t; };
  if (type.is_string()) return word(type.get<std::string>());
  std::string out;
  for (const auto& t : type) out += (out.empty() ? "" : " or ") + word(t.get<std::string>());
  return out;
}
}  // namespace

JsonSchema::JsonSchema(const std::string& json_text) : schema_(json::parse(json_text)) {}

const json& JsonSchema::resolve(const json& schema) const {
  const json* s = &schema;
  for (int guard = 0; guard < 32 && s->is_object() && s->contains("$ref"); ++guard) {
    const std::string ref = (*s)["$ref"].get<std::string>();
    const std::string prefix = "#/$defs/";
    if (ref.rfind(prefix, 0) != 0) throw std::logic_error("unsupported $ref " + ref);
    s = &schema_["$defs"].at(ref.substr(prefix.size()));
  }
  return *s;
}

bool JsonSchema::check(const YAML::Node& node, const json& schema_in, Context& ctx, const std::string& path) const {
  if (++ctx.visited > ctx.limit) return false;  // reported once, by validate (the limit may pass inside an anyOf)
  // A $ref with sibling keywords (a description) applies both.
  const json& schema = schema_in;
  if (schema.is_object() && schema.contains("$ref") && !check(node, resolve(schema), ctx, path)) return false;
  auto fail = [&](const std::string& message) {
    if (ctx.report) {
      const std::string subject =
          ctx.name ? "the name `" + node.Scalar() + "`" + (path.empty() ? "" : " in " + ctx.place(path))
                   : ctx.place(path);
      ctx.src.error(node, subject + " " + message);
    }
    return false;
  };
  // What the schema says about the value in words, to follow a message that names only the rule broken (looked up
  // only for a message: a large model passes through here hundreds of thousands of times).
  auto description = [&schema]() -> std::string {
    return schema.is_object() && schema.contains("description") ? schema["description"].get<std::string>() : "";
  };

  if (schema.contains("anyOf")) {
    const json& branches = schema["anyOf"];
    for (const json& branch : branches) {
      Context quiet{ctx.src, false, ctx.visited, ctx.limit, ctx.name, ctx.describe};
      if (check(node, branch, quiet, path)) {
        ctx.visited = quiet.visited;
        return true;
      }
      ctx.visited = quiet.visited;
    }
    if (!ctx.report) return false;
    // Report the branch of the node's own kind, if there is exactly one; else list what was expected.
    const json* same_kind = nullptr;
    int count = 0;
    std::vector<std::string> expected;
    for (const json& b : branches) {
      const json& r = resolve(b);
      if (r.contains("type")) {
        expected.push_back(type_words(r["type"]));
        const std::vector<std::string> types =
            r["type"].is_string() ? std::vector<std::string>{r["type"]} : r["type"].get<std::vector<std::string>>();
        for (const auto& t : types)
          if (matches_type(node, t) || (t == "object" && node.IsMap()) || (t == "array" && node.IsSequence())) {
            same_kind = &b;
            ++count;
            break;
          }
      } else if (r.contains("const")) {
        expected.push_back("`" + r["const"].get<std::string>() + "`");
      } else if (r.contains("anyOf")) {
        expected.push_back("one of several forms");
      }
    }
    if (count == 1) return check(node, *same_kind, ctx, path);
    std::string list;
    for (const auto& e : expected) list += (list.empty() ? "" : ", ") + e;
    return fail("must be " + (list.empty() ? std::string("of another form") : "one of: " + list) + ", got " +
                kind_of(node));
  }

  // allOf, with if/then/else inside (how the plan schema picks a test type's keys from its `type`).
  if (schema.contains("allOf")) {
    bool all = true;
    for (const json& part : schema["allOf"]) all = check(node, part, ctx, path) && all;
    if (!all) return false;
  }
  if (schema.contains("if")) {
    Context quiet{ctx.src, false, ctx.visited, ctx.limit, ctx.name, ctx.describe};
    const bool condition = check(node, schema["if"], quiet, path);
    ctx.visited = quiet.visited;
    const char* branch = condition ? "then" : "else";
    if (schema.contains(branch) && !check(node, schema[branch], ctx, path)) return false;
  }

  if (schema.contains("const") && !(node.IsScalar() && node.Scalar() == schema["const"].get<std::string>()))
    return fail("must be `" + schema["const"].get<std::string>() + "`");
  if (schema.contains("enum")) {
    std::vector<std::string> options;
    for (const auto& e : schema["enum"]) options.push_back(e.get<std::string>());
    const std::string got = node.IsScalar() ? node.Scalar() : "";
    if (std::find(options.begin(), options.end(), got) == options.end() || !node.IsScalar()) {
      const std::string says = description();
      return fail("must be one of " + text::quoted_list(options, 30) + text::did_you_mean(got, options) + ", got " +
                  kind_of(node) + (says.empty() ? "" : "; " + says));
    }
  }
  if (schema.contains("type")) {
    const json& type = schema["type"];
    bool ok = false;
    if (type.is_string()) ok = matches_type(node, type.get<std::string>());
    else
      for (const auto& t : type) ok = ok || matches_type(node, t.get<std::string>());
    if (!ok) {
      const std::string says = description();
      return fail("must be " + type_words(type) + ", got " + kind_of(node) + (says.empty() ? "" : "; " + says));
    }
  }
  bool ok = true;
  if (node.IsScalar()) {
    if (schema.contains("pattern") && !std::regex_search(node.Scalar(), cached_regex(schema["pattern"]))) {
      // The pattern's description says in words what it requires (a name: letters, digits and `_`, ...).
      const std::string says = description();
      if (says.empty()) return fail("`" + node.Scalar() + "` does not have the required form");
      return fail(std::string(ctx.name ? "" : "`" + node.Scalar() + "` ") + "is not valid: " +
                  static_cast<char>(std::tolower(static_cast<unsigned char>(says[0]))) + says.substr(1));
    }
    auto number = parse_number(node.Scalar());
    if (number) {
      if (schema.contains("minimum") && *number < schema["minimum"].get<double>())
        return fail("must be at least " + text::format_number(schema["minimum"].get<double>()));
      if (schema.contains("exclusiveMinimum") && !(*number > schema["exclusiveMinimum"].get<double>()))
        return fail("must be greater than " + text::format_number(schema["exclusiveMinimum"].get<double>()));
      if (schema.contains("maximum") && *number > schema["maximum"].get<double>())
        return fail("must be at most " + text::format_number(schema["maximum"].get<double>()));
    }
  }
  if (node.IsSequence()) {
    if (schema.contains("minItems") && node.size() < schema["minItems"].get<std::size_t>())
      return fail("needs at least " + std::to_string(schema["minItems"].get<int>()) + " item(s)");
    if (schema.contains("maxItems") && node.size() > schema["maxItems"].get<std::size_t>())
      return fail("takes at most " + std::to_string(schema["maxItems"].get<int>()) + " item(s)");
    if (schema.contains("items")) {
      std::size_t i = 0;
      for (const auto& item : node)
        ok = check(item, schema["items"], ctx, path + "[" + std::to_string(i++) + "]") && ok;
    }
  }
  if (node.IsMap()) {
    if (schema.contains("minProperties") && node.size() < schema["minProperties"].get<std::size_t>())
      return fail("needs at least " + std::to_string(schema["minProperties"].get<int>()) + " entr(ies)");
    if (schema.contains("maxProperties") && node.size() > schema["maxProperties"].get<std::size_t>())
      return fail("takes at most " + std::to_string(schema["maxProperties"].get<int>()) + " entr(ies)");
    const json* properties = schema.contains("properties") ? &schema["properties"] : nullptr;
    std::set<std::string> present;
    for (auto it = node.begin(); it != node.end(); ++it) {
      const YAML::Node key = it->first;
      const YAML::Node value = it->second;
      const std::string name = key.IsScalar() ? key.Scalar() : "";
      if (!present.insert(name).second && key.IsScalar()) {
        // YAML forbids it, and readers would disagree on which one counts (a test's `type` given twice was
        // validated as one type and read as the other).
        if (ctx.report)
          ctx.src.error(key, "the key `" + name + "` appears twice" + (path.empty() ? "" : " in " + ctx.place(path)) +
                                 "; keep one");
        ok = false;
      }
      const std::string child = path.empty() ? name : path + "." + name;
      if (schema.contains("propertyNames")) {
        Context names{ctx.src, ctx.report, ctx.visited, ctx.limit, true, ctx.describe};
        if (!check(key, schema["propertyNames"], names, path)) ok = false;
        ctx.visited = names.visited;
      }
      if (properties && properties->contains(name)) {
        ok = check(value, (*properties)[name], ctx, child) && ok;
      } else if (schema.contains("additionalProperties")) {
        const json& extra = schema["additionalProperties"];
        if (extra.is_boolean()) {
          if (!extra.get<bool>()) {
            std::vector<std::string> known;
            if (properties)
              for (const auto& [k, v] : properties->items()) known.push_back(k);
            if (ctx.report)
              ctx.src.error(key, "unknown key `" + name + "`" + (path.empty() ? "" : " in " + ctx.place(path)) +
                                     text::did_you_mean(name, known) +
                                     "; allowed keys: " + text::quoted_list(known, 20));
            ok = false;
          }
        } else {
          ok = check(value, extra, ctx, child) && ok;
        }
      }
    }
    if (schema.contains("required"))
      for (const auto& r : schema["required"])
        if (!present.count(r.get<std::string>())) ok = fail("needs the key `" + r.get<std::string>() + "`") && ok;
  }
  return ok;
}

namespace {
bool within_limit(const YAML::Node& document, YamlSource& src, long visited, long limit) {
  if (visited <= limit) return true;
  src.error(document, "the document is too large to check: its anchors and aliases expand it beyond " +
                          std::to_string(limit) + " nodes (" + std::to_string(kVisitsPerByte) +
                          " per byte of the file); write the repeated parts out, or use fewer aliases");
  return false;
}
}  // namespace

bool JsonSchema::validate(const YAML::Node& document, YamlSource& src) const {
  Context ctx{src, true, 0, visit_limit(src)};
  const bool ok = check(document, schema_, ctx, "");
  return within_limit(document, src, ctx.visited, ctx.limit) && ok;
}

bool JsonSchema::validate(const YAML::Node& document, YamlSource& src, const std::string& definition,
                          const Describe& describe) const {
  Context ctx{src, true, 0, visit_limit(src), false, &describe};
  const bool ok = check(document, definition.empty() ? schema_ : schema_["$defs"].at(definition), ctx, "");
  return within_limit(document, src, ctx.visited, ctx.limit) && ok;
}

std::vector<std::string> JsonSchema::keys(const std::string& definition) const {
  const json& def = definition.empty() ? schema_ : schema_["$defs"].at(definition);
  auto from = [](const json& s) {
    std::vector<std::string> out;
    for (const auto& [k, v] : s["properties"].items()) out.push_back(k);
    return out;
  };
  const json& r = resolve(def);
  if (r.contains("properties")) return from(r);
  if (r.contains("anyOf"))
    for (const json& b : r["anyOf"])
      if (resolve(b).contains("properties")) return from(resolve(b));
  throw std::logic_error("schema definition `" + definition + "` has no properties");
}

const JsonSchema& model_schema() {
  static const JsonSchema schema(model_schema_text());
  return schema;
}

const JsonSchema& plan_schema() {
  static const JsonSchema schema(plan_schema_text());
  return schema;
}

}  // namespace numen
