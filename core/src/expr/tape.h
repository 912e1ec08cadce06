#pragma once
// Tapes: flat instruction lists compiled from the expression graph and run by a small interpreter. All tapes of a
// model share one register file ("workspace"):
//   [ constants | t | x (states) | p (parameters) | d (discrete) | u (inputs) | invariants | temporaries ]
// so a caller writes t and x once and may run several tapes (f, then the Jacobian) on the same workspace.
// Invariants are the subexpressions that depend on parameters only (a choked-flow constant, R*T/V): a separate
// tape computes them when the parameters are loaded, and the per-call tapes read them like variables.
#include <atomic>
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "expr/graph.h"

namespace numen::expr {

struct Instr {
  Op op;
  std::uint32_t dst, a, b, c;
};

struct Tape {
  std::vector<Instr> code;
  std::vector<std::uint32_t> outputs;  ///< register of each output
};

struct WorkspaceLayout {
  std::uint32_t time = 0, x = 0, p = 0, d = 0, u = 0, invariants = 0, temps = 0, size = 0;
};

class CompiledTape;

/// Whether programs compile their hot tapes to machine code (expr/jit.h); on by default where the build can. The
/// public numen::set_tape_compilation (numen/model.h) is this switch, under the same name.
void set_tape_compilation(bool enabled);
bool tape_compilation();

class Program {
 public:
  Program() = default;
  Program(int n_x, int n_p, int n_d, int n_u) : n_x_(n_x), n_p_(n_p), n_d_(n_d), n_u_(n_u) {}

  /// Compiles the sub-DAG needed for `outputs` into a tape; returns its index. Call finalize() after the last one.
  int add_tape(const Graph& graph, const std::vector<NodeId>& outputs);
  void finalize(const Graph& graph);

  const Tape& tape(int i) const { return tapes_[static_cast<std::size_t>(i)]; }
  int tape_count() const { return static_cast<int>(tapes_.size()); }
  const WorkspaceLayout& layout() const { return layout_; }
  const std::vector<double>& constants() const { return constants_; }

  /// A workspace with the constants in place (parameters, discrete values and inputs zeroed).
  std::vector<double> make_workspace() const;

  /// Writes the parameter values into the workspace and computes the invariants from them.
  void load_parameters(double* workspace, const double* p) const;

  /// Runs tape i on the workspace and writes its outputs to out. A tape that has run kJitAfterCalls times is
  /// compiled to machine code (where the build can), and from then on runs as that.
  void run(int i, double* workspace, double* out) const;
  /// Runs tape i on the interpreter, whatever is compiled: the reference the compiled tapes are tested against.
  void run_interpreted(int i, double* workspace, double* out) const;
  /// Whether tape i runs as machine code now.
  bool is_compiled(int i) const;

  /// Calls before a tape is compiled: enough that short solves (a few hundred calls of f) never pay for a compile,
  /// few enough that a solve of a few milliseconds runs mostly compiled.
  static constexpr int kJitAfterCalls = 1000;

 private:
  static constexpr std::uint32_t kTemp = 0x80000000u;
  std::uint32_t leaf_operand(const Graph& graph, NodeId id);
  Tape build(const Graph& graph, const std::vector<NodeId>& outputs, bool hoist);
  std::uint32_t resolve(std::uint32_t operand) const;
  void run_tape(const Tape& tape, double* workspace, double* out) const;
  void compile(std::size_t i) const;

  // Per tape: its compiled code, once it has run often enough. Shared by copies of the program (the code depends
  // on the tape and layout only), and safe to use from several threads: exactly one caller compiles.
  struct Jit {
    std::atomic<void (*)(const double*, double*)> function{nullptr};
    std::atomic<int> calls{0};
    std::unique_ptr<CompiledTape> code;
    ~Jit();
  };
  std::vector<std::shared_ptr<Jit>> jit_;

  int n_x_ = 0, n_p_ = 0, n_d_ = 0, n_u_ = 0;
  std::vector<Tape> tapes_;
  std::vector<double> constants_;
  std::vector<std::pair<NodeId, std::uint32_t>> const_index_;  // graph const node -> constant slot
  std::uint32_t max_temps_ = 0;
  std::vector<NodeId> invariants_;  // hoisted nodes, in slot order
  std::unordered_map<NodeId, std::uint32_t> invariant_slot_;
  Tape invariant_tape_;
  WorkspaceLayout layout_;
  std::vector<std::vector<double>> table_x_, table_y_;
  std::vector<Table> tables_;
  // Leaves are encoded as (kind << 28 | index) until finalize(): kinds below.
  enum LeafKind : std::uint32_t {
    kConstLeaf = 1,
    kTimeLeaf,
    kStateLeaf,
    kParamLeaf,
    kDiscreteLeaf,
    kInputLeaf,
    kInvariantLeaf
  };
};

}  // namespace numen::expr
