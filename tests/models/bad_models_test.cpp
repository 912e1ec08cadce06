// The catalogue of bad models (tests/bad_models/*.yaml): each file's first line says where the first error must be
// reported and what its message must say:   # expect [FILE:]LINE:COL text the message contains
// FILE, when given, is a library the model uses (tests/bad_models/lib/), where the error must be reported.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

#include "support.h"

namespace numen {
namespace {

std::vector<std::string> catalogue() {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(test::source_path("tests/bad_models")))
    if (entry.path().extension() == ".yaml") files.push_back(entry.path().filename().string());
  std::sort(files.begin(), files.end());
  return files;
}

class BadModel : public ::testing::TestWithParam<std::string> {};

TEST_P(BadModel, ReportsItsErrorAtTheRightPlace) {
  const std::string text = test::read_text("tests/bad_models/" + GetParam());
  std::smatch m;
  const std::string first_line = text.substr(0, text.find('\n'));
  ASSERT_TRUE(std::regex_match(first_line, m, std::regex(R"(# expect (?:(\S+\.ya?ml):)?(\d+):(\d+) (.+))")))
      << first_line;
  const std::string file = m[1].matched ? std::string(m[1]) : GetParam();
  const int line = std::stoi(m[2]), column = std::stoi(m[3]);
  const std::string expected = m[4];
  // Library files are read from tests/bad_models/ by the path the model gives.
  const FileLoader load = [](const std::string& path) {
    if (!std::filesystem::exists(test::source_path("tests/bad_models/" + path)))
      throw std::runtime_error("no such file");
    return test::read_text("tests/bad_models/" + path);
  };
  // The file without its expectation line is what the user wrote; keep the line count by blanking it.
  const std::string model = "\n" + text.substr(text.find('\n') + 1);
  std::vector<Diagnostic> diagnostics;
  try {
    Model::compile(first_line.find("empty") != std::string::npos ? "" : model, GetParam(), load);
    FAIL() << "compiled without error";
  } catch (const Error& e) {
    diagnostics = e.diagnostics();
  }
  ASSERT_FALSE(diagnostics.empty());
  const Diagnostic& d = diagnostics.front();
  EXPECT_EQ(d.severity, Diagnostic::Severity::Error);
  EXPECT_EQ(d.file, file);
  EXPECT_EQ(d.pos.line, line) << d.format();
  EXPECT_EQ(d.pos.column, column) << d.format();
  EXPECT_NE(d.message.find(expected), std::string::npos) << d.format();
}

INSTANTIATE_TEST_SUITE_P(Catalogue, BadModel, ::testing::ValuesIn(catalogue()), [](const auto& info) {
  std::string name = info.param.substr(0, info.param.size() - 5);
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
});

TEST(BadModel, CatalogueHasAtLeastThirtyEntries) { EXPECT_GE(catalogue().size(), 30u); }

}  // namespace
}  // namespace numen
