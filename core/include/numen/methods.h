#pragma once
// The method table: the one list of integrators, used by the solver, the CLI's help and the workbench's menu.
// Each entry is the public half of one row of the solver's registry (core/src/solve/methods.cpp), whose other half,
// the tableau and the stepper's constructor, stays inside the core.
#include <string>
#include <string_view>
#include <vector>

namespace numen {

enum class MethodFamily { ExplicitRK, FixedStep, Extrapolation, Rosenbrock, BDF, SDIRK, ImplicitRK, Symplectic, Auto };

struct MethodInfo {
  std::string name;                  ///< canonical name, e.g. "Tsit5"
  std::vector<std::string> aliases;  ///< other accepted spellings, e.g. {"DP5"}
  MethodFamily family;
  int order;          ///< classical order of the solution (0 for Auto)
  bool adaptive;      ///< error-controlled step size (false: `dt` is required)
  bool stiff;         ///< suited to stiff problems (implicit or linearly implicit)
  bool mass_matrix;   ///< handles index-1 DAEs written with algebraic variables
  bool second_order;  ///< needs a separable second-order system x'' = a(x, t) (symplectic methods)
  std::string summary;
};

const char* to_string(MethodFamily family);

/// Every method, in menu order.
const std::vector<MethodInfo>& methods();

/// Case-insensitive lookup by name or alias; nullptr if unknown.
const MethodInfo* find_method(std::string_view name);

/// "Tsit5, Dopri5 (DP5), ..." for error messages that list the valid names.
std::string method_names();

}  // namespace numen
