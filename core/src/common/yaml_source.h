#pragma once
// Reading YAML documents strictly and with positions: every map's keys are checked against the allowed set
// (unknown keys are errors with "did you mean"), duplicates are errors, and every value knows its line and column.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "numen/diagnostic.h"

namespace numen {

class YamlSource {
 public:
  YamlSource(std::string text, std::string file, std::vector<Diagnostic>& diagnostics)
      : text_(std::move(text)), file_(std::move(file)), diagnostics_(diagnostics) {}

  /// Parses the text; on a YAML syntax error records it and returns a null node.
  YAML::Node load();

  const std::string& file() const { return file_; }
  /// The index every position of this document carries (SourcePos::file): 0 for a model, i for its i-th library.
  void set_file_index(int index) { file_index_ = index; }
  const std::string& text() const { return text_; }
  std::vector<Diagnostic>& diagnostics() { return diagnostics_; }
  bool has_errors() const;

  SourcePos pos(const YAML::Node& node) const;
  void error(SourcePos pos, std::string message);
  void warning(SourcePos pos, std::string message);
  void error(const YAML::Node& node, std::string message) { error(pos(node), std::move(message)); }

  /// Requires a map; reports keys outside `allowed` and duplicated keys. `what` names the map in messages.
  bool check_map(const YAML::Node& node, const std::vector<std::string>& allowed, const std::string& what);
  /// Requires a map; reports duplicated keys only (for maps of user-chosen names).
  bool check_named_map(const YAML::Node& node, const std::string& what);

  bool is_string(const YAML::Node& node) const;  ///< a scalar the user quoted, or one that is not a number
  std::optional<std::string> string(const YAML::Node& node, const std::string& what);
  std::optional<double> number(const YAML::Node& node, const std::string& what);
  std::optional<long> integer(const YAML::Node& node, const std::string& what);
  std::optional<bool> boolean(const YAML::Node& node, const std::string& what);
  /// A sequence of numbers, or (if allow_scalar) a single number as a one-element list.
  std::optional<std::vector<double>> numbers(const YAML::Node& node, const std::string& what,
                                             bool allow_scalar = false);

  /// Position of offset `offset` inside the scalar `node` (accounts for quotes and block scalars): the position of
  /// text[0] plus, for block scalars, where each line starts.
  SourcePos scalar_start(const YAML::Node& node) const;
  std::vector<std::pair<int, SourcePos>> scalar_lines(const YAML::Node& node) const;

 private:
  std::size_t offset_of(SourcePos pos) const;
  std::string text_;
  std::string file_;
  int file_index_ = 0;
  std::vector<Diagnostic>& diagnostics_;
};

/// Parses a plain number the way YAML 1.2's core schema does (also .inf, .nan); nullopt if it is not one.
std::optional<double> parse_number(const std::string& s);

}  // namespace numen
