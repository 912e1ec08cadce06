#pragma once
// Consistent initial values for index-1 DAEs: with the differential states fixed, Newton's method on the algebraic
// equations g(x, z) = 0 for the algebraic variables z.
#include <string>

#include "solve/stepper.h"

namespace numen::detail {

/// Makes x consistent (when ig.options.initialize_algebraic) or checks that it is. Returns false with
/// ig.failure = InitFailure and a message naming the variable that could not be made consistent.
bool initialize_algebraic(Integration& ig, double t, double* x);

}  // namespace numen::detail
