#pragma once
// Errors are values with a place: every problem found in a user's model, plan or options names the file, line and
// column, and says what to do. Public entry points throw numen::Error carrying every diagnostic they found.
#include <stdexcept>
#include <string>
#include <vector>

namespace numen {

/// A place in a user's text: 1-based line and column; 0 when unknown (for example an option given on a command line).
/// Columns count UTF-8 bytes of the line (an editor that counts UTF-16 code units converts: web/src/editor).
struct SourcePos {
  int line = 0;
  int column = 0;
  /// Which of the files a model was read from: 0 the model file itself, then its libraries (`use:`) in the order
  /// they were read. Diagnostics name the file; positions inside the core carry this index to know it.
  int file = 0;
};

/// One problem in user input.
struct Diagnostic {
  enum class Severity { Error, Warning };
  Severity severity = Severity::Error;
  std::string file;
  SourcePos pos;
  std::string message;
  SourcePos end;  ///< one past the offending text when known (line 0 otherwise), for editors to underline

  /// "FILE:LINE:COL: error: MESSAGE" (the form compilers use, so editors and terminals link it).
  std::string format() const;
};

/// Thrown by public entry points on bad input. what() is the formatted first error followed by the rest, one per line.
class Error : public std::runtime_error {
 public:
  explicit Error(std::vector<Diagnostic> diagnostics);
  Error(std::string file, SourcePos pos, std::string message);
  const std::vector<Diagnostic>& diagnostics() const noexcept { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

}  // namespace numen
