#include "solve/stepper.h"

namespace numen::detail {

std::unique_ptr<Stepper> make_stepper(const MethodInfo& method, Integration& ig) {
  switch (method.family) {
    case MethodFamily::ExplicitRK:
    case MethodFamily::FixedStep: return make_explicit_rk(method, ig);
    case MethodFamily::Extrapolation: return make_bulirsch_stoer(method, ig);
    case MethodFamily::Rosenbrock: return make_rosenbrock(method, ig);
    case MethodFamily::BDF: return make_bdf(method, ig);
    case MethodFamily::SDIRK: return make_dirk(method, ig);
    case MethodFamily::ImplicitRK: return make_radau(method, ig);
    case MethodFamily::Symplectic: return make_symplectic(method, ig);
    case MethodFamily::Auto: return make_auto(method, ig);
  }
  return nullptr;
}

}  // namespace numen::detail
