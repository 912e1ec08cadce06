#pragma once
// The library operations (Pow, Exp, ...) that compiled tapes call rather than inline: both tape compilers call this
// build's own functions, so that compiled tapes give the interpreter's results bit for bit.
#include "expr/ops.h"

namespace numen::expr {

/// Address of this build's implementation of a library operation: double(double[, double]); nullptr for an
/// operation that compiles inline.
void* libm_function(Op op);
/// Whether the library operation takes two arguments (Pow, Atan2, Hypot).
bool is_libm_binary(Op op);

}  // namespace numen::expr
