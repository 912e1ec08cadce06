// `numen functions`: the functions and constants equations may use (the core's one list, functions_json(), which
// the workbench's reference panel and completion read too).
#include <cstdio>
#include <nlohmann/json.hpp>

#include "commands.h"

namespace numen::cli {

void add_functions(CLI::App& app) {
  auto format = std::make_shared<std::string>("text");
  CLI::App* cmd = app.add_subcommand("functions", "List the functions and constants equations may use");
  cmd->add_option("--format", *format, "text or json")->check(CLI::IsMember({"text", "json"}));
  cmd->callback([format] {
    const std::string text = functions_json();
    if (*format == "json") {
      std::printf("%s\n", text.c_str());
      return;
    }
    const nlohmann::json j = nlohmann::json::parse(text);
    const std::pair<const char*, const char*> groups[] = {
        {"language", "The language"}, {"math", "Math (elementwise on vectors)"}, {"library", "Engineering library"}};
    for (const auto& [kind, heading] : groups) {
      std::printf("%s\n", heading);
      for (const auto& f : j["functions"]) {
        if (f["kind"] != kind) continue;
        std::printf("  %-50s %s", f["signature"].get<std::string>().c_str(),
                    f["description"].get<std::string>().c_str());
        if (f.contains("units")) {
          std::string units;
          for (const auto& u : f["units"]) units += (units.empty() ? "" : ", ") + u.get<std::string>();
          std::printf(" [units: %s]", units.c_str());
        }
        std::printf("\n");
      }
      std::printf("\n");
    }
    std::printf("Constants\n");
    for (const auto& c : j["constants"])
      std::printf("  %-50s %s\n", c["name"].get<std::string>().c_str(), c["description"].get<std::string>().c_str());
    std::printf("\nModels may define their own in `functions:` (`name(a, b): expression`). Units: `numen units`.\n");
  });
}

}  // namespace numen::cli
