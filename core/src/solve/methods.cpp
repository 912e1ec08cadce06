#include "numen/methods.h"

#include "common/text.h"

namespace numen {

const char* to_string(MethodFamily family) {
  switch (family) {
    case MethodFamily::ExplicitRK: return "explicit Runge-Kutta";
    case MethodFamily::FixedStep: return "explicit, fixed step";
    case MethodFamily::Extrapolation: return "extrapolation";
    case MethodFamily::Rosenbrock: return "Rosenbrock (linearly implicit)";
    case MethodFamily::BDF: return "BDF (multistep)";
    case MethodFamily::SDIRK: return "implicit Runge-Kutta (SDIRK)";
    case MethodFamily::Symplectic: return "symplectic";
    case MethodFamily::Auto: return "automatic";
  }
  return "?";
}

const std::vector<MethodInfo>& methods() {
  using F = MethodFamily;
  // name, aliases, family, order, adaptive, stiff, mass_matrix, second_order, summary
  static const std::vector<MethodInfo> table = {
      {"Tsit5", {}, F::ExplicitRK, 5, true, false, false, false,
       "Tsitouras 5(4): the default non-stiff method, efficient at moderate tolerances"},
  };
  return table;
}

const MethodInfo* find_method(std::string_view name) {
  for (const MethodInfo& m : methods()) {
    if (text::iequals(m.name, name)) return &m;
    for (const std::string& alias : m.aliases)
      if (text::iequals(alias, name)) return &m;
  }
  return nullptr;
}

std::string method_names() {
  std::string out;
  for (const MethodInfo& m : methods()) {
    if (!out.empty()) out += ", ";
    out += m.name;
    if (!m.aliases.empty()) {
      out += " (";
      for (std::size_t i = 0; i < m.aliases.size(); ++i) out += (i ? ", " : "") + m.aliases[i];
      out += ")";
    }
  }
  return out;
}

}  // namespace numen
