#include "numen/diagnostic.h"

#include <algorithm>

namespace numen {

std::string Diagnostic::format() const {
  std::string out = file.empty() ? std::string("<input>") : file;
  if (pos.line > 0) {
    out += ":" + std::to_string(pos.line);
    if (pos.column > 0) out += ":" + std::to_string(pos.column);
  }
  out += severity == Severity::Error ? ": error: " : ": warning: ";
  out += message;
  return out;
}

namespace {
std::string join_messages(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const Diagnostic& d : diagnostics) {
    if (!out.empty()) out += '\n';
    out += d.format();
  }
  return out;
}

std::vector<Diagnostic> errors_first(std::vector<Diagnostic> diagnostics) {
  std::stable_sort(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return a.severity == Diagnostic::Severity::Error && b.severity != Diagnostic::Severity::Error;
  });
  return diagnostics;
}
}  // namespace

Error::Error(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(join_messages(errors_first(diagnostics))), diagnostics_(errors_first(std::move(diagnostics))) {
}

Error::Error(std::string file, SourcePos pos, std::string message)
    : Error(std::vector<Diagnostic>{
          Diagnostic{Diagnostic::Severity::Error, std::move(file), pos, std::move(message), {}}}) {}

}  // namespace numen
