// The browser's tape compiler: the module from tape_to_wasm is compiled by the
// engine (V8, SpiderMonkey, ...), instantiated on the core's own memory and
// libm, and entered into the core's function table, so C++ calls it through an
// ordinary function pointer. Compiling wasm is not evaluating JavaScript: the
// code is generated from the tape's fixed operations, never from user text, and
// runs sandboxed on the same memory.
#include <emscripten.h>

#include <cstdint>

#include "expr/jit.h"
#include "expr/libm.h"

// Returns the table index of the new function, or 0 if the engine refused (then
// the interpreter runs the tape). wasmTable, wasmMemory, HEAPU8 and HEAP32 are
// the Emscripten runtime's own.
EM_JS(int, numen_jit_instantiate, (const std::uint8_t* bytes, int size, const int* functions, int n_functions), {
  try {
    var imports = {mem : wasmMemory};
    for (var i = 0; i < n_functions; ++i) imports[String(i)] = wasmTable.get(HEAP32[(functions >> 2) + i]);
    var module = new WebAssembly.Module(HEAPU8.slice(bytes, bytes + size));
    var instance = new WebAssembly.Instance(module, {m : imports});
    var free = Module['numenJitFreeSlots'] || (Module['numenJitFreeSlots'] = []);
    var index = free.length ? free.pop() : wasmTable.grow(1);
    wasmTable.set(index, instance.exports['f']);
    return index;
  } catch (e) {
    return 0;
  }
});

EM_JS(void, numen_jit_release, (int index), {
  wasmTable.set(index, null);
  (Module['numenJitFreeSlots'] || (Module['numenJitFreeSlots'] = [])).push(index);
});

namespace numen::expr {
namespace {

class WasmTape final : public CompiledTape {
 public:
  explicit WasmTape(int index) : index_(index) {
    function_ = reinterpret_cast<TapeFunction>(static_cast<std::uintptr_t>(index));
  }
  ~WasmTape() override { numen_jit_release(index_); }

 private:
  int index_;
};

}  // namespace

void run_compile_job(std::function<void()> job) { job(); }

bool jit_available() { return true; }

std::unique_ptr<CompiledTape> compile_tape(const Tape& tape, const TapeContext& context) {
  if (tape.code.size() > kMaxJitInstructions) return nullptr;
  WasmImports imports;
  const std::vector<std::uint8_t> bytes = tape_to_wasm(tape, context, &imports);
  if (bytes.empty()) return nullptr;
  std::vector<int> functions;
  for (Op op : imports.ops) functions.push_back(static_cast<int>(reinterpret_cast<std::uintptr_t>(libm_function(op))));
  const int index = numen_jit_instantiate(bytes.data(), static_cast<int>(bytes.size()), functions.data(),
                                          static_cast<int>(functions.size()));
  if (index <= 0) return nullptr;
  return std::make_unique<WasmTape>(index);
}

}  // namespace numen::expr
