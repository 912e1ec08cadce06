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
    case MethodFamily::ImplicitRK: return "fully implicit Runge-Kutta";
    case MethodFamily::Symplectic: return "symplectic";
    case MethodFamily::Auto: return "automatic";
  }
  return "?";
}

const std::vector<MethodInfo>& methods() {
  using F = MethodFamily;
  // name, aliases, family, order, adaptive, stiff, mass_matrix, second_order, summary
  static const std::vector<MethodInfo> table = {
      {"Auto", {"Default"}, F::Auto, 0, true, true, true, false,
       "Tsit5, switching to Rodas5P (or BDF for large systems) where the problem is stiff, and back"},
      {"Tsit5", {}, F::ExplicitRK, 5, true, false, false, false,
       "Tsitouras 5(4): the best general non-stiff method at moderate tolerances"},
      {"Dopri5", {"DP5", "RK45"}, F::ExplicitRK, 5, true, false, false, false,
       "Dormand-Prince 5(4), as in MATLAB's ode45 and scipy's RK45"},
      {"DP8", {"Dop853"}, F::ExplicitRK, 8, true, false, false, false,
       "Dormand-Prince 8(5,3) with a 7th-order dense output: tight tolerances"},
      {"Vern7", {}, F::ExplicitRK, 7, true, false, false, false,
       "Verner's efficient 7(6): tolerances near 1e-8 to 1e-12"},
      {"Vern9", {}, F::ExplicitRK, 9, true, false, false, false,
       "Verner's efficient 9(8): very tight tolerances"},
      {"BS3", {}, F::ExplicitRK, 3, true, false, false, false, "Bogacki-Shampine 3(2): loose tolerances"},
      {"CashKarp", {}, F::ExplicitRK, 5, true, false, false, false, "Cash-Karp 5(4)"},
      {"Fehlberg78", {"RKF78"}, F::ExplicitRK, 7, true, false, false, false, "Runge-Kutta-Fehlberg 7(8)"},
      {"Euler", {}, F::FixedStep, 1, false, false, false, false, "forward Euler, fixed step dt"},
      {"Midpoint", {}, F::FixedStep, 2, false, false, false, false, "explicit midpoint, fixed step dt"},
      {"RK4", {}, F::FixedStep, 4, false, false, false, false, "classic Runge-Kutta, fixed step dt"},
      {"BulirschStoer", {"BS"}, F::Extrapolation, 0, true, false, false, false,
       "Bulirsch-Stoer extrapolation (Boost.Odeint), variable order: smooth problems, tight tolerances"},
      {"Rodas5P", {}, F::Rosenbrock, 5, true, true, true, false,
       "Steinebach's Rodas5P: the stiff and DAE default, accurate dense output"},
      {"Rodas4", {}, F::Rosenbrock, 4, true, true, true, false, "Hairer-Wanner's Rodas4 (stiff, DAEs)"},
      {"Rosenbrock23", {"ode23s"}, F::Rosenbrock, 2, true, true, true, false,
       "Shampine's ode23s pair: loose tolerances on stiff problems"},
      {"BDF", {"FBDF", "CVODE_BDF"}, F::BDF, 5, true, true, true, false,
       "variable-order (1-5) BDF: large stiff systems, cheap steps with reused iteration matrices"},
      {"TRBDF2", {}, F::SDIRK, 2, true, true, true, false, "TR-BDF2 (Hosea-Shampine): robust, L-stable, 2nd order"},
      {"KenCarp4", {}, F::SDIRK, 4, true, true, true, false, "Kennedy-Carpenter ESDIRK 4(3), L-stable"},
      {"RadauIIA5", {"Radau5", "RADAU"}, F::ImplicitRK, 5, true, true, true, false,
       "Hairer-Wanner's RADAU5 (Radau IIA, 3 stages, L-stable): the reference for stiff problems and index-1 DAEs "
       "at tight tolerances"},
      {"VelocityVerlet", {}, F::Symplectic, 2, false, false, false, true,
       "velocity Verlet: symplectic, fixed step dt, x'' = a(x, t)"},
      {"McAte5", {}, F::Symplectic, 5, false, false, false, true, "McLachlan-Atela 5th-order symplectic, fixed step dt"},
      {"KahanLi6", {}, F::Symplectic, 6, false, false, false, true, "Kahan-Li 6th-order symplectic, fixed step dt"},
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
