#include "numen/methods.h"

#include <functional>
#include <stdexcept>

#include "common/text.h"
#include "solve/registry.h"

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

namespace detail {
namespace {

// Looks up a tableau a row names; a name with no tableau is a build error, caught by the first solve or test.
TableauRef erk(std::string_view name) { return {find_erk_tableau(name), nullptr, nullptr, nullptr, nullptr}; }
TableauRef rosenbrock(std::string_view name) {
  return {nullptr, find_rosenbrock_tableau(name), nullptr, nullptr, nullptr};
}
TableauRef dirk(std::string_view name) { return {nullptr, nullptr, find_dirk_tableau(name), nullptr, nullptr}; }
TableauRef radau(std::string_view name) { return {nullptr, nullptr, nullptr, find_radau_tableau(name), nullptr}; }
TableauRef symplectic(std::string_view name) {
  return {nullptr, nullptr, nullptr, nullptr, find_symplectic_tableau(name)};
}

}  // namespace

const std::vector<MethodRow>& method_rows() {
  using F = MethodFamily;
  // One row per method, laid out by hand: clang-format leaves the table as written.
  // clang-format off
  // {name, aliases, family, order, adaptive, stiff, mass_matrix, second_order, summary}, tableau, constructor
  static const std::vector<MethodRow> rows = {
      {{"Auto", {"Default"}, F::Auto, 0, true, true, true, false,
       "Tsit5, switching to Rodas5P (or BDF for large systems) where the problem is stiff, and back"},
       {}, make_auto},
      {{"Tsit5", {}, F::ExplicitRK, 5, true, false, false, false,
       "Tsitouras 5(4): the best general non-stiff method at moderate tolerances"},
       erk("Tsit5"), make_explicit_rk},
      {{"Dopri5", {"DP5", "RK45"}, F::ExplicitRK, 5, true, false, false, false,
       "Dormand-Prince 5(4), as in MATLAB's ode45 and scipy's RK45"},
       erk("Dopri5"), make_explicit_rk},
      {{"DP8", {"Dop853"}, F::ExplicitRK, 8, true, false, false, false,
       "Dormand-Prince 8(5,3) with a 7th-order dense output: tight tolerances"},
       erk("DP8"), make_explicit_rk},
      {{"Vern7", {}, F::ExplicitRK, 7, true, false, false, false,
       "Verner's efficient 7(6): tolerances near 1e-8 to 1e-12"},
       erk("Vern7"), make_explicit_rk},
      {{"Vern9", {}, F::ExplicitRK, 9, true, false, false, false,
       "Verner's efficient 9(8): very tight tolerances"},
       erk("Vern9"), make_explicit_rk},
      {{"BS3", {}, F::ExplicitRK, 3, true, false, false, false, "Bogacki-Shampine 3(2): loose tolerances"},
       erk("BS3"), make_explicit_rk},
      {{"CashKarp", {}, F::ExplicitRK, 5, true, false, false, false, "Cash-Karp 5(4)"},
       erk("CashKarp"), make_explicit_rk},
      {{"Fehlberg78", {"RKF78"}, F::ExplicitRK, 7, true, false, false, false, "Runge-Kutta-Fehlberg 7(8)"},
       erk("Fehlberg78"), make_explicit_rk},
      {{"Euler", {}, F::FixedStep, 1, false, false, false, false, "forward Euler, fixed step dt"},
       erk("Euler"), make_explicit_rk},
      {{"Midpoint", {}, F::FixedStep, 2, false, false, false, false, "explicit midpoint, fixed step dt"},
       erk("Midpoint"), make_explicit_rk},
      {{"RK4", {}, F::FixedStep, 4, false, false, false, false, "classic Runge-Kutta, fixed step dt"},
       erk("RK4"), make_explicit_rk},
      {{"BulirschStoer", {"BS"}, F::Extrapolation, 0, true, false, false, false,
       "Bulirsch-Stoer extrapolation (Boost.Odeint), variable order: smooth problems, tight tolerances"},
       {}, make_bulirsch_stoer},
      {{"Rodas5P", {}, F::Rosenbrock, 5, true, true, true, false,
       "Steinebach's Rodas5P: the stiff and DAE default, accurate dense output"},
       rosenbrock("Rodas5P"), make_rodas},
      {{"Rodas4", {}, F::Rosenbrock, 4, true, true, true, false, "Hairer-Wanner's Rodas4 (stiff, DAEs)"},
       rosenbrock("Rodas4"), make_rodas},
      {{"Rosenbrock23", {"ode23s"}, F::Rosenbrock, 2, true, true, true, false,
       "Shampine's ode23s pair: loose tolerances on stiff problems"},
       {}, make_rosenbrock23},
      {{"BDF", {"FBDF", "CVODE_BDF"}, F::BDF, 5, true, true, true, false,
       "variable-order (1-5) BDF: large stiff systems, cheap steps with reused iteration matrices"},
       {}, make_bdf},
      {{"TRBDF2", {}, F::SDIRK, 2, true, true, true, false, "TR-BDF2 (Hosea-Shampine): robust, L-stable, 2nd order"},
       dirk("TRBDF2"), make_dirk},
      {{"KenCarp4", {}, F::SDIRK, 4, true, true, true, false, "Kennedy-Carpenter ESDIRK 4(3), L-stable"},
       dirk("KenCarp4"), make_dirk},
      {{"RadauIIA5", {"Radau5", "RADAU"}, F::ImplicitRK, 5, true, true, true, false,
       "Hairer-Wanner's RADAU5 (Radau IIA, 3 stages, L-stable): the reference for stiff problems and index-1 DAEs "
       "at tight tolerances"},
       radau("RadauIIA5"), make_radau},
      {{"VelocityVerlet", {}, F::Symplectic, 2, false, false, false, true,
       "velocity Verlet: symplectic, fixed step dt, x'' = a(x, t)"},
       symplectic("VelocityVerlet"), make_symplectic},
      {{"McAte5", {}, F::Symplectic, 5, false, false, false, true, "McLachlan-Atela 5th-order symplectic, fixed step dt"},
       symplectic("McAte5"), make_symplectic},
      {{"KahanLi6", {}, F::Symplectic, 6, false, false, false, true, "Kahan-Li 6th-order symplectic, fixed step dt"},
       symplectic("KahanLi6"), make_symplectic},
  };
  // clang-format on
  return rows;
}

const MethodRow& method_row(const MethodInfo& info) {
  const std::vector<MethodRow>& rows = method_rows();
  const std::vector<MethodInfo>& all = methods();
  const std::less<const MethodInfo*> before;
  if (!before(&info, all.data()) && before(&info, all.data() + all.size()))
    return rows[static_cast<std::size_t>(&info - all.data())];
  for (const MethodRow& row : rows)  // a row's own info, or a copy of an entry
    if (&row.info == &info || row.info.name == info.name) return row;
  throw std::invalid_argument("no method row for `" + info.name + "`");
}

const MethodRow* find_method_row(std::string_view name) {
  const MethodInfo* info = find_method(name);
  return info ? &method_row(*info) : nullptr;
}

std::unique_ptr<Stepper> make_stepper(const MethodInfo& method, Integration& ig) {
  const MethodRow& row = method_row(method);
  return row.make(row, ig);
}

}  // namespace detail

const std::vector<MethodInfo>& methods() {
  static const std::vector<MethodInfo> infos = [] {
    std::vector<MethodInfo> out;
    for (const detail::MethodRow& row : detail::method_rows()) out.push_back(row.info);
    return out;
  }();
  return infos;
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
