// Graph -> tapes. The Jacobian comes from reverse accumulation on each row of f, so its pattern is exactly the
// derivatives that do not simplify to zero; df/dt and df/du come from the same pass.
#include <algorithm>

#include "compile/compiler.h"

namespace numen::compile {

namespace {
// Sorts (row, col, value) entries by column, then row, and returns their compressed-column pattern; `values` gets the
// entries' nodes in the pattern's order. Used for the Jacobian and for a general mass matrix.
template <class E>
SparsityPattern column_pattern(int n, std::vector<E>& entries, std::vector<expr::NodeId>& values) {
  std::sort(entries.begin(), entries.end(),
            [](const E& a, const E& b) { return a.col != b.col ? a.col < b.col : a.row < b.row; });
  SparsityPattern pattern;
  pattern.n = n;
  pattern.col_start.assign(static_cast<std::size_t>(n) + 1, 0);
  values.reserve(entries.size());
  for (const E& e : entries) {
    pattern.row_index.push_back(e.row);
    ++pattern.col_start[static_cast<std::size_t>(e.col) + 1];
    values.push_back(e.value);
  }
  for (int j = 0; j < n; ++j)
    pattern.col_start[static_cast<std::size_t>(j) + 1] += pattern.col_start[static_cast<std::size_t>(j)];
  return pattern;
}
}  // namespace

using expr::NodeId;
using expr::Op;

std::vector<NodeId> Compiler::switching_functions() {
  // The nodes f depends on (ids are topological: users after what they use, so one backward sweep marks them).
  std::vector<char> needed(graph_.size(), 0);
  for (NodeId o : f_) needed[static_cast<std::size_t>(o)] = 1;
  std::vector<NodeId> switches;
  const std::uint8_t varying = expr::kDependsOnState | expr::kDependsOnTime | expr::kDependsOnInput;
  for (std::size_t id = graph_.size(); id-- > 0;) {
    if (!needed[id]) continue;
    const expr::Node& n = graph_[static_cast<NodeId>(id)];
    const bool table = n.op == Op::Interp || n.op == Op::InterpSlope;  // their b is not a node
    for (NodeId c : {n.a, table ? NodeId{-1} : n.b, n.c})
      if (c >= 0) needed[static_cast<std::size_t>(c)] = 1;
    if (!(n.depends_on & varying)) continue;
    switch (n.op) {
      case Op::Lt:
      case Op::Le:
      case Op::Gt:
      case Op::Ge:
      case Op::Min:
      case Op::Max: switches.push_back(graph_.sub(n.a, n.b)); break;
      case Op::Abs:
      case Op::Sign: switches.push_back(n.a); break;
      default: break;
    }
  }
  std::sort(switches.begin(), switches.end());
  switches.erase(std::unique(switches.begin(), switches.end()), switches.end());
  return switches;
}

void Compiler::build_mass() {
  if (!der_used_) return;
  detail::CompiledModel& m = *out_;
  const int n = der_offset();
  const NodeId zero = graph_.constant(0.0), one = graph_.constant(1.0);
  // M may vary with t and x (BDF evaluates it at every Newton iterate), not with inputs or discrete variables,
  // which change it between the evaluations the solvers see.
  const std::uint8_t varying = expr::kDependsOnState | expr::kDependsOnTime;
  const std::uint8_t refused = expr::kDependsOnInput | expr::kDependsOnDiscrete;
  auto describe = [&](std::uint8_t d) {
    std::vector<std::string> what;
    if (d & expr::kDependsOnInput) what.push_back("an input port");
    if (d & expr::kDependsOnDiscrete) what.push_back("discrete variables");
    std::string out;
    for (std::size_t k = 0; k < what.size(); ++k) out += (k ? (k + 1 == what.size() ? " and " : ", ") : "") + what[k];
    return out;
  };
  std::vector<std::pair<NodeId, NodeId>> gradient;
  for (int i = 0; i < n; ++i) {
    const auto row = static_cast<std::size_t>(i);
    const bool derivative = derivative_row_[row];
    std::vector<std::pair<int, NodeId>> coefficients;  // (state, d f_i / d x_state')
    std::unordered_map<NodeId, NodeId> to_zero;
    if (mentions_der(f_[row])) {
      gradient.clear();
      graph_.gradient(f_[row], gradient);
      for (const auto& [var, d] : gradient) {
        if (!is_der_placeholder(var)) continue;
        const int state = graph_[var].index - n;
        const std::string& key = m.states[static_cast<std::size_t>(state)].key;
        to_zero[var] = zero;
        if (mentions_der(d)) {
          error(row_pos_[row], "this equation is not linear in der(" + key +
                                   "): der() may be multiplied by "
                                   "parameters and appear in sums, but not squared, divided by, or inside functions");
          continue;
        }
        if (graph_[d].depends_on & refused) {
          error(row_pos_[row], "the coefficient of der(" + key + ") in this equation depends on " +
                                   describe(graph_[d].depends_on & refused) +
                                   ", which would change the mass matrix between the points the solver sees; "
                                   "compute the factor from states, time and parameters instead");
          continue;
        }
        if (graph_[d].depends_on & varying) out_->mass_varies = true;
        coefficients.emplace_back(state, d);
      }
    }
    if (derivative) {
      // x_i' = r0 + sum_s c_s x_s'   =>   x_i' - sum_s c_s x_s' = r0
      NodeId diagonal = one;
      for (const auto& [state, c] : coefficients) {
        if (state == i) diagonal = graph_.sub(diagonal, c);
        else mass_entries_.push_back(MassEntry{i, state, graph_.neg(c)});
      }
      mass_entries_.push_back(MassEntry{i, i, diagonal});
    } else {
      // 0 = r0 + sum_s c_s x_s'   =>   sum_s c_s x_s' = -r0
      for (const auto& [state, c] : coefficients) mass_entries_.push_back(MassEntry{i, state, c});
    }
    if (!to_zero.empty()) {
      const NodeId r0 = graph_.substitute(f_[row], to_zero);
      f_[row] = derivative ? r0 : graph_.neg(r0);
    }
  }
  // Events see states, never derivatives (a local definition holding der() could carry one there).
  for (const NodeId g : event_functions_)
    if (mentions_der(g))
      error(SourcePos{},
            "an event condition uses der() through a local definition; write the "
            "condition on states");
  for (const auto& values : action_values_)
    for (const NodeId v : values)
      if (mentions_der(v))
        error(SourcePos{},
              "an event action uses der() through a local definition; assign values "
              "computed from states");
}

void Compiler::assemble() {
  detail::CompiledModel& m = *out_;
  const int n = static_cast<int>(m.states.size());
  const int n_inputs = static_cast<int>(m.inputs.size());
  m.program = expr::Program(n, static_cast<int>(m.parameters.size()), static_cast<int>(m.discretes.size()), n_inputs);
  m.rhs_tape = m.program.add_tape(graph_, f_);
  if (!mass_entries_.empty()) {
    std::vector<NodeId> values;
    m.mass_pattern = column_pattern(n, mass_entries_, values);
    m.mass_tape = m.program.add_tape(graph_, values);
    // Unit rows: a `der(x) +=` row whose only M entry is (i, i) = 1.
    m.unit_rows.assign(static_cast<std::size_t>(n), 0);
    std::vector<int> entries_in_row(static_cast<std::size_t>(n), 0);
    for (const MassEntry& e : mass_entries_) ++entries_in_row[static_cast<std::size_t>(e.row)];
    for (const MassEntry& e : mass_entries_) {
      double v = 0.0;
      if (e.row == e.col && entries_in_row[static_cast<std::size_t>(e.row)] == 1 && graph_.is_const(e.value, &v) &&
          v == 1.0)
        m.unit_rows[static_cast<std::size_t>(e.row)] = 1;
    }
  }

  struct Entry {
    int row, col;
    NodeId value;
  };
  std::vector<Entry> entries;
  const NodeId zero = graph_.constant(0.0);
  std::vector<NodeId> dfdt(static_cast<std::size_t>(n), zero);
  std::vector<NodeId> dfdu(static_cast<std::size_t>(n) * static_cast<std::size_t>(n_inputs), zero);
  std::vector<std::pair<NodeId, NodeId>> gradient;
  bool time_dependent = false;
  for (int i = 0; i < n; ++i) {
    gradient.clear();
    graph_.gradient(f_[static_cast<std::size_t>(i)], gradient);
    for (const auto& [var, d] : gradient) {
      const expr::Node& v = graph_[var];
      if (v.op == Op::State) entries.push_back(Entry{i, v.index, d});
      else if (v.op == Op::Time) {
        dfdt[static_cast<std::size_t>(i)] = d;
        time_dependent = true;
      } else if (v.op == Op::Input) {
        dfdu[static_cast<std::size_t>(v.index) * static_cast<std::size_t>(n) + static_cast<std::size_t>(i)] = d;
      }
    }
  }
  std::vector<NodeId> jac;
  m.jacobian_pattern = column_pattern(n, entries, jac);
  const SparsityPattern& pattern = m.jacobian_pattern;
  m.jacobian_tape = m.program.add_tape(graph_, jac);
  const std::vector<NodeId> switches = switching_functions();
  if (!switches.empty()) {
    m.switch_tape = m.program.add_tape(graph_, switches);
    m.switch_count = static_cast<int>(switches.size());
  }
  m.time_tape = m.program.add_tape(graph_, dfdt);
  if (n_inputs > 0) m.input_tape = m.program.add_tape(graph_, dfdu);
  if (!outputs_.empty()) {
    m.output_tape = m.program.add_tape(graph_, outputs_);
    // dy/dx for linearizations (C of the state-space form), by the same reverse accumulation, row by row.
    OutputJacobianPattern& op = m.output_jacobian_pattern;
    op.row_start.assign(1, 0);
    std::vector<NodeId> dydx;
    std::vector<std::pair<int, NodeId>> row;
    for (const NodeId y : outputs_) {
      gradient.clear();
      graph_.gradient(y, gradient);
      row.clear();
      for (const auto& [var, d] : gradient)
        if (graph_[var].op == Op::State) row.emplace_back(graph_[var].index, d);
      std::sort(row.begin(), row.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      for (const auto& [col, d] : row) {
        op.col_index.push_back(col);
        dydx.push_back(d);
      }
      op.row_start.push_back(static_cast<int>(op.col_index.size()));
    }
    m.output_jacobian_tape = m.program.add_tape(graph_, dydx);
  }
  if (!event_functions_.empty()) m.event_tape = m.program.add_tape(graph_, event_functions_);
  const std::size_t n_events = m.events.size();
  for (std::size_t k = 0; k < action_values_.size(); ++k) {
    if (action_values_[k].empty()) continue;
    const int tape = m.program.add_tape(graph_, action_values_[k]);
    (k < n_events ? m.events[k] : m.periodic[k - n_events]).action_tape = tape;
  }
  m.program.finalize(graph_);

  m.features.mass_matrix = m.mass_tape >= 0;
  m.features.algebraic = m.features.mass_matrix || std::find(m.differential_mask.begin(), m.differential_mask.end(),
                                                             0) != m.differential_mask.end();
  m.features.discrete = !m.discretes.empty();
  m.features.inputs = n_inputs > 0;
  m.features.time_dependent = time_dependent;
  for (const EntityComponent& ec : components_)
    for (const auto& [name, slot] : ec.fields)
      m.features.vector_fields = m.features.vector_fields || (slot.vector && !ec.prototype);
  m.stats.rhs_instructions = static_cast<int>(m.program.tape(m.rhs_tape).code.size());
  m.stats.jacobian_instructions = static_cast<int>(m.program.tape(m.jacobian_tape).code.size());
  m.stats.jacobian_nonzeros = pattern.nnz();
  m.stats.graph_nodes = static_cast<int>(graph_.size());

  // Separable second-order form for symplectic methods: position' = velocity (exactly a state), and no
  // velocity's derivative depends on a velocity.
  if (!m.features.algebraic && n % 2 == 0 && n > 0) {
    std::vector<int> role(static_cast<std::size_t>(n), 0);  // 1 position, 2 velocity
    std::vector<std::pair<int, int>> pairs;
    bool ok = true;
    for (int i = 0; i < n && ok; ++i) {
      const expr::Node& node = graph_[f_[static_cast<std::size_t>(i)]];
      if (node.op != Op::State || node.index == i) continue;
      if (role[static_cast<std::size_t>(i)] != 0 || role[static_cast<std::size_t>(node.index)] != 0) {
        ok = false;
        break;
      }
      role[static_cast<std::size_t>(i)] = 1;
      role[static_cast<std::size_t>(node.index)] = 2;
      pairs.emplace_back(i, node.index);
    }
    ok = ok && static_cast<int>(pairs.size()) * 2 == n;
    for (const Entry& e : entries)
      if (ok && role[static_cast<std::size_t>(e.row)] == 2 && role[static_cast<std::size_t>(e.col)] == 2) ok = false;
    if (ok) m.second_order_pairs = pairs;
  }
}

}  // namespace numen::compile
