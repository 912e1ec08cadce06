// `numen units`: the unit table the core reads values and checks equations with (core/src/units/units.cpp).
#include <cstdio>
#include <nlohmann/json.hpp>

#include "commands.h"

namespace numen::cli {

void add_units(CLI::App& app) {
  auto format = std::make_shared<std::string>("text");
  CLI::App* cmd = app.add_subcommand("units", "List the units values and equations may use, with their SI factors");
  cmd->add_option("--format", *format, "text or json")->check(CLI::IsMember({"text", "json"}));
  cmd->callback([format] {
    const std::string text = units_json();
    if (*format == "json") {
      std::printf("%s\n", text.c_str());
      return;
    }
    const nlohmann::json j = nlohmann::json::parse(text);
    std::printf("%-6s %-40s %-22s %-16s %s\n", "unit", "name", "in SI", "SI unit", "quantity");
    for (const auto& u : j["units"]) {
      std::string name = u["name"].get<std::string>();
      if (u["prefixes"].get<bool>()) name += " *";
      std::printf("%-6s %-40s %-22s %-16s %s\n", u["symbol"].get<std::string>().c_str(), name.c_str(),
                  number(u["scale"].get<double>()).c_str(), u["si"].get<std::string>().c_str(),
                  u["quantity"].get<std::string>().c_str());
    }
    std::printf("\n* takes the SI prefixes:");
    for (const auto& p : j["prefixes"]) std::printf(" %s", p[0].get<std::string>().c_str());
    std::printf(
        " (u for micro). Combine units with * and /, powers with ^, as in kN/m, J/(kg*K), m/s^2, 1/min.\n"
        "Angles are dimensionless (rad/s is 1/s) but a value is not converted between angle and cycles "
        "(rpm and Hz).\ndegC and degF alone are absolute temperatures; inside a compound unit (degC/W) "
        "they are differences.\nIn equations, a literal takes a unit in brackets: 9.81[m/s^2].\n");
  });
}

}  // namespace numen::cli
