#pragma once
// Tapes compiled to machine code. The interpreter (tape.cpp) costs about a
// nanosecond per instruction, which is most of a solve's time; a tape that has
// run often enough to pay for its compilation is translated into a function of
// the host: a WebAssembly module instantiated beside the core in the browser
// (wasm_codegen.cpp, jit_wasm.cpp), or LLVM's ORC JIT natively (jit_llvm.cpp).
// The interpreter stays the reference: a compiled tape computes the same IEEE
// operations in the same order and calls the same libm, so it gives the
// interpreter's bits (tests/expr/jit_test.cpp checks every example model).
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "expr/tape.h"

namespace numen::expr {

/// A compiled tape: reads its leaves from the workspace, writes its outputs to
/// out, which must not overlap the workspace (outputs may be stored before the
/// last leaf is read).
using TapeFunction = void (*)(const double* workspace, double* out);

/// Owns the code of one compiled tape and releases it when destroyed.
class CompiledTape {
 public:
  virtual ~CompiledTape() = default;
  TapeFunction function() const { return function_; }

 protected:
  TapeFunction function_ = nullptr;
};

/// What a tape compiler needs besides the tape: where the leaves live and the
/// constants' values (inlined).
struct TapeContext {
  const WorkspaceLayout& layout;
  const std::vector<double>& constants;
};

/// Compiles a finalized tape for this host; nullptr when the build has no JIT,
/// the tape uses an operation the JIT leaves to the interpreter (table
/// lookups), or the host refuses (the interpreter then keeps running it).
std::unique_ptr<CompiledTape> compile_tape(const Tape& tape, const TapeContext& context);

/// Whether this build can compile tapes at all.
bool jit_available();

/// Runs a compile job where this build compiles: at once in the browser (the
/// engine compiles a module in well under a millisecond), on a background
/// thread natively (LLVM takes milliseconds; the interpreter goes on
/// meanwhile).
void run_compile_job(std::function<void()> job);

/// Tapes longer than this stay interpreted: compile time and code size grow
/// with the tape, and the largest models spend their time in linear algebra,
/// not in f.
constexpr std::size_t kMaxJitInstructions = 100000;

// ---- WebAssembly code generation (portable: compiled and unit-tested in every
// build) ------------------------------

/// The library functions a generated module imports, in import order; each is a
/// double(double) or double(double, double) of this build's libm (so results
/// match the interpreter's).
struct WasmImports {
  std::vector<Op> ops;
};

/// Encodes the tape as a WebAssembly module that imports memory "m"."mem" and
/// the functions listed in imports (as "m"."0", "m"."1", ...) and exports "f":
/// (workspace pointer, out pointer) -> (). Returns an empty vector for tapes it
/// cannot encode.
std::vector<std::uint8_t> tape_to_wasm(const Tape& tape, const TapeContext& context, WasmImports* imports);

}  // namespace numen::expr
