#include "expr/graph.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace numen::expr {

namespace {

std::uint64_t value_bits(double v) {
  std::uint64_t bits = 0;
  std::memcpy(&bits, &v, sizeof bits);
  return bits;
}

std::uint32_t node_hash(const Node& n) {
  std::uint64_t h = static_cast<std::uint64_t>(n.op) * 0x9E3779B97F4A7C15ull;
  auto mix = [&h](std::uint64_t v) { h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2); };
  mix(static_cast<std::uint32_t>(n.a));
  mix(static_cast<std::uint32_t>(n.b));
  mix(static_cast<std::uint32_t>(n.c));
  mix(static_cast<std::uint32_t>(n.index));
  mix(value_bits(n.value));
  h ^= h >> 29;  // the slot is taken from the low bits: fold the high ones in
  h *= 0xBF58476D1CE4E5B9ull;
  h ^= h >> 32;
  return static_cast<std::uint32_t>(h);
}

}  // namespace

bool Graph::same_node(NodeId id, const Node& n) const {
  const Node& m = nodes_[static_cast<std::size_t>(id)];
  return m.op == n.op && m.a == n.a && m.b == n.b && m.c == n.c && m.index == n.index &&
         value_bits(m.value) == value_bits(n.value);
}

void Graph::grow_index() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.empty() ? 1024 : 2 * old.size(), Slot{});
  const std::size_t mask = slots_.size() - 1;
  for (const Slot& s : old) {
    if (!s.id_plus_1) continue;
    std::size_t i = s.hash & mask;
    while (slots_[i].id_plus_1) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

NodeId Graph::intern(const Node& n) {
  if (2 * (nodes_.size() + 1) > slots_.size()) grow_index();  // load factor at most 1/2
  const std::uint32_t hash = node_hash(n);
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = hash & mask;
  for (; slots_[i].id_plus_1; i = (i + 1) & mask) {
    const NodeId existing = static_cast<NodeId>(slots_[i].id_plus_1 - 1);
    if (slots_[i].hash == hash && same_node(existing, n)) return existing;
  }
  const NodeId id = static_cast<NodeId>(nodes_.size());
  nodes_.push_back(n);
  Node& added = nodes_.back();
  switch (n.op) {
    case Op::Time: added.depends_on = kDependsOnTime; break;
    case Op::State: added.depends_on = kDependsOnState; break;
    case Op::Param: added.depends_on = kDependsOnParam; break;
    case Op::Discrete: added.depends_on = kDependsOnDiscrete; break;
    case Op::Input: added.depends_on = kDependsOnInput; break;
    default:
      for (NodeId c : {n.a, n.b, n.c})
        if (c >= 0) added.depends_on |= nodes_[static_cast<std::size_t>(c)].depends_on;
  }
  slots_[i] = Slot{hash, static_cast<std::uint32_t>(id) + 1};
  return id;
}

bool Graph::is_const(NodeId id, double* value) const {
  const Node& n = nodes_[static_cast<std::size_t>(id)];
  if (n.op != Op::Const) return false;
  if (value) *value = n.value;
  return true;
}

bool Graph::is_zero(NodeId id) const {
  double v;
  return is_const(id, &v) && v == 0.0;
}

NodeId Graph::constant(double v) {
  Node n;
  n.op = Op::Const;
  n.value = v == 0.0 ? 0.0 : v;  // one zero: -0.0 and 0.0 share a node
  return intern(n);
}

NodeId Graph::variable(Op kind, int index) {
  Node n;
  n.op = kind;
  n.index = index;
  return intern(n);
}

int Graph::add_table(std::vector<double> x, std::vector<double> y) {
  table_x_.push_back(std::move(x));
  table_y_.push_back(std::move(y));
  return static_cast<int>(table_x_.size()) - 1;
}

NodeId Graph::unary(Op op, NodeId a) {
  double va;
  if (is_const(a, &va)) return constant(eval_unary(op, va));
  const Node& na = (*this)[a];
  if (op == Op::Neg && na.op == Op::Neg) return na.a;
  if (op == Op::Neg && na.op == Op::Sub) return binary(Op::Sub, na.b, na.a);
  if (op == Op::Abs && (na.op == Op::Abs || na.op == Op::Neg)) return unary(Op::Abs, na.op == Op::Abs ? a : na.a);
  if (op == Op::Sign && na.op == Op::Sign) return a;
  Node n;
  n.op = op;
  n.a = a;
  return intern(n);
}

NodeId Graph::binary(Op op, NodeId a, NodeId b) {
  double va = 0, vb = 0;
  bool ca = is_const(a, &va), cb = is_const(b, &vb);
  if (ca && cb) return constant(eval_binary(op, va, vb));
  if (is_commutative(op) && b < a) {
    std::swap(a, b);
    std::swap(va, vb);
    std::swap(ca, cb);
  }
  switch (op) {
    case Op::Add:
      if (ca && va == 0) return b;
      if (cb && vb == 0) return a;
      if ((*this)[b].op == Op::Neg) return binary(Op::Sub, a, (*this)[b].a);
      if ((*this)[a].op == Op::Neg) return binary(Op::Sub, b, (*this)[a].a);
      break;
    case Op::Sub:
      if (cb && vb == 0) return a;
      if (ca && va == 0) return unary(Op::Neg, b);
      if (a == b) return constant(0.0);
      if ((*this)[b].op == Op::Neg) return binary(Op::Add, a, (*this)[b].a);
      break;
    case Op::Mul:
      if ((ca && va == 0) || (cb && vb == 0)) return constant(0.0);
      if (ca && va == 1) return b;
      if (cb && vb == 1) return a;
      if (ca && va == -1) return unary(Op::Neg, b);
      if (cb && vb == -1) return unary(Op::Neg, a);
      if ((*this)[a].op == Op::Neg && (*this)[b].op == Op::Neg) return binary(Op::Mul, (*this)[a].a, (*this)[b].a);
      break;
    case Op::Div:
      if (cb && vb == 1) return a;
      if (cb && vb == -1) return unary(Op::Neg, a);
      if (ca && va == 0) return constant(0.0);
      break;
    case Op::Pow:
      if (cb && vb == 1) return a;
      if (cb && vb == 0) return constant(1.0);
      if (ca && va == 1) return constant(1.0);
      if (cb && vb == 0.5) return unary(Op::Sqrt, a);
      break;
    case Op::GuardMul:
      if ((ca && va == 0) || (cb && vb == 0)) return constant(0.0);
      if (cb && vb == 1) return a;
      // With a nonzero constant factor on the tested side, or a finite constant on the other, it is a plain product.
      if ((ca && va != 0) || (cb && std::isfinite(vb))) return binary(Op::Mul, a, b);
      break;
    case Op::Min:
    case Op::Max:
      if (a == b) return a;
      break;
    case Op::Lt:
    case Op::Gt:
    case Op::Ne:
      if (a == b) return constant(0.0);
      break;
    case Op::Le:
    case Op::Ge:
    case Op::Eq:
      if (a == b) return constant(1.0);
      break;
    case Op::And:
      if ((ca && va == 0) || (cb && vb == 0)) return constant(0.0);
      break;
    case Op::Or:
      if ((ca && va != 0) || (cb && vb != 0)) return constant(1.0);
      break;
    default: break;
  }
  Node n;
  n.op = op;
  n.a = a;
  n.b = b;
  return intern(n);
}

NodeId Graph::select(NodeId cond, NodeId if_true, NodeId if_false) {
  double vc;
  if (is_const(cond, &vc)) return vc != 0.0 ? if_true : if_false;
  if (if_true == if_false) return if_true;
  Node n;
  n.op = Op::Select;
  n.a = cond;
  n.b = if_true;
  n.c = if_false;
  return intern(n);
}

NodeId Graph::interp(int table, NodeId x, bool slope) {
  double vx;
  if (is_const(x, &vx)) {
    const auto& tx = table_x_[static_cast<std::size_t>(table)];
    const auto& ty = table_y_[static_cast<std::size_t>(table)];
    const Table t{tx.data(), ty.data(), static_cast<int>(tx.size())};
    return constant(slope ? table_slope(t, vx) : table_value(t, vx));
  }
  Node n;
  n.op = slope ? Op::InterpSlope : Op::Interp;
  n.a = x;
  n.index = table;
  return intern(n);
}

double Graph::evaluate_constant(NodeId id) const {
  // Nodes are topologically numbered, so one forward sweep over the sub-DAG suffices.
  std::vector<NodeId> order;
  std::vector<char> seen(nodes_.size(), 0);
  std::vector<NodeId> stack{id};
  while (!stack.empty()) {
    const NodeId n = stack.back();
    stack.pop_back();
    if (seen[static_cast<std::size_t>(n)]) continue;
    seen[static_cast<std::size_t>(n)] = 1;
    order.push_back(n);
    const Node& node = (*this)[n];
    for (NodeId c : {node.a, node.b, node.c})
      if (c >= 0) stack.push_back(c);
  }
  std::sort(order.begin(), order.end());
  std::unordered_map<NodeId, double> value;
  for (NodeId n : order) {
    const Node& node = (*this)[n];
    double v;
    if (node.op == Op::Const) v = node.value;
    else if (is_variable(node.op)) return std::nan("");
    else if (is_unary(node.op)) v = eval_unary(node.op, value[node.a]);
    else if (is_binary(node.op)) v = eval_binary(node.op, value[node.a], value[node.b]);
    else if (node.op == Op::Select) v = value[node.a] != 0.0 ? value[node.b] : value[node.c];
    else {
      const auto& tx = table_x_[static_cast<std::size_t>(node.index)];
      const auto& ty = table_y_[static_cast<std::size_t>(node.index)];
      const Table t{tx.data(), ty.data(), static_cast<int>(tx.size())};
      v = node.op == Op::Interp ? table_value(t, value[node.a]) : table_slope(t, value[node.a]);
    }
    value[n] = v;
  }
  return value[id];
}

NodeId Graph::local_partial_product(NodeId adjoint, NodeId partial, bool may_be_infinite) {
  return binary(may_be_infinite ? Op::GuardMul : Op::Mul, adjoint, partial);
}

void Graph::gradient(NodeId root, std::vector<std::pair<NodeId, NodeId>>& out) {
  const std::size_t n_before = nodes_.size();
  if (adjoint_.size() < n_before) adjoint_.resize(n_before, -1);

  // Collect the sub-DAG of root (iteratively: a sum over 10,000 terms is 10,000 deep).
  touched_.clear();
  std::vector<NodeId> stack{root};
  adjoint_[static_cast<std::size_t>(root)] = -2;  // -2 marks "reached, no adjoint yet"
  while (!stack.empty()) {
    const NodeId id = stack.back();
    stack.pop_back();
    touched_.push_back(id);
    const Node& node = nodes_[static_cast<std::size_t>(id)];
    for (NodeId c : {node.a, node.b, node.c}) {
      if (c >= 0 && adjoint_[static_cast<std::size_t>(c)] == -1) {
        adjoint_[static_cast<std::size_t>(c)] = -2;
        stack.push_back(c);
      }
    }
  }
  std::sort(touched_.begin(), touched_.end(), std::greater<NodeId>());

  auto accumulate = [this](NodeId child, NodeId contribution) {
    if (is_zero(contribution)) return;
    NodeId& slot = adjoint_[static_cast<std::size_t>(child)];
    slot = slot < 0 ? contribution : add(slot, contribution);
  };
  adjoint_[static_cast<std::size_t>(root)] = constant(1.0);

  for (NodeId id : touched_) {
    const NodeId adj = adjoint_[static_cast<std::size_t>(id)];
    if (adj < 0 || is_zero(adj)) continue;
    const Node node = nodes_[static_cast<std::size_t>(id)];  // copy: the vector may grow below
    const NodeId a = node.a, b = node.b;
    switch (node.op) {
      case Op::Time:
      case Op::State:
      case Op::Param:
      case Op::Discrete:
      case Op::Input: out.emplace_back(id, adj); break;
      case Op::Const:
      case Op::Sign:
      case Op::Floor:
      case Op::Not:
      case Op::Lt:
      case Op::Le:
      case Op::Gt:
      case Op::Ge:
      case Op::Eq:
      case Op::Ne:
      case Op::And:
      case Op::Or:
      case Op::InterpSlope: break;
      case Op::Neg: accumulate(a, neg(adj)); break;
      case Op::Sqrt: accumulate(a, local_partial_product(adj, div(constant(0.5), id), true)); break;
      case Op::Exp: accumulate(a, mul(adj, id)); break;
      case Op::Log: accumulate(a, local_partial_product(adj, div(constant(1.0), a), true)); break;
      case Op::Log10: accumulate(a, local_partial_product(adj, div(constant(1.0 / std::log(10.0)), a), true)); break;
      case Op::Sin: accumulate(a, mul(adj, unary(Op::Cos, a))); break;
      case Op::Cos: accumulate(a, neg(mul(adj, unary(Op::Sin, a)))); break;
      case Op::Tan: accumulate(a, mul(adj, add(constant(1.0), mul(id, id)))); break;
      case Op::Asin:
      case Op::Acos: {
        const NodeId d =
            div(constant(node.op == Op::Asin ? 1.0 : -1.0), unary(Op::Sqrt, sub(constant(1.0), mul(a, a))));
        accumulate(a, local_partial_product(adj, d, true));
        break;
      }
      case Op::Atan: accumulate(a, div(adj, add(constant(1.0), mul(a, a)))); break;
      case Op::Sinh: accumulate(a, mul(adj, unary(Op::Cosh, a))); break;
      case Op::Cosh: accumulate(a, mul(adj, unary(Op::Sinh, a))); break;
      case Op::Tanh: accumulate(a, mul(adj, sub(constant(1.0), mul(id, id)))); break;
      case Op::Abs: accumulate(a, mul(adj, unary(Op::Sign, a))); break;
      case Op::Add:
        accumulate(a, adj);
        accumulate(b, adj);
        break;
      case Op::Sub:
        accumulate(a, adj);
        accumulate(b, neg(adj));
        break;
      case Op::Mul:
        accumulate(a, mul(adj, b));
        accumulate(b, mul(adj, a));
        break;
      case Op::GuardMul:
        accumulate(a, local_partial_product(adj, b, true));
        accumulate(b, mul(adj, a));
        break;
      case Op::Div:
        accumulate(a, local_partial_product(adj, div(constant(1.0), b), true));
        accumulate(b, local_partial_product(adj, neg(div(id, b)), true));
        break;
      case Op::Pow: {
        double exponent;
        if (is_const(b, &exponent)) {
          const bool finite = exponent >= 1.0 && exponent == std::floor(exponent);
          const NodeId d = mul(constant(exponent), binary(Op::Pow, a, constant(exponent - 1.0)));
          accumulate(a, local_partial_product(adj, d, !finite));
        } else {
          accumulate(a, local_partial_product(adj, mul(b, binary(Op::Pow, a, sub(b, constant(1.0)))), true));
          accumulate(b, local_partial_product(adj, mul(id, unary(Op::Log, a)), true));
        }
        break;
      }
      case Op::Atan2: {  // atan2(y, x): d/dy = x / r^2, d/dx = -y / r^2
        const NodeId r2 = add(mul(a, a), mul(b, b));
        accumulate(a, local_partial_product(adj, div(b, r2), true));
        accumulate(b, local_partial_product(adj, neg(div(a, r2)), true));
        break;
      }
      case Op::Min:
      case Op::Max: {
        // At a tie the derivative is one-sided; give it to a constant operand when there is one, so that
        // sqrt(max(0, u)) at u = 0 differentiates to 0 rather than to infinity.
        const bool strict = is_const(b);
        const Op pick = node.op == Op::Min ? (strict ? Op::Lt : Op::Le) : (strict ? Op::Gt : Op::Ge);
        const NodeId pick_a = binary(pick, a, b);
        accumulate(a, select(pick_a, adj, constant(0.0)));
        accumulate(b, select(pick_a, constant(0.0), adj));
        break;
      }
      case Op::Hypot:
        accumulate(a, local_partial_product(adj, div(a, id), true));
        accumulate(b, local_partial_product(adj, div(b, id), true));
        break;
      case Op::Select:
        accumulate(b, select(a, adj, constant(0.0)));
        accumulate(node.c, select(a, constant(0.0), adj));
        break;
      case Op::Interp: accumulate(a, mul(adj, interp(node.index, a, true))); break;
      case Op::Square:
      case Op::PowInt:
      case Op::JumpIfZero:
      case Op::JumpIfNonZero: break;  // tape-only operations never appear in a graph
    }
  }
  for (NodeId id : touched_) adjoint_[static_cast<std::size_t>(id)] = -1;
  if (adjoint_.size() < nodes_.size()) adjoint_.resize(nodes_.size(), -1);
}

std::string Graph::to_string(NodeId id, int max_depth) const {
  const Node& n = (*this)[id];
  if (max_depth <= 0) return "…";
  switch (n.op) {
    case Op::Const: {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.6g", n.value);
      return buf;
    }
    case Op::Time: return "t";
    case Op::State: return "x" + std::to_string(n.index);
    case Op::Param: return "p" + std::to_string(n.index);
    case Op::Discrete: return "d" + std::to_string(n.index);
    case Op::Input: return "u" + std::to_string(n.index);
    default: break;
  }
  std::string s = op_name(n.op);
  s += "(";
  bool first = true;
  for (NodeId c : {n.a, n.b, n.c}) {
    if (c < 0) continue;
    if (!first) s += ", ";
    s += to_string(c, max_depth - 1);
    first = false;
  }
  return s + ")";
}

NodeId Graph::substitute(NodeId root, const std::unordered_map<NodeId, NodeId>& replace) {
  // Ids are topological, so one pass upwards over the nodes below root rebuilds each after its children.
  std::unordered_map<NodeId, NodeId> done;
  std::vector<NodeId> order, stack{root};
  while (!stack.empty()) {
    const NodeId id = stack.back();
    stack.pop_back();
    if (done.count(id)) continue;
    done.emplace(id, -1);
    order.push_back(id);
    const Node& n = nodes_[static_cast<std::size_t>(id)];
    const bool table = n.op == Op::Interp || n.op == Op::InterpSlope;
    for (NodeId c : {n.a, table ? NodeId{-1} : n.b, n.c})
      if (c >= 0) stack.push_back(c);
  }
  std::sort(order.begin(), order.end());
  for (const NodeId id : order) {
    const Node n = nodes_[static_cast<std::size_t>(id)];  // a copy: rebuilding may grow nodes_
    NodeId out = id;
    if (auto it = replace.find(id); it != replace.end()) {
      out = it->second;
    } else if (is_unary(n.op)) {
      out = unary(n.op, done[n.a]);
    } else if (is_binary(n.op)) {
      out = binary(n.op, done[n.a], done[n.b]);
    } else if (n.op == Op::Select) {
      out = select(done[n.a], done[n.b], done[n.c]);
    } else if (n.op == Op::Interp || n.op == Op::InterpSlope) {
      out = interp(n.index, done[n.a], n.op == Op::InterpSlope);
    }
    done[id] = out;
  }
  return done[root];
}

}  // namespace numen::expr
