#pragma once
// The expression graph: a hash-consed DAG of scalar operations. Building a node that already exists returns the
// existing one, so common subexpressions are shared by construction (CSE), and every constructor simplifies
// (constant folding, x + 0, x * 1, x * 0, if(c, a, a), ...). Node ids are topological: children before parents.
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "expr/ops.h"

namespace numen::expr {

using NodeId = std::int32_t;

/// Which kinds of variables a node depends on (bits of depends_on): a node that depends on parameters only is
/// constant during a solve, and tapes compute it once per solve instead of on every call.
enum : std::uint8_t {
  kDependsOnTime = 1,
  kDependsOnState = 2,
  kDependsOnParam = 4,
  kDependsOnDiscrete = 8,
  kDependsOnInput = 16
};

struct Node {
  Op op = Op::Const;
  NodeId a = -1, b = -1, c = -1;
  std::int32_t index = -1;      ///< variable index (State, Param, ...) or table index (Interp)
  double value = 0.0;           ///< Const
  std::uint8_t depends_on = 0;  ///< derived from the children; not part of the node's identity
};

class Graph {
 public:
  NodeId constant(double v);
  NodeId variable(Op kind, int index);  ///< kind is Time (index 0), State, Param, Discrete or Input
  NodeId unary(Op op, NodeId a);
  NodeId binary(Op op, NodeId a, NodeId b);
  NodeId select(NodeId cond, NodeId if_true, NodeId if_false);
  NodeId interp(int table, NodeId x, bool slope = false);

  NodeId add(NodeId a, NodeId b) { return binary(Op::Add, a, b); }
  NodeId sub(NodeId a, NodeId b) { return binary(Op::Sub, a, b); }
  NodeId mul(NodeId a, NodeId b) { return binary(Op::Mul, a, b); }
  NodeId div(NodeId a, NodeId b) { return binary(Op::Div, a, b); }
  NodeId neg(NodeId a) { return unary(Op::Neg, a); }

  const Node& operator[](NodeId id) const { return nodes_[static_cast<std::size_t>(id)]; }
  std::size_t size() const { return nodes_.size(); }
  bool is_const(NodeId id, double* value = nullptr) const;
  bool is_zero(NodeId id) const;

  /// Tables used by Interp nodes (x strictly increasing).
  int add_table(std::vector<double> x, std::vector<double> y);
  const std::vector<std::vector<double>>& table_x() const { return table_x_; }
  const std::vector<std::vector<double>>& table_y() const { return table_y_; }

  /// Evaluates a node whose leaves are all constants; NaN if it depends on a variable.
  double evaluate_constant(NodeId id) const;

  /// Partial derivatives of `root` with respect to every variable leaf it depends on, by reverse accumulation over
  /// its sub-DAG: appends (variable node, derivative node) pairs, omitting derivatives that simplify to zero.
  void gradient(NodeId root, std::vector<std::pair<NodeId, NodeId>>& out);

  /// `root` with the variable leaves in `replace` (leaf -> node) replaced, rebuilt through the simplifying
  /// constructors (so der() placeholders set to 0 fold away).
  NodeId substitute(NodeId root, const std::unordered_map<NodeId, NodeId>& replace);

  /// Text of a node, for debugging and `numen inspect`.
  std::string to_string(NodeId id, int max_depth = 6) const;

 private:
  NodeId intern(const Node& n);
  NodeId local_partial_product(NodeId adjoint, NodeId partial, bool may_be_infinite);

  /// Whether node `id` is the node `n` (every field but depends_on, values compared by their bits).
  bool same_node(NodeId id, const Node& n) const;
  void grow_index();

  std::vector<Node> nodes_;
  /// The hash-consing index: open addressing with linear probing, a slot per power of two, each holding a node's
  /// hash and its id + 1 (0: empty); the key is the node itself. A node-based map cost a cache miss or two per
  /// lookup, and a large model interns millions of nodes (the 16,000-state chain spent a fifth of its compile there).
  struct Slot {
    std::uint32_t hash = 0;
    std::uint32_t id_plus_1 = 0;
  };
  std::vector<Slot> slots_;
  std::vector<std::vector<double>> table_x_, table_y_;
  // Scratch for gradient(): adjoint per node, and the nodes touched (reset after each call).
  std::vector<NodeId> adjoint_;
  std::vector<NodeId> touched_;
};

}  // namespace numen::expr
