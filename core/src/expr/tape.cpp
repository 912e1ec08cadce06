#include "expr/tape.h"

#include "expr/jit.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <exception>
#include <functional>
#include <limits>
#include <unordered_map>

namespace numen::expr {
namespace {

constexpr std::uint32_t kIndexMask = (1u << 28) - 1;

double pow_int(double a, int n) {
  bool invert = n < 0;
  unsigned e = static_cast<unsigned>(invert ? -static_cast<long>(n) : n);
  double result = 1.0, base = a;
  while (e) {
    if (e & 1u) result *= base;
    base *= base;
    e >>= 1u;
  }
  return invert ? 1.0 / result : result;
}

}  // namespace

std::uint32_t Program::leaf_operand(const Graph& graph, NodeId id) {
  const Node& n = graph[id];
  switch (n.op) {
    case Op::Const: {  // callers look up existing slots first; this appends a new one
      const auto slot = static_cast<std::uint32_t>(constants_.size());
      constants_.push_back(n.value);
      const_index_.emplace_back(id, slot);
      return (kConstLeaf << 28) | slot;
    }
    case Op::Time: return kTimeLeaf << 28;
    case Op::State: return (kStateLeaf << 28) | static_cast<std::uint32_t>(n.index);
    case Op::Param: return (kParamLeaf << 28) | static_cast<std::uint32_t>(n.index);
    case Op::Discrete: return (kDiscreteLeaf << 28) | static_cast<std::uint32_t>(n.index);
    case Op::Input: return (kInputLeaf << 28) | static_cast<std::uint32_t>(n.index);
    default: return 0;
  }
}

namespace {
// Depends on parameters and nothing that changes during a solve (and is not itself a leaf).
bool is_invariant(const Node& n) { return !is_leaf(n.op) && n.depends_on == kDependsOnParam; }
}  // namespace

int Program::add_tape(const Graph& graph, const std::vector<NodeId>& outputs) {
  tapes_.push_back(build(graph, outputs, true));
  return static_cast<int>(tapes_.size()) - 1;
}

Tape Program::build(const Graph& graph, const std::vector<NodeId>& outputs, bool hoist) {
  // Constants are looked up linearly above; index them once for big graphs.
  std::unordered_map<NodeId, std::uint32_t> const_slot;
  for (const auto& [node, slot] : const_index_) const_slot.emplace(node, slot);
  auto leaf = [&](NodeId id) -> std::uint32_t {
    if (graph[id].op == Op::Const) {
      auto it = const_slot.find(id);
      if (it != const_slot.end()) return (kConstLeaf << 28) | it->second;
      const std::uint32_t operand = leaf_operand(graph, id);
      const_slot.emplace(id, operand & kIndexMask);
      return operand;
    }
    return leaf_operand(graph, id);
  };
  // In per-call tapes an invariant node is read like a variable from its slot; its own tape computes it.
  auto hoisted = [&](NodeId id) { return hoist && is_invariant(graph[id]); };
  auto is_operand_leaf = [&](NodeId id) { return is_leaf(graph[id].op) || hoisted(id); };
  auto invariant = [&](NodeId id) -> std::uint32_t {
    auto [it, added] = invariant_slot_.emplace(id, static_cast<std::uint32_t>(invariants_.size()));
    if (added) invariants_.push_back(id);
    return (kInvariantLeaf << 28) | it->second;
  };

  // 1. The interior nodes needed, in topological (id) order.
  std::vector<NodeId> order;
  std::unordered_map<NodeId, int> position;  // node -> index in order
  {
    std::vector<NodeId> stack(outputs.begin(), outputs.end());
    std::unordered_map<NodeId, char> seen;
    while (!stack.empty()) {
      const NodeId id = stack.back();
      stack.pop_back();
      if (is_operand_leaf(id) || !seen.emplace(id, 1).second) continue;
      order.push_back(id);
      const Node& n = graph[id];
      for (NodeId c : {n.a, n.b, n.c})
        if (c >= 0) stack.push_back(c);
    }
    std::sort(order.begin(), order.end());
    for (std::size_t i = 0; i < order.size(); ++i) position[order[i]] = static_cast<int>(i);
  }

  // 2. Guards: under which branch of which if() each node is needed. A node used only inside one branch of an
  //    if() goes into that branch's block, which the tape jumps over when the other branch is taken. Blocks nest;
  //    a node needed in several places gets the innermost block enclosing them all (their common ancestor).
  struct Block {
    NodeId select;
    bool side;
    int parent, depth;
  };
  std::vector<Block> blocks{{-1, false, -1, 0}};  // block 0: always
  std::unordered_map<std::uint64_t, int> block_index;
  std::vector<int> guard(order.size(), -1);
  auto common = [&](int a, int b) {
    if (a < 0) return b;
    while (blocks[static_cast<std::size_t>(a)].depth > blocks[static_cast<std::size_t>(b)].depth)
      a = blocks[static_cast<std::size_t>(a)].parent;
    while (blocks[static_cast<std::size_t>(b)].depth > blocks[static_cast<std::size_t>(a)].depth)
      b = blocks[static_cast<std::size_t>(b)].parent;
    while (a != b) {
      a = blocks[static_cast<std::size_t>(a)].parent;
      b = blocks[static_cast<std::size_t>(b)].parent;
    }
    return a;
  };
  auto branch_block = [&](NodeId select, bool side, int parent) {
    const std::uint64_t key = (static_cast<std::uint64_t>(select) << 1) | (side ? 1u : 0u);
    auto [it, added] = block_index.emplace(key, static_cast<int>(blocks.size()));
    if (added) blocks.push_back(Block{select, side, parent, blocks[static_cast<std::size_t>(parent)].depth + 1});
    return it->second;
  };
  auto needed = [&](NodeId child, int g) {
    if (child < 0 || is_operand_leaf(child)) return;
    int& slot = guard[static_cast<std::size_t>(position[child])];
    slot = common(slot, g);
  };
  for (NodeId o : outputs) needed(o, 0);
  for (std::size_t i = order.size(); i-- > 0;) {  // users before what they use
    const Node& n = graph[order[i]];
    const int g = guard[i];
    if (n.op == Op::Select) {
      needed(n.a, g);
      needed(n.b, branch_block(order[i], true, g));
      needed(n.c, branch_block(order[i], false, g));
    } else {
      needed(n.a, g);
      if (n.op != Op::Interp && n.op != Op::InterpSlope) needed(n.b, g);
      needed(n.c, g);
    }
  }
  // A jump costs about one instruction: blocks of fewer than two are dissolved into their parents, innermost first.
  std::vector<std::vector<int>> members(blocks.size());
  for (std::size_t i = 0; i < order.size(); ++i)
    members[static_cast<std::size_t>(guard[i])].push_back(static_cast<int>(i));
  std::vector<int> by_depth(blocks.size());
  for (std::size_t b = 0; b < blocks.size(); ++b) by_depth[b] = static_cast<int>(b);
  std::sort(by_depth.begin(), by_depth.end(), [&](int a, int b) {
    return blocks[static_cast<std::size_t>(a)].depth > blocks[static_cast<std::size_t>(b)].depth;
  });
  std::vector<char> dissolved(blocks.size(), 0);
  for (int b : by_depth) {
    if (b == 0 || members[static_cast<std::size_t>(b)].size() >= 2) continue;
    dissolved[static_cast<std::size_t>(b)] = 1;
    auto& parent = members[static_cast<std::size_t>(blocks[static_cast<std::size_t>(b)].parent)];
    parent.insert(parent.end(), members[static_cast<std::size_t>(b)].begin(),
                  members[static_cast<std::size_t>(b)].end());
    members[static_cast<std::size_t>(b)].clear();
    // Blocks nested in a dissolved block now hang from its parent.
    for (Block& other : blocks)
      if (other.parent == b) other.parent = blocks[static_cast<std::size_t>(b)].parent;
  }
  for (auto& m : members) std::sort(m.begin(), m.end());

  // 3. The schedule: each block's nodes in topological order, a branch's block placed just before its if().
  struct Item {
    int node;      // position in order, or -1 for a jump
    NodeId cond;   // jumps: the condition
    bool if_zero;  // jumps: jump when cond == 0 (skipping a true branch)
    std::size_t target;
  };
  std::vector<Item> schedule;
  schedule.reserve(order.size() + 8);
  std::function<void(int)> emit_block = [&](int b) {
    for (int p : members[static_cast<std::size_t>(b)]) {
      const Node& n = graph[order[static_cast<std::size_t>(p)]];
      if (n.op == Op::Select) {
        for (bool side : {true, false}) {
          auto it = block_index.find((static_cast<std::uint64_t>(order[static_cast<std::size_t>(p)]) << 1) |
                                     (side ? 1u : 0u));
          if (it == block_index.end() || dissolved[static_cast<std::size_t>(it->second)] ||
              members[static_cast<std::size_t>(it->second)].empty())
            continue;
          const std::size_t jump = schedule.size();
          schedule.push_back(Item{-1, n.a, side, 0});
          emit_block(it->second);
          schedule[jump].target = schedule.size();
        }
      }
      schedule.push_back(Item{p, -1, false, 0});
    }
  };
  emit_block(0);

  // 4. Last use of each node by schedule position (outputs live to the end).
  std::vector<int> last_use(order.size(), -1);
  auto use = [&](NodeId c, std::size_t at) {
    if (c >= 0 && !is_operand_leaf(c)) last_use[static_cast<std::size_t>(position[c])] = static_cast<int>(at);
  };
  for (std::size_t k = 0; k < schedule.size(); ++k) {
    if (schedule[k].node < 0) {
      use(schedule[k].cond, k);
      continue;
    }
    const Node& n = graph[order[static_cast<std::size_t>(schedule[k].node)]];
    use(n.a, k);
    if (n.op != Op::Interp && n.op != Op::InterpSlope) use(n.b, k);
    use(n.c, k);
  }
  for (NodeId o : outputs)
    if (!is_operand_leaf(o)) last_use[static_cast<std::size_t>(position[o])] = std::numeric_limits<int>::max();

  // 5. Emit with linear-scan register reuse.
  Tape tape;
  tape.code.reserve(schedule.size());
  std::vector<std::uint32_t> reg(order.size());
  std::vector<std::uint32_t> free_regs;
  std::uint32_t n_temps = 0;
  auto operand = [&](NodeId id) -> std::uint32_t {
    if (is_leaf(graph[id].op)) return leaf(id);
    if (hoisted(id)) return invariant(id);
    return kTemp | reg[static_cast<std::size_t>(position[id])];
  };
  auto release = [&](NodeId c, std::size_t at) {
    if (c < 0 || is_operand_leaf(c)) return;
    const std::size_t pc = static_cast<std::size_t>(position[c]);
    if (last_use[pc] == static_cast<int>(at)) {
      free_regs.push_back(reg[pc]);
      last_use[pc] = -2;  // freed once even if used twice here
    }
  };
  for (std::size_t k = 0; k < schedule.size(); ++k) {
    const Item& item = schedule[k];
    if (item.node < 0) {
      tape.code.push_back(Instr{item.if_zero ? Op::JumpIfZero : Op::JumpIfNonZero, 0, operand(item.cond),
                                static_cast<std::uint32_t>(item.target), 0});
      release(item.cond, k);
      continue;
    }
    const std::size_t i = static_cast<std::size_t>(item.node);
    const Node& n = graph[order[i]];
    Instr in{n.op, 0, 0, 0, 0};
    if (n.a >= 0) in.a = operand(n.a);
    if (n.b >= 0) in.b = operand(n.b);
    if (n.c >= 0) in.c = operand(n.c);
    if (n.op == Op::Interp || n.op == Op::InterpSlope) in.b = static_cast<std::uint32_t>(n.index);
    if (n.op == Op::Pow) {  // strength reduction for constant exponents
      double e;
      if (graph.is_const(n.b, &e)) {
        if (e == 2.0) {
          in.op = Op::Square;
        } else if (e == std::floor(e) && std::fabs(e) <= 64) {
          in.op = Op::PowInt;
          const std::int32_t ei = static_cast<std::int32_t>(e);
          std::memcpy(&in.b, &ei, sizeof ei);
        }
      }
    }
    // Free operands whose last use is here, then take a register (possibly one just freed: reads precede the write).
    release(n.a, k);
    if (n.op != Op::Interp && n.op != Op::InterpSlope) release(n.b, k);
    release(n.c, k);
    std::uint32_t r;
    if (!free_regs.empty()) {
      r = free_regs.back();
      free_regs.pop_back();
    } else {
      r = n_temps++;
    }
    reg[i] = r;
    in.dst = kTemp | r;
    tape.code.push_back(in);
  }
  for (NodeId o : outputs) tape.outputs.push_back(operand(o));
  max_temps_ = std::max(max_temps_, n_temps);
  return tape;
}

std::uint32_t Program::resolve(std::uint32_t operand) const {
  if (operand & kTemp) return layout_.temps + (operand & ~kTemp);
  const std::uint32_t index = operand & kIndexMask;
  switch (operand >> 28) {
    case kConstLeaf: return index;
    case kTimeLeaf: return layout_.time;
    case kStateLeaf: return layout_.x + index;
    case kParamLeaf: return layout_.p + index;
    case kDiscreteLeaf: return layout_.d + index;
    case kInputLeaf: return layout_.u + index;
    case kInvariantLeaf: return layout_.invariants + index;
    default: return 0;
  }
}

void Program::finalize(const Graph& graph) {
  // The invariants' own tape computes them from parameters (and constants) into their slots.
  invariant_tape_ = build(graph, invariants_, false);
  const auto n_const = static_cast<std::uint32_t>(constants_.size());
  layout_.time = n_const;
  layout_.x = layout_.time + 1;
  layout_.p = layout_.x + static_cast<std::uint32_t>(n_x_);
  layout_.d = layout_.p + static_cast<std::uint32_t>(n_p_);
  layout_.u = layout_.d + static_cast<std::uint32_t>(n_d_);
  layout_.invariants = layout_.u + static_cast<std::uint32_t>(n_u_);
  layout_.temps = layout_.invariants + static_cast<std::uint32_t>(invariants_.size());
  layout_.size = layout_.temps + max_temps_;
  std::vector<Tape*> all;
  for (Tape& tape : tapes_) all.push_back(&tape);
  all.push_back(&invariant_tape_);
  for (Tape* tape_ptr : all) {
    Tape& tape = *tape_ptr;
    for (Instr& in : tape.code) {
      const bool jump = in.op == Op::JumpIfZero || in.op == Op::JumpIfNonZero;
      const bool unary = is_unary(in.op) || in.op == Op::Square;
      const bool table = in.op == Op::Interp || in.op == Op::InterpSlope;
      if (!jump) in.dst = resolve(in.dst);
      in.a = resolve(in.a);
      if (!unary && !table && !jump && in.op != Op::PowInt) in.b = resolve(in.b);
      if (in.op == Op::Select) in.c = resolve(in.c);
    }
    for (std::uint32_t& o : tape.outputs) o = resolve(o);
  }
  jit_.clear();
  for (std::size_t i = 0; i < tapes_.size(); ++i) jit_.push_back(std::make_shared<Jit>());
  table_x_ = graph.table_x();
  table_y_ = graph.table_y();
  tables_.clear();
  for (std::size_t i = 0; i < table_x_.size(); ++i)
    tables_.push_back(Table{table_x_[i].data(), table_y_[i].data(), static_cast<int>(table_x_[i].size())});
}

void Program::load_parameters(double* ws, const double* p) const {
  std::copy(p, p + n_p_, ws + layout_.p);
  if (!invariant_tape_.outputs.empty()) run_tape(invariant_tape_, ws, ws + layout_.invariants);
}

std::vector<double> Program::make_workspace() const {
  std::vector<double> ws(layout_.size, 0.0);
  std::copy(constants_.begin(), constants_.end(), ws.begin());
  return ws;
}

namespace {
std::atomic<bool> g_tape_compilation{true};
}  // namespace

void set_tape_compilation(bool enabled) { g_tape_compilation.store(enabled, std::memory_order_relaxed); }
bool tape_compilation() { return g_tape_compilation.load(std::memory_order_relaxed); }

Program::Jit::~Jit() = default;

void Program::run(int i, double* r, double* out) const {
  const std::size_t k = static_cast<std::size_t>(i);
  Jit& jit = *jit_[k];
  const bool enabled = tape_compilation();
  if (auto* fn = jit.function.load(std::memory_order_acquire); fn && enabled) {
    fn(r, out);
    return;
  }
  run_tape(tapes_[k], r, out);
  // Exactly one caller sees the count reach the threshold, so a tape is compiled once even under threads.
  if (enabled && jit.calls.load(std::memory_order_relaxed) <= kJitAfterCalls &&
      jit.calls.fetch_add(1, std::memory_order_relaxed) == kJitAfterCalls)
    compile(k);
}

void Program::run_interpreted(int i, double* r, double* out) const {
  run_tape(tapes_[static_cast<std::size_t>(i)], r, out);
}

bool Program::is_compiled(int i) const {
  return jit_[static_cast<std::size_t>(i)]->function.load(std::memory_order_acquire) != nullptr;
}

void Program::compile(std::size_t k) const {
  // The job owns copies of what it reads, and the slot: the program may be gone before a background compile ends.
  run_compile_job([jit = jit_[k], tape = tapes_[k], layout = layout_, constants = constants_] {
    // Compiling is an optimization: whatever goes wrong in it, the interpreter keeps running the tape, and the
    // solve that triggered the compile goes on unharmed.
    std::unique_ptr<CompiledTape> code;
    try {
      code = compile_tape(tape, TapeContext{layout, constants});
    } catch (const std::exception&) {
      return;
    }
    if (!code) return;
    const TapeFunction function = code->function();
    jit->code = std::move(code);
    jit->function.store(function, std::memory_order_release);
  });
}

void Program::run_tape(const Tape& tape, double* r, double* out) const {
  const Instr* code = tape.code.data();
  const std::size_t size = tape.code.size();
  // One flat switch over every operation (no second dispatch through eval_unary / eval_binary): the interpreter's
  // loop is the hot path of every solve.
  for (std::size_t pc = 0; pc < size; ++pc) {
    const Instr& in = code[pc];
    const double a = r[in.a];
    switch (in.op) {
      case Op::JumpIfZero:
        if (a == 0.0) pc = in.b - 1;
        break;
      case Op::JumpIfNonZero:
        if (a != 0.0) pc = in.b - 1;
        break;
      case Op::Add: r[in.dst] = a + r[in.b]; break;
      case Op::Sub: r[in.dst] = a - r[in.b]; break;
      case Op::Mul: r[in.dst] = a * r[in.b]; break;
      case Op::Div: r[in.dst] = a / r[in.b]; break;
      case Op::Neg: r[in.dst] = -a; break;
      case Op::Square: r[in.dst] = a * a; break;
      case Op::Select: r[in.dst] = a != 0.0 ? r[in.b] : r[in.c]; break;
      case Op::GuardMul: r[in.dst] = a == 0.0 ? 0.0 : a * r[in.b]; break;
      case Op::Min: {
        const double b = r[in.b];
        r[in.dst] = a <= b ? a : b;
        break;
      }
      case Op::Max: {
        const double b = r[in.b];
        r[in.dst] = a >= b ? a : b;
        break;
      }
      case Op::Lt: r[in.dst] = a < r[in.b] ? 1.0 : 0.0; break;
      case Op::Le: r[in.dst] = a <= r[in.b] ? 1.0 : 0.0; break;
      case Op::Gt: r[in.dst] = a > r[in.b] ? 1.0 : 0.0; break;
      case Op::Ge: r[in.dst] = a >= r[in.b] ? 1.0 : 0.0; break;
      case Op::Eq: r[in.dst] = a == r[in.b] ? 1.0 : 0.0; break;
      case Op::Ne: r[in.dst] = a != r[in.b] ? 1.0 : 0.0; break;
      case Op::And: r[in.dst] = (a != 0.0 && r[in.b] != 0.0) ? 1.0 : 0.0; break;
      case Op::Or: r[in.dst] = (a != 0.0 || r[in.b] != 0.0) ? 1.0 : 0.0; break;
      case Op::Not: r[in.dst] = a == 0.0 ? 1.0 : 0.0; break;
      case Op::Sqrt: r[in.dst] = std::sqrt(a); break;
      case Op::Pow: r[in.dst] = std::pow(a, r[in.b]); break;
      case Op::PowInt: {
        std::int32_t e;
        std::memcpy(&e, &in.b, sizeof e);
        r[in.dst] = pow_int(a, e);
        break;
      }
      case Op::Exp: r[in.dst] = std::exp(a); break;
      case Op::Log: r[in.dst] = std::log(a); break;
      case Op::Log10: r[in.dst] = std::log10(a); break;
      case Op::Sin: r[in.dst] = std::sin(a); break;
      case Op::Cos: r[in.dst] = std::cos(a); break;
      case Op::Tan: r[in.dst] = std::tan(a); break;
      case Op::Asin: r[in.dst] = std::asin(a); break;
      case Op::Acos: r[in.dst] = std::acos(a); break;
      case Op::Atan: r[in.dst] = std::atan(a); break;
      case Op::Sinh: r[in.dst] = std::sinh(a); break;
      case Op::Cosh: r[in.dst] = std::cosh(a); break;
      case Op::Tanh: r[in.dst] = std::tanh(a); break;
      case Op::Abs: r[in.dst] = std::fabs(a); break;
      case Op::Sign: r[in.dst] = sign_of(a); break;
      case Op::Floor: r[in.dst] = std::floor(a); break;
      case Op::Atan2: r[in.dst] = std::atan2(a, r[in.b]); break;
      case Op::Hypot: r[in.dst] = std::hypot(a, r[in.b]); break;
      case Op::Interp: r[in.dst] = table_value(tables_[in.b], a); break;
      case Op::InterpSlope: r[in.dst] = table_slope(tables_[in.b], a); break;
      case Op::Const:
      case Op::Time:
      case Op::State:
      case Op::Param:
      case Op::Discrete:
      case Op::Input: break;  // leaves never appear as instructions
    }
  }
  if (out) {
    const std::size_t n = tape.outputs.size();
    for (std::size_t k = 0; k < n; ++k) out[k] = r[tape.outputs[k]];
  }
}

}  // namespace numen::expr
