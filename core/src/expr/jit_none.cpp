// Builds without a tape compiler (native builds without LLVM): the interpreter
// runs every tape.
#include "expr/jit.h"

namespace numen::expr {

void run_compile_job(std::function<void()> job) { job(); }

bool jit_available() { return false; }

std::unique_ptr<CompiledTape> compile_tape(const Tape&, const TapeContext&) { return nullptr; }

}  // namespace numen::expr
