#include "expr/tape.h"

#include <algorithm>
#include <cmath>
#include <cstring>
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

int Program::add_tape(const Graph& graph, const std::vector<NodeId>& outputs) {
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

  // 1. The interior nodes needed, in topological (id) order.
  std::vector<NodeId> order;
  std::unordered_map<NodeId, int> position;  // node -> index in order
  {
    std::vector<NodeId> stack(outputs.begin(), outputs.end());
    std::unordered_map<NodeId, char> seen;
    while (!stack.empty()) {
      const NodeId id = stack.back();
      stack.pop_back();
      if (is_leaf(graph[id].op) || !seen.emplace(id, 1).second) continue;
      order.push_back(id);
      const Node& n = graph[id];
      for (NodeId c : {n.a, n.b, n.c})
        if (c >= 0) stack.push_back(c);
    }
    std::sort(order.begin(), order.end());
    for (std::size_t i = 0; i < order.size(); ++i) position[order[i]] = static_cast<int>(i);
  }

  // 2. Last use of each interior node (outputs live to the end).
  std::vector<int> last_use(order.size(), -1);
  for (std::size_t i = 0; i < order.size(); ++i) {
    const Node& n = graph[order[i]];
    for (NodeId c : {n.a, n.b, n.c}) {
      if (c < 0 || is_leaf(graph[c].op)) continue;
      if (n.op == Op::Interp || n.op == Op::InterpSlope) {
        if (c != n.a) continue;
      }
      last_use[static_cast<std::size_t>(position[c])] = static_cast<int>(i);
    }
  }
  for (NodeId o : outputs)
    if (!is_leaf(graph[o].op)) last_use[static_cast<std::size_t>(position[o])] = std::numeric_limits<int>::max();

  // 3. Emit with linear-scan register reuse.
  Tape tape;
  tape.code.reserve(order.size());
  std::vector<std::uint32_t> reg(order.size());
  std::vector<std::uint32_t> free_regs;
  std::uint32_t n_temps = 0;
  auto operand = [&](NodeId id) -> std::uint32_t {
    if (is_leaf(graph[id].op)) return leaf(id);
    return kTemp | reg[static_cast<std::size_t>(position[id])];
  };
  for (std::size_t i = 0; i < order.size(); ++i) {
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
    for (NodeId c : {n.a, n.b, n.c}) {
      if (c < 0 || is_leaf(graph[c].op)) continue;
      if ((n.op == Op::Interp || n.op == Op::InterpSlope) && c != n.a) continue;
      const std::size_t pc = static_cast<std::size_t>(position[c]);
      if (last_use[pc] == static_cast<int>(i)) {
        free_regs.push_back(reg[pc]);
        last_use[pc] = -2;  // freed once even if used twice by this instruction
      }
    }
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
  tapes_.push_back(std::move(tape));
  return static_cast<int>(tapes_.size()) - 1;
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
    default: return 0;
  }
}

void Program::finalize(const Graph& graph) {
  const auto n_const = static_cast<std::uint32_t>(constants_.size());
  layout_.time = n_const;
  layout_.x = layout_.time + 1;
  layout_.p = layout_.x + static_cast<std::uint32_t>(n_x_);
  layout_.d = layout_.p + static_cast<std::uint32_t>(n_p_);
  layout_.u = layout_.d + static_cast<std::uint32_t>(n_d_);
  layout_.temps = layout_.u + static_cast<std::uint32_t>(n_u_);
  layout_.size = layout_.temps + max_temps_;
  for (Tape& tape : tapes_) {
    for (Instr& in : tape.code) {
      const bool unary = is_unary(in.op) || in.op == Op::Square;
      const bool table = in.op == Op::Interp || in.op == Op::InterpSlope;
      in.dst = resolve(in.dst);
      in.a = resolve(in.a);
      if (!unary && !table && in.op != Op::PowInt) in.b = resolve(in.b);
      if (in.op == Op::Select) in.c = resolve(in.c);
    }
    for (std::uint32_t& o : tape.outputs) o = resolve(o);
  }
  table_x_ = graph.table_x();
  table_y_ = graph.table_y();
  tables_.clear();
  for (std::size_t i = 0; i < table_x_.size(); ++i)
    tables_.push_back(Table{table_x_[i].data(), table_y_[i].data(), static_cast<int>(table_x_[i].size())});
}

std::vector<double> Program::make_workspace() const {
  std::vector<double> ws(layout_.size, 0.0);
  std::copy(constants_.begin(), constants_.end(), ws.begin());
  return ws;
}

void Program::run(int i, double* r, double* out) const {
  const Tape& tape = tapes_[static_cast<std::size_t>(i)];
  for (const Instr& in : tape.code) {
    switch (in.op) {
      case Op::Add: r[in.dst] = r[in.a] + r[in.b]; break;
      case Op::Sub: r[in.dst] = r[in.a] - r[in.b]; break;
      case Op::Mul: r[in.dst] = r[in.a] * r[in.b]; break;
      case Op::Div: r[in.dst] = r[in.a] / r[in.b]; break;
      case Op::Neg: r[in.dst] = -r[in.a]; break;
      case Op::Square: r[in.dst] = r[in.a] * r[in.a]; break;
      case Op::Select: r[in.dst] = r[in.a] != 0.0 ? r[in.b] : r[in.c]; break;
      case Op::GuardMul: r[in.dst] = r[in.a] == 0.0 ? 0.0 : r[in.a] * r[in.b]; break;
      case Op::Min: r[in.dst] = r[in.a] <= r[in.b] ? r[in.a] : r[in.b]; break;
      case Op::Max: r[in.dst] = r[in.a] >= r[in.b] ? r[in.a] : r[in.b]; break;
      case Op::Lt: r[in.dst] = r[in.a] < r[in.b] ? 1.0 : 0.0; break;
      case Op::Le: r[in.dst] = r[in.a] <= r[in.b] ? 1.0 : 0.0; break;
      case Op::Gt: r[in.dst] = r[in.a] > r[in.b] ? 1.0 : 0.0; break;
      case Op::Ge: r[in.dst] = r[in.a] >= r[in.b] ? 1.0 : 0.0; break;
      case Op::Sqrt: r[in.dst] = std::sqrt(r[in.a]); break;
      case Op::PowInt: {
        std::int32_t e;
        std::memcpy(&e, &in.b, sizeof e);
        r[in.dst] = pow_int(r[in.a], e);
        break;
      }
      case Op::Interp: r[in.dst] = table_value(tables_[in.b], r[in.a]); break;
      case Op::InterpSlope: r[in.dst] = table_slope(tables_[in.b], r[in.a]); break;
      default:
        if (is_unary(in.op)) r[in.dst] = eval_unary(in.op, r[in.a]);
        else r[in.dst] = eval_binary(in.op, r[in.a], r[in.b]);
        break;
    }
  }
  if (out) {
    const std::size_t n = tape.outputs.size();
    for (std::size_t k = 0; k < n; ++k) out[k] = r[tape.outputs[k]];
  }
}

}  // namespace numen::expr
