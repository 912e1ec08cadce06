#pragma once
// The numen subcommands. Each add_* registers one with its options; its callback does the work and records the
// exit code that main() returns.
#include <CLI/CLI.hpp>

#include <functional>
#include <iosfwd>
#include <optional>
#include <string>

#include "numen/numen.h"

namespace numen::cli {

void add_run(CLI::App& app);
void add_validate(CLI::App& app);
void add_inspect(CLI::App& app);
void add_methods(CLI::App& app);
void add_schema(CLI::App& app);
void add_characterize(CLI::App& app);
void add_merge(CLI::App& app);
void add_units(CLI::App& app);
void add_functions(CLI::App& app);

int exit_code();
void set_exit_code(int code);

/// Reads a whole file; on failure prints "FILE: error: ..." and returns nullopt.
std::optional<std::string> read_file(const std::string& path);
/// Reads a whole file; nullopt on failure, printing nothing.
std::optional<std::string> read_file_quiet(const std::string& path);
/// Compiles a model file, printing its diagnostics (errors and warnings) to stderr. nullopt on error.
std::optional<Model> load_model(const std::string& path);
/// Files read from disk by path (a model's libraries, whose paths come joined to the model's folder).
FileLoader disk_files();
/// Prints an Error's diagnostics to stderr, one per line.
void print_error(const Error& e);
/// Shortest text that reads back to the same double.
std::string number(double v);
/// Writes text to `path`, or stdout when path is empty or "-". Returns false (with a message) on failure.
bool write_output(const std::string& path, const std::string& text);
/// The same for text written as it is made (a large solution's CSV): `write` returns whether the stream took it.
bool write_output(const std::string& path, const std::function<bool(std::ostream&)>& write);

}  // namespace numen::cli
