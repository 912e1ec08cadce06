#include <charconv>
#include <fstream>
#include <iostream>
#include <sstream>

#include "commands.h"

namespace numen::cli {
namespace {
int g_exit_code = 0;
}

int exit_code() { return g_exit_code; }
void set_exit_code(int code) { g_exit_code = code; }

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << path << ": error: cannot open the file (does it exist, and can it be read?)\n";
    return std::nullopt;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::optional<std::string> read_file_quiet(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void print_error(const Error& e) {
  for (const Diagnostic& d : e.diagnostics()) std::cerr << d.format() << "\n";
}

FileLoader disk_files() {
  return [](const std::string& path) {
    auto content = read_file_quiet(path);
    if (!content) throw std::runtime_error("cannot open " + path);
    return *content;
  };
}

std::optional<Model> load_model(const std::string& path) {
  auto text = read_file(path);
  if (!text) return std::nullopt;
  try {
    Model model = Model::compile(*text, path, disk_files());
    for (const Diagnostic& w : model.warnings()) std::cerr << w.format() << "\n";
    return model;
  } catch (const Error& e) {
    print_error(e);
    return std::nullopt;
  }
}

std::string number(double v) {
  char buf[32];
  auto result = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, result.ptr);
}

bool write_output(const std::string& path, const std::string& text) {
  return write_output(path, [&text](std::ostream& out) { return static_cast<bool>(out << text); });
}

bool write_output(const std::string& path, const std::function<bool(std::ostream&)>& write) {
  if (path.empty() || path == "-") {
    const bool written = write(std::cout);
    std::cout.flush();
    return written && static_cast<bool>(std::cout);
  }
  std::ofstream out(path, std::ios::binary);
  if (!out || !write(out) || !out.flush()) {
    std::cerr << path << ": error: cannot write the file\n";
    return false;
  }
  return true;
}

}  // namespace numen::cli
