#pragma once
// The method registry's internal half. Every method is one MethodRow: its public traits (the numen::MethodInfo that
// `numen methods`, option checks and hosts read), the tableau its stepper runs (where it has one) and the function
// that builds the stepper. The factory, Auto and the tests read these rows; adding a method is adding one row in
// methods.cpp (and its tableau, if new, in tableaus_*.cpp). Nothing here is in the public headers.
#include <memory>
#include <string_view>
#include <vector>

#include "numen/methods.h"
#include "solve/stepper.h"
#include "solve/tableaus.h"

namespace numen::detail {

/// The coefficients a row's stepper runs: at most one of these is set (none for methods written out by hand).
struct TableauRef {
  const ErkTableau* erk = nullptr;
  const RosenbrockTableau* rosenbrock = nullptr;
  const DirkTableau* dirk = nullptr;
  const RadauTableau* radau = nullptr;
  const SymplecticTableau* symplectic = nullptr;
  bool empty() const { return !erk && !rosenbrock && !dirk && !radau && !symplectic; }
};

struct MethodRow;
using MakeStepper = std::unique_ptr<Stepper> (*)(const MethodRow& row, Integration& ig);

struct MethodRow {
  MethodInfo info;
  TableauRef tableau;
  MakeStepper make = nullptr;
};

/// Every row, in menu order (methods() is their `info`, in the same order).
const std::vector<MethodRow>& method_rows();
/// The row of an entry of methods().
const MethodRow& method_row(const MethodInfo& info);
/// Case-insensitive lookup by name or alias; nullptr if unknown.
const MethodRow* find_method_row(std::string_view name);

// The constructors the rows name, one per stepper class (in the stepper's source file).
std::unique_ptr<Stepper> make_explicit_rk(const MethodRow& row, Integration& ig);
std::unique_ptr<Stepper> make_rodas(const MethodRow& row, Integration& ig);
std::unique_ptr<Stepper> make_rosenbrock23(const MethodRow& row, Integration& ig);
std::unique_ptr<Stepper> make_dirk(const MethodRow& row, Integration& ig);
std::unique_ptr<Stepper> make_radau(const MethodRow& row, Integration& ig);
std::unique_ptr<Stepper> make_bdf(const MethodRow& row, Integration& ig);
std::unique_ptr<Stepper> make_symplectic(const MethodRow& row, Integration& ig);
std::unique_ptr<Stepper> make_bulirsch_stoer(const MethodRow& row, Integration& ig);
std::unique_ptr<Stepper> make_auto(const MethodRow& row, Integration& ig);

}  // namespace numen::detail
