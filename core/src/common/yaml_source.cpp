#include "common/yaml_source.h"

#include <cmath>
#include <cstdlib>
#include <limits>
#include <set>
#include <utility>

#include "common/text.h"

namespace numen {

std::optional<double> parse_number(const std::string& s) {
  if (s.empty() || s.size() > 64) return std::nullopt;
  if (s == ".inf" || s == ".Inf" || s == ".INF" || s == "+.inf" || s == "+.Inf" || s == "+.INF")
    return std::numeric_limits<double>::infinity();
  if (s == "-.inf" || s == "-.Inf" || s == "-.INF") return -std::numeric_limits<double>::infinity();
  if (s == ".nan" || s == ".NaN" || s == ".NAN") return std::nan("");
  bool digit = false;
  for (char c : s) {
    if (c >= '0' && c <= '9') digit = true;
    else if (c != '+' && c != '-' && c != '.' && c != 'e' && c != 'E') return std::nullopt;
  }
  if (!digit) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size()) return std::nullopt;
  if (std::isinf(v)) return std::nullopt;  // 1e400 overflows: not silently infinite (the value readers then say so)
  return v;
}

namespace {

// The lines of a text, and their indentation (-1 for a blank or comment-only line).
struct Lines {
  std::vector<std::string> text;
  explicit Lines(const std::string& all) {
    std::size_t start = 0;
    while (start <= all.size()) {
      std::size_t end = all.find('\n', start);
      if (end == std::string::npos) end = all.size();
      text.push_back(all.substr(start, end - start));
      start = end + 1;
    }
  }
  int indent(int i) const {
    if (i < 0 || i >= static_cast<int>(text.size())) return -1;
    const std::string& l = text[static_cast<std::size_t>(i)];
    const std::size_t n = l.find_first_not_of(' ');
    return n == std::string::npos || l[n] == '#' || l[n] == '\r' ? -1 : static_cast<int>(n);
  }
  int content(int i, int step) const {  // the nearest line from i (in direction step) with content, or -1
    for (; i >= 0 && i < static_cast<int>(text.size()); i += step)
      if (indent(i) >= 0) return i;
    return -1;
  }
  bool opens_block(int i) const {  // `key:` with nothing after it (a comment aside)
    std::string l = text[static_cast<std::size_t>(i)];
    const std::size_t hash = l.find(" #");
    if (hash != std::string::npos) l.resize(hash);
    while (!l.empty() && (l.back() == ' ' || l.back() == '\r')) l.pop_back();
    return !l.empty() && l.back() == ':';
  }
};

// A line indented more than the one before it, where that one has its value already (`x: 0 m` or `x: {...}`), is
// an indentation mistake: yaml-cpp reports it there as "end of map not found", or as "illegal map value" when it
// reads the line as the continuation of a plain value. When it is the second line of a block whose first line was
// indented less (`states:` / `     x: 1` / `      v: 0`), the user under-indented the first line, not the second:
// the second agrees with the line after it, or sits one indentation step (the file's smallest) inside the block's
// key. Returns {the 0-based line to blame, the message}, or an empty message when the rule does not apply.
std::pair<int, std::string> indentation_problem(const std::string& all, int line) {
  const Lines lines(all);
  const int here = lines.indent(line);
  const int first = lines.content(line - 1, -1);
  if (here < 0 || first < 0 || lines.indent(first) >= here || lines.opens_block(first)) return {line, ""};
  const auto spaces = [](int n) { return std::to_string(n) + (n == 1 ? " space" : " spaces"); };
  const int key = lines.content(first - 1, -1);
  if (key >= 0 && lines.opens_block(key) && lines.indent(key) <= lines.indent(first)) {
    int step = 0;
    for (int i = 0; i < static_cast<int>(lines.text.size()); ++i)
      if (lines.indent(i) > 0 && (step == 0 || lines.indent(i) < step)) step = lines.indent(i);
    const int next = lines.content(line + 1, 1);
    if ((next >= 0 && lines.indent(next) == here) || here == lines.indent(key) + step)
      return {first, "this line is indented by " + spaces(lines.indent(first)) + " and the next by " +
                         std::to_string(here) + ": the lines of a block line up; indent this one like the others"};
  }
  return {line, "this line is indented by " + spaces(here) + ", more than the line before it (" +
                    std::to_string(lines.indent(first)) + "), which has its value already: the lines of a block " +
                    "line up; indent this one like the line before"};
}

}  // namespace

YAML::Node YamlSource::load() {
  try {
    return YAML::Load(text_);
  } catch (const YAML::ParserException& e) {
    std::string msg = e.msg;
    // yaml-cpp's messages are terse; say what usually causes them.
    if (msg.find("end of sequence flow") != std::string::npos) msg += ": a `[` is missing its `]`";
    else if (msg.find("end of map flow") != std::string::npos) msg += ": a `{` is missing its `}`";
    const bool map_value = msg.find("illegal map value") != std::string::npos;
    const bool map_end = msg.find("end of map not found") != std::string::npos;
    if (map_value || map_end) {
      const auto [line, problem] = indentation_problem(text_, e.mark.line);
      if (!problem.empty()) {
        error(SourcePos{line + 1, Lines(text_).indent(line) + 1}, "YAML syntax: " + problem);
        return YAML::Node();
      }
    }
    if (map_value) msg += ": a value contains `: ` (quote the value, e.g. \"a: b\") or the indentation is off";
    else if (map_end) msg += ": check the indentation of this line";
    error(SourcePos{e.mark.line + 1, e.mark.column + 1}, "YAML syntax: " + msg);
  } catch (const YAML::Exception& e) {
    error(SourcePos{e.mark.line + 1, e.mark.column + 1}, std::string("YAML: ") + e.msg);
  }
  return YAML::Node();
}

bool YamlSource::has_errors() const {
  for (const Diagnostic& d : diagnostics_)
    if (d.severity == Diagnostic::Severity::Error) return true;
  return false;
}

SourcePos YamlSource::pos(const YAML::Node& node) const {
  if (!node.IsDefined()) return {};
  const YAML::Mark m = node.Mark();
  if (m.line < 0 || m.column < 0) return {};
  return SourcePos{m.line + 1, m.column + 1, file_index_};
}

void YamlSource::error(SourcePos pos, std::string message) {
  // The same message at the same place once is enough (a bad node may be visited twice).
  for (const Diagnostic& d : diagnostics_)
    if (d.pos.line == pos.line && d.pos.column == pos.column && d.message == message) return;
  diagnostics_.push_back(Diagnostic{Diagnostic::Severity::Error, file_, pos, std::move(message), {}});
}

void YamlSource::warning(SourcePos pos, std::string message) {
  diagnostics_.push_back(Diagnostic{Diagnostic::Severity::Warning, file_, pos, std::move(message), {}});
}

bool YamlSource::check_named_map(const YAML::Node& node, const std::string& what) {
  if (!node.IsMap()) {
    error(node, what + " must be a map of `name: value` entries");
    return false;
  }
  std::set<std::string> seen;
  for (auto it = node.begin(); it != node.end(); ++it) {
    if (!it->first.IsScalar()) {
      error(it->first, "keys in " + what + " must be plain names");
      continue;
    }
    const std::string key = it->first.Scalar();
    if (!seen.insert(key).second) error(it->first, "`" + key + "` appears twice in " + what + "; remove one");
  }
  return true;
}

bool YamlSource::check_map(const YAML::Node& node, const std::vector<std::string>& allowed, const std::string& what) {
  if (!check_named_map(node, what)) return false;
  for (auto it = node.begin(); it != node.end(); ++it) {
    if (!it->first.IsScalar()) continue;
    const std::string key = it->first.Scalar();
    bool ok = false;
    for (const std::string& a : allowed) ok = ok || a == key;
    if (!ok)
      error(it->first, "unknown key `" + key + "` in " + what + text::did_you_mean(key, allowed) +
                           "; allowed keys: " + text::quoted_list(allowed, 20));
  }
  return true;
}

bool YamlSource::is_string(const YAML::Node& node) const {
  return node.IsScalar() && (node.Tag() == "!" || !parse_number(node.Scalar()));
}

std::optional<std::string> YamlSource::string(const YAML::Node& node, const std::string& what) {
  if (!node.IsScalar()) {
    error(node, what + " must be a single text value");
    return std::nullopt;
  }
  return node.Scalar();
}

std::optional<double> YamlSource::number(const YAML::Node& node, const std::string& what) {
  if (node.IsScalar()) {
    if (auto v = parse_number(node.Scalar())) {
      if (std::isnan(*v)) {
        error(node, what + " is NaN; give a number");
        return std::nullopt;
      }
      return v;
    }
  }
  const std::string got = node.IsScalar() ? "`" + node.Scalar() + "`" : (node.IsSequence() ? "a list" : "a map");
  error(node, what + " must be a number, got " + got);
  return std::nullopt;
}

std::optional<long> YamlSource::integer(const YAML::Node& node, const std::string& what) {
  auto v = number(node, what);
  if (!v) return std::nullopt;
  if (*v != std::floor(*v) || std::fabs(*v) > 1e15) {
    error(node, what + " must be a whole number, got " + text::format_number(*v));
    return std::nullopt;
  }
  return static_cast<long>(*v);
}

std::optional<bool> YamlSource::boolean(const YAML::Node& node, const std::string& what) {
  if (node.IsScalar()) {
    const std::string s = text::lower(node.Scalar());
    if (s == "true" || s == "yes" || s == "on") return true;
    if (s == "false" || s == "no" || s == "off") return false;
  }
  error(node, what + " must be true or false");
  return std::nullopt;
}

std::optional<std::vector<double>> YamlSource::numbers(const YAML::Node& node, const std::string& what,
                                                       bool allow_scalar) {
  if (allow_scalar && node.IsScalar()) {
    auto v = number(node, what);
    if (!v) return std::nullopt;
    return std::vector<double>{*v};
  }
  if (!node.IsSequence()) {
    error(node, what + " must be a list of numbers, like [0, 1]");
    return std::nullopt;
  }
  std::vector<double> out;
  bool ok = true;
  for (const YAML::Node& item : node) {
    auto v = number(item, what + " entries");
    if (v) out.push_back(*v);
    else ok = false;
  }
  if (!ok) return std::nullopt;
  return out;
}

std::size_t YamlSource::offset_of(SourcePos pos) const {
  std::size_t offset = 0;
  for (int line = 1; line < pos.line && offset < text_.size(); ++offset)
    if (text_[offset] == '\n') ++line;
  return offset + static_cast<std::size_t>(pos.column > 0 ? pos.column - 1 : 0);
}

SourcePos YamlSource::scalar_start(const YAML::Node& node) const {
  SourcePos p = pos(node);
  if (p.line == 0) return p;
  const std::size_t offset = offset_of(p);
  if (offset >= text_.size()) return p;
  const char c = text_[offset];
  if (c == '"' || c == '\'') return SourcePos{p.line, p.column + 1, p.file};
  if (c == '|' || c == '>') {
    auto lines = scalar_lines(node);
    if (!lines.empty()) return lines.front().second;
  }
  return p;
}

std::vector<std::pair<int, SourcePos>> YamlSource::scalar_lines(const YAML::Node& node) const {
  std::vector<std::pair<int, SourcePos>> out;
  const SourcePos p = pos(node);
  if (p.line == 0 || !node.IsScalar()) return out;
  std::size_t offset = offset_of(p);
  if (offset >= text_.size() || (text_[offset] != '|' && text_[offset] != '>')) return out;
  // Walk the source lines after the indicator; each non-empty content line matches one line of the value.
  std::size_t line_start = text_.find('\n', offset);
  if (line_start == std::string::npos) return out;
  ++line_start;
  const std::string& value = node.Scalar();
  int value_offset = 0;
  int line = p.line + 1;
  while (line_start < text_.size() && value_offset < static_cast<int>(value.size())) {
    std::size_t end = text_.find('\n', line_start);
    if (end == std::string::npos) end = text_.size();
    std::size_t first = line_start;
    while (first < end && text_[first] == ' ') ++first;
    if (first < end) {
      out.emplace_back(value_offset, SourcePos{line, static_cast<int>(first - line_start) + 1, p.file});
      value_offset += static_cast<int>(end - first) + 1;
    } else {
      value_offset += 1;
    }
    line_start = end + 1;
    ++line;
  }
  return out;
}

}  // namespace numen
