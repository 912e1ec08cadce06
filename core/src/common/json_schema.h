#pragma once
// A JSON Schema (draft 2020-12, the subset our schemas use) applied to YAML documents, with diagnostics at the
// YAML node's line and column. The schemas in schemas/ are the single source of truth for the keys of model and
// plan files: the readers take their allowed keys from here, `numen validate` checks whole files, and the
// workbench's editor completes from the same files.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "common/json.h"
#include "common/yaml_source.h"

namespace numen {

class JsonSchema {
 public:
  explicit JsonSchema(const std::string& json_text);

  /// Validates the document, appending diagnostics to src. Returns true if it conforms.
  bool validate(const YAML::Node& document, YamlSource& src) const;
  /// Names a place in the document in the file's own words (`components.mass.states.x` as "state `mass.x`"), or
  /// returns "" to let messages give the path.
  using Describe = std::function<std::string(const std::string& path)>;
  /// The same against one definition under $defs ("": the root; a library file against the model schema's
  /// `library`), with messages naming places as `describe` says.
  bool validate(const YAML::Node& document, YamlSource& src, const std::string& definition,
                const Describe& describe) const;

  /// Property names of a definition ("" for the root, else a name under $defs), looking through anyOf for the
  /// object form. Throws std::logic_error for an unknown definition (a bug, not user input).
  std::vector<std::string> keys(const std::string& definition) const;

  const json& document() const { return schema_; }

 private:
  struct Context;
  bool check(const YAML::Node& node, const json& schema, Context& ctx, const std::string& path) const;
  const json& resolve(const json& schema) const;
  json schema_;
};

/// The model-file schema (schemas/model.schema.json, compiled into the core).
const JsonSchema& model_schema();
/// Its text, for `numen schema` and the wasm API.
const char* model_schema_text();
/// The test-plan schema (schemas/plan.schema.json).
const JsonSchema& plan_schema();
const char* plan_schema_text();

}  // namespace numen
