// Tape -> WebAssembly module. One function, (workspace, out) -> (): the tape's values become wasm locals (the engine
// allocates them to machine registers), shared by values whose lives do not overlap; constants become immediates;
// each leaf is loaded once, before its first read; each output is stored as soon as it is final (out never aliases
// the workspace); comparisons stay i32 until read as numbers; and the tape's forward jumps (the skipped branch of an
// if) become nested blocks left with br_if. Every operation is the interpreter's, in its order: min and max as
// selects on <= and >= (not f64.min, which differs on NaN and signed zeros), integer powers by the same
// square-and-multiply sequence, libm calls through imports of this build's own functions.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <deque>
#include <optional>
#include <queue>

#include "expr/jit.h"
#include "expr/libm.h"

namespace numen::expr {
namespace {

// Opcodes (WebAssembly core specification, binary format).
enum : std::uint8_t {
  kBlock = 0x02,
  kEnd = 0x0B,
  kBrIf = 0x0D,
  kCall = 0x10,
  kSelect = 0x1B,
  kLocalGet = 0x20,
  kLocalSet = 0x21,
  kF64Load = 0x2B,
  kF64Store = 0x39,
  kF64Const = 0x44,
  kI32Eqz = 0x45,
  kI32And = 0x71,
  kI32Or = 0x72,
  kF64Eq = 0x61,
  kF64Ne = 0x62,
  kF64Lt = 0x63,
  kF64Gt = 0x64,
  kF64Le = 0x65,
  kF64Ge = 0x66,
  kF64Abs = 0x99,
  kF64Neg = 0x9A,
  kF64Floor = 0x9C,
  kF64Sqrt = 0x9F,
  kF64Add = 0xA0,
  kF64Sub = 0xA1,
  kF64Mul = 0xA2,
  kF64Div = 0xA3,
  kF64ConvertI32U = 0xB8,
  kTypeI32 = 0x7F,
  kTypeF64 = 0x7C,
  kVoidBlock = 0x40,
};

using Bytes = std::vector<std::uint8_t>;

void uleb(Bytes& out, std::uint64_t v) {
  do {
    std::uint8_t byte = v & 0x7F;
    v >>= 7;
    if (v) byte |= 0x80;
    out.push_back(byte);
  } while (v);
}

void name(Bytes& out, const char* s) {
  const std::size_t n = std::strlen(s);
  uleb(out, n);
  out.insert(out.end(), s, s + n);
}

void section(Bytes& module, std::uint8_t id, const Bytes& body) {
  module.push_back(id);
  uleb(module, body.size());
  module.insert(module.end(), body.begin(), body.end());
}

bool is_jump(Op op) { return op == Op::JumpIfZero || op == Op::JumpIfNonZero; }
/// Whether the instruction reads registers b and c (a select reads all three).
bool reads_b(Op op) { return is_binary(op) || op == Op::Select; }
bool reads_c(Op op) { return op == Op::Select; }

class FunctionWriter {
 public:
  FunctionWriter(const Tape& tape, const TapeContext& cx, WasmImports* imports)
      : tape_(tape), cx_(cx), imports_(imports) {}

  /// The function body (locals and code), or false if the tape cannot be
  /// encoded.
  bool write(Bytes& body) {
    if (!plan()) return false;
    uleb(code_, n_i32_ ? 2 : 1);  // groups of locals: the f64 ones, then the i32 ones (booleans)
    uleb(code_, n_f64_);
    code_.push_back(kTypeF64);
    if (n_i32_) {
      uleb(code_, n_i32_);
      code_.push_back(kTypeI32);
    }
    std::vector<std::size_t> open;  // jump targets of the blocks now open, innermost last
    const std::size_t size = tape_.code.size();
    for (std::size_t pc = 0; pc <= size; ++pc) {
      while (!open.empty() && open.back() == pc) {
        code_.push_back(kEnd);
        open.pop_back();
      }
      for (const Value* v : loads_at_[pc]) {
        code_.push_back(kLocalGet);
        uleb(code_, 0);
        load(v->reg);
        set(local_of(*v));
      }
      if (pc == size) break;
      const Instr& in = tape_.code[pc];
      if (is_jump(in.op)) {
        open.push_back(in.b);
        code_.push_back(kBlock);
        code_.push_back(kVoidBlock);
        truth(in.a);
        if (in.op == Op::JumpIfZero) op(kI32Eqz);
        code_.push_back(kBrIf);
        uleb(code_, 0);
        continue;
      }
      if (!emit(in)) return false;  // reads the operands' current values
      current_[in.dst] = defined_at_[pc];
      set(local_of(*defined_at_[pc]));
      for (std::size_t k : stores_at_[pc]) store(k);
    }
    for (std::size_t k : stores_at_[size]) store(k);
    code_.push_back(kEnd);
    body = std::move(code_);
    return true;
  }

 private:
  // Locals. The tape's registers are reused, so a register holds one value after another: each write of a
  // temporary starts a new value, and each leaf the tape reads is one value, loaded once. A value lives from its
  // definition (a leaf: its load) to its last read, and values whose lives do not overlap share a local, so a
  // model with 16,000 states needs a few hundred locals, not one per register (V8 refuses a function of more than
  // 50,000). Positions are 4 per instruction, in the order things happen: leaf loads (4 pc), reads (4 pc + 1),
  // the write (4 pc + 2), output stores (4 pc + 3).
  // A comparison or logical operation gives 0 or 1: such a value is kept as an i32 (what wasm's comparisons give)
  // and converted to f64 only where it is read as a number, so a condition is not converted and compared with 0
  // again.
  struct Value {
    std::uint32_t reg = 0, local = 0;  // local: its number among the locals of its type
    std::size_t begin = 0, end = 0;
    bool boolean = false;
  };
  /// The wasm local index: the two parameters, then the f64 locals, then the i32 ones.
  std::uint32_t local_of(const Value& v) const { return 2 + (v.boolean ? n_f64_ : 0) + v.local; }
  static std::size_t at_load(std::size_t pc) { return 4 * pc; }
  static std::size_t at_read(std::size_t pc) { return 4 * pc + 1; }
  static std::size_t at_write(std::size_t pc) { return 4 * pc + 2; }
  static std::size_t at_store(std::size_t pc) { return 4 * pc + 3; }
  bool is_temp(std::uint32_t idx) const { return idx >= cx_.layout.temps; }
  bool is_leaf(std::uint32_t idx) const { return idx >= cx_.layout.time && idx < cx_.layout.temps; }

  /// Finds every value's life, where each leaf is loaded and each output stored, and gives each value a local;
  /// false if the tape cannot be encoded (tables, jumps that do not nest).
  bool plan() {
    const std::size_t size = tape_.code.size();
    loads_at_.assign(size + 1, {});
    stores_at_.assign(size + 1, {});
    defined_at_.assign(size, nullptr);
    const std::size_t n_registers = cx_.layout.size;
    current_.assign(n_registers, nullptr);
    leaf_value_.assign(n_registers, nullptr);
    last_write_.assign(n_registers, std::nullopt);
    auto in_range = [&](std::uint32_t idx) { return idx < n_registers; };
    // A leaf is loaded where its load runs before every read of it: at its first read, or, if that is inside a
    // block (which may be skipped), at the jump that opens the outermost block around it.
    std::vector<std::size_t> open;
    std::size_t outermost = 0;
    bool well_formed = true;
    auto read = [&](std::uint32_t idx, std::size_t pc) {
      if (!in_range(idx)) {
        well_formed = false;
      } else if (is_temp(idx)) {
        if (!current_[idx]) well_formed = false;  // read before any write
        else current_[idx]->end = at_read(pc);
      } else if (is_leaf(idx)) {
        Value*& v = leaf_value_[idx];
        if (!v) {
          const std::size_t load_pc = open.empty() ? pc : outermost;
          v = new_value(idx, at_load(load_pc));
          loads_at_[load_pc].push_back(v);
        }
        v->end = at_read(pc);
      }
    };
    for (std::size_t pc = 0; pc < size; ++pc) {
      while (!open.empty() && open.back() == pc) open.pop_back();
      const Instr& in = tape_.code[pc];
      if (in.op == Op::Interp || in.op == Op::InterpSlope) return false;  // tables stay interpreted
      if (is_jump(in.op)) {
        if (in.b <= pc || in.b > size || (!open.empty() && in.b > open.back())) return false;  // not nested
        if (open.empty()) outermost = pc;
        read(in.a, pc);
        open.push_back(in.b);
        continue;
      }
      read(in.a, pc);
      if (reads_b(in.op)) read(in.b, pc);
      if (reads_c(in.op)) read(in.c, pc);
      if (!is_temp(in.dst) || !in_range(in.dst)) return false;  // a tape writes temporaries only
      current_[in.dst] = defined_at_[pc] = new_value(in.dst, at_write(pc));
      defined_at_[pc]->boolean = is_boolean(in.op);
      last_write_[in.dst] = Write{pc, open.empty()};
    }
    if (!well_formed || (!open.empty() && open.back() != size)) return false;
    // A temporary output is stored as soon as it is final: after its register's last write, if that always runs
    // (otherwise at the end). Its local is then free for other values, where holding every output to the end
    // would take one local each. Constants and leaves are stored at the end, straight from memory or immediates.
    for (std::size_t k = 0; k < tape_.outputs.size(); ++k) {
      const std::uint32_t o = tape_.outputs[k];
      if (!in_range(o) || (is_temp(o) && !last_write_[o])) return false;  // an output never written
      const bool early = is_temp(o) && last_write_[o]->always;
      const std::size_t pc = early ? last_write_[o]->pc : size;
      stores_at_[pc].push_back(k);
      if (is_temp(o)) current_[o]->end = std::max(current_[o]->end, early ? at_store(pc) : at_read(size));
    }
    allocate();
    std::fill(current_.begin(), current_.end(), nullptr);  // write() follows the definitions again
    return true;
  }

  Value* new_value(std::uint32_t reg, std::size_t begin) {
    values_.push_back(Value{reg, 0, begin, begin});
    return &values_.back();
  }

  /// Linear scan: values in order of definition, each taking a local of its type freed by a value whose life has
  /// ended.
  void allocate() {
    std::vector<Value*> order;
    for (Value& v : values_) order.push_back(&v);
    std::stable_sort(order.begin(), order.end(), [](const Value* x, const Value* y) { return x->begin < y->begin; });
    using Busy = std::pair<std::size_t, std::uint32_t>;  // (end of life, local)
    std::priority_queue<Busy, std::vector<Busy>, std::greater<Busy>> busy[2];
    std::vector<std::uint32_t> free[2];
    std::uint32_t count[2] = {2, 0};  // f64: the two scratch locals of pow_int first (kScratch)
    for (Value* v : order) {
      const int type = v->boolean ? 1 : 0;
      while (!busy[type].empty() && busy[type].top().first < v->begin) {
        free[type].push_back(busy[type].top().second);
        busy[type].pop();
      }
      if (free[type].empty()) {
        v->local = count[type]++;
      } else {
        v->local = free[type].back();
        free[type].pop_back();
      }
      busy[type].push({v->end, v->local});
    }
    n_f64_ = count[0];
    n_i32_ = count[1];
  }

  void store(std::size_t k) {
    const std::uint32_t o = tape_.outputs[k];
    code_.push_back(kLocalGet);
    uleb(code_, 1);
    if (is_leaf(o)) {
      code_.push_back(kLocalGet);
      uleb(code_, 0);
      load(o);
    } else {
      get(o);
    }
    code_.push_back(kF64Store);
    uleb(code_, 3);  // alignment 2^3
    uleb(code_, 8 * k);
  }

  void load(std::uint32_t idx) {
    code_.push_back(kF64Load);
    uleb(code_, 3);
    uleb(code_, 8ull * idx);
  }
  void set(std::uint32_t local) {
    code_.push_back(kLocalSet);
    uleb(code_, local);
  }
  void get_local(std::uint32_t local) {
    code_.push_back(kLocalGet);
    uleb(code_, local);
  }
  void constant(double v) {
    code_.push_back(kF64Const);
    std::uint8_t b[8];
    std::memcpy(b, &v, 8);  // little-endian host and wasm alike
    code_.insert(code_.end(), b, b + 8);
  }
  void zero() { constant(0.0); }
  /// Pushes the value of register idx, as an f64.
  void get(std::uint32_t idx) {
    if (idx < cx_.layout.time) {
      constant(cx_.constants[idx]);
    } else if (is_temp(idx)) {
      get_local(local_of(*current_[idx]));
      if (current_[idx]->boolean) to_f64();
    } else {
      get_local(local_of(*leaf_value_[idx]));
    }
  }
  /// Pushes whether register idx is nonzero, as an i32.
  void truth(std::uint32_t idx) {
    if (is_temp(idx) && current_[idx]->boolean) {
      get_local(local_of(*current_[idx]));
      return;
    }
    get(idx);
    zero();
    op(kF64Ne);
  }
  void op(std::uint8_t opcode) { code_.push_back(opcode); }
  void to_f64() { op(kF64ConvertI32U); }
  void call(Op fn) {
    std::size_t k = 0;
    while (k < imports_->ops.size() && imports_->ops[k] != fn) ++k;
    if (k == imports_->ops.size()) imports_->ops.push_back(fn);
    op(kCall);
    uleb(code_, k);  // imported functions come first in the function index space
  }

  /// Pushes the instruction's result (its destination is set by the caller).
  bool emit(const Instr& in) {
    const std::uint32_t a = in.a, b = in.b;
    if (libm_function(in.op)) {
      get(a);
      if (is_libm_binary(in.op)) get(b);
      call(in.op);
      return true;
    }
    auto binary = [&](std::uint8_t opcode) {
      get(a);
      get(b);
      op(opcode);
    };
    auto compare = [&](std::uint8_t opcode) { binary(opcode); };  // an i32: the value is boolean
    switch (in.op) {
      case Op::Add: binary(kF64Add); return true;
      case Op::Sub: binary(kF64Sub); return true;
      case Op::Mul: binary(kF64Mul); return true;
      case Op::Div: binary(kF64Div); return true;
      case Op::Neg:
        get(a);
        op(kF64Neg);
        return true;
      case Op::Abs:
        get(a);
        op(kF64Abs);
        return true;
      case Op::Floor:
        get(a);
        op(kF64Floor);
        return true;
      case Op::Sqrt:
        get(a);
        op(kF64Sqrt);
        return true;
      case Op::Square:
        get(a);
        get(a);
        op(kF64Mul);
        return true;
      case Op::Min:
        get(a);
        get(b);
        binary(kF64Le);
        op(kSelect);
        return true;
      case Op::Max:
        get(a);
        get(b);
        binary(kF64Ge);
        op(kSelect);
        return true;
      case Op::Lt: compare(kF64Lt); return true;
      case Op::Le: compare(kF64Le); return true;
      case Op::Gt: compare(kF64Gt); return true;
      case Op::Ge: compare(kF64Ge); return true;
      case Op::Eq: compare(kF64Eq); return true;
      case Op::Ne: compare(kF64Ne); return true;
      case Op::And:
        truth(a);
        truth(b);
        op(kI32And);
        return true;
      case Op::Or:
        truth(a);
        truth(b);
        op(kI32Or);
        return true;
      case Op::Not:
        truth(a);
        op(kI32Eqz);
        return true;
      case Op::Select:
        get(b);
        get(in.c);
        truth(a);
        op(kSelect);
        return true;
      case Op::GuardMul:
        zero();
        binary(kF64Mul);
        get(a);
        zero();
        op(kF64Eq);
        op(kSelect);
        return true;
      case Op::Sign:
        constant(1.0);
        constant(-1.0);
        zero();
        get(a);
        zero();
        op(kF64Lt);
        op(kSelect);
        get(a);
        zero();
        op(kF64Gt);
        op(kSelect);
        return true;
      case Op::PowInt: {
        std::int32_t e;
        std::memcpy(&e, &in.b, sizeof e);
        pow_int(a, e);
        return true;
      }
      default: return false;
    }
  }

  // tape.cpp's pow_int, unrolled for this exponent: the same multiplications in
  // the same order.
  void pow_int(std::uint32_t a, std::int32_t n) {
    const std::uint32_t result = kScratch, base = kScratch + 1;
    const bool invert = n < 0;
    unsigned e = static_cast<unsigned>(invert ? -static_cast<long>(n) : n);
    get(a);
    set(base);
    constant(1.0);
    set(result);
    while (e) {
      if (e & 1u) {
        get_local(result);
        get_local(base);
        op(kF64Mul);
        set(result);
      }
      e >>= 1u;
      if (e) {
        get_local(base);
        get_local(base);
        op(kF64Mul);
        set(base);
      }
    }
    if (invert) constant(1.0);
    get_local(result);
    if (invert) op(kF64Div);
  }

  const Tape& tape_;
  const TapeContext& cx_;
  WasmImports* imports_;
  Bytes code_;
  std::deque<Value> values_;  // deque: the pointers below stay valid as it grows
  // By register (indices below layout.size):
  std::vector<Value*> current_;     // a temporary: the value it holds now
  std::vector<Value*> leaf_value_;  // a leaf: its loaded value
  struct Write {
    std::size_t pc = 0;
    bool always = false;  // at depth 0: it runs whatever the branches
  };
  std::vector<std::optional<Write>> last_write_;
  std::vector<Value*> defined_at_;                   // pc -> the value its instruction writes
  std::vector<std::vector<Value*>> loads_at_;        // pc -> leaves loaded before it
  std::vector<std::vector<std::size_t>> stores_at_;  // pc -> outputs stored after it (size: at the end)
  static constexpr std::uint32_t kScratch = 2;       // the wasm locals pow_int works in: the first two f64 locals
  std::uint32_t n_f64_ = 0, n_i32_ = 0;
};

}  // namespace

std::vector<std::uint8_t> tape_to_wasm(const Tape& tape, const TapeContext& context, WasmImports* imports) {
  imports->ops.clear();
  Bytes body;
  if (!FunctionWriter(tape, context, imports).write(body)) return {};

  Bytes module = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
  Bytes types;
  uleb(types, 3);
  for (const Bytes& t : {Bytes{0x60, 2, kTypeI32, kTypeI32, 0},             // 0: the tape (workspace, out)
                         Bytes{0x60, 1, kTypeF64, 1, kTypeF64},             // 1: double(double)
                         Bytes{0x60, 2, kTypeF64, kTypeF64, 1, kTypeF64}})  // 2: double(double, double)
    types.insert(types.end(), t.begin(), t.end());
  section(module, 1, types);

  Bytes imports_section;
  uleb(imports_section, 1 + imports->ops.size());
  name(imports_section, "m");
  name(imports_section, "mem");
  imports_section.insert(imports_section.end(), {0x02, 0x00, 0x00});  // memory, no maximum, at least 0 pages
  for (std::size_t k = 0; k < imports->ops.size(); ++k) {
    name(imports_section, "m");
    name(imports_section, std::to_string(k).c_str());
    imports_section.push_back(0x00);  // function
    imports_section.push_back(is_libm_binary(imports->ops[k]) ? 2 : 1);
  }
  section(module, 2, imports_section);

  section(module, 3, Bytes{1, 0});  // one function of type 0
  Bytes exports;
  uleb(exports, 1);
  name(exports, "f");
  exports.push_back(0x00);
  uleb(exports, imports->ops.size());
  section(module, 7, exports);

  Bytes code;
  uleb(code, 1);
  uleb(code, body.size());
  code.insert(code.end(), body.begin(), body.end());
  section(module, 10, code);
  return module;
}

}  // namespace numen::expr
