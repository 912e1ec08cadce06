#pragma once
// ModelDoc -> CompiledModel. The stages, each in its own file:
//   layout.cpp     entities x components x fields -> state, parameter, discrete, output and input vectors
//   compiler.cpp   world groups -> system instances; equations -> contributions; algebraic matching; events
//   evaluator.cpp  expressions -> graph nodes (names, slots, locals, functions, vectors, tables)
//   assemble.cpp   graph -> tapes: f, exact Jacobian (reverse accumulation) and its pattern, df/dt, df/du, outputs
//   dimensions.cpp the dimension check, computed alongside evaluation (every Value carries its Dim)
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "compile/compiled_model.h"
#include "expr/ast.h"
#include "expr/builtins.h"
#include "expr/graph.h"
#include "model/model_doc.h"
#include "units/units.h"

namespace numen::compile {

std::shared_ptr<detail::CompiledModel> compile(const model::ModelDoc& doc, const std::string& source,
                                               std::vector<Diagnostic>& diagnostics);

// ---- internals shared by the compiler's files ------------------------------------------------------------------

/// What the dimension check knows of a value. The rules (dimensions.cpp): a field declared with a unit is Known; a
/// field without one is Unknown and never checked (nor is anything computed from it); a literal number is a Number:
/// dimensionless in products and functions, but in a sum, a comparison or a branch it takes the other side's unit
/// (`x > 0.5`, `1 - x/L`, `max(0, f)`), as Modelica's unit checkers do.
struct Dim {
  enum class Kind : std::uint8_t { Number, Unknown, Known };
  Kind kind = Kind::Number;
  units::Dimension d;
  const std::string* declared = nullptr;  ///< the declared unit of the field this value reads, for messages

  static Dim number() { return {}; }
  static Dim unknown() {
    Dim x;
    x.kind = Kind::Unknown;
    return x;
  }
  static Dim known(const units::Dimension& d) {
    Dim x;
    x.kind = Kind::Known;
    x.d = d;
    return x;
  }
  bool is_known() const { return kind == Kind::Known; }
};

/// A scalar or fixed-size vector of graph nodes, with its dimension (one for all elements).
struct Value {
  std::vector<expr::NodeId> e;
  bool vector = false;
  Dim dim;
  std::size_t size() const { return e.size(); }
  static Value scalar(expr::NodeId n, Dim d = Dim::number()) { return Value{{n}, false, d}; }
};

/// A compile error at a place; caught per equation so one bad line does not hide the others.
struct CompileError : std::runtime_error {
  CompileError(SourcePos pos, const std::string& message, SourcePos end = {})
      : std::runtime_error(message), pos(pos), end(end) {}
  SourcePos pos;
  SourcePos end;  ///< one past the offending text, when known (editors underline pos..end)
};

/// One field of one entity's component in the flattened vectors.
struct FieldSlot {
  model::FieldKind kind;
  int index = 0;  ///< first element in its vector (states, parameters, discretes, outputs or inputs)
  int size = 1;
  bool vector = false;
  const model::FieldDecl* decl = nullptr;
};

/// A component carried by an entity, with its fields' places.
struct EntityComponent {
  int entity = 0;
  bool prototype = false;  ///< a stand-in used to check a system that applies to no entity
  std::string entity_name;
  const model::ComponentDecl* component = nullptr;
  std::unordered_map<std::string, FieldSlot> fields;
  /// entity.component.field; for a stand-in, slot.field as the user wrote it.
  std::string key(const std::string& field) const {
    return prototype ? entity_name + "." + field
                     : entity_name + "." + (component->key_name.empty() ? component->name : component->key_name) + "." +
                           field;
  }
};

/// A local definition inside one system instance, evaluated on first use (cycles are errors).
struct Local {
  const expr::Ast* ast = nullptr;
  const model::Text* text = nullptr;
  SourcePos pos;
  int status = 0;  // 0 not evaluated, 1 in progress, 2 done
  Value value;
};

/// A system applied to one group of entities.
struct Instance {
  const model::SystemDecl* system = nullptr;
  std::vector<int> slot_component;  ///< EntityComponent index per slot
  std::unordered_map<std::string, Local> locals;
  std::string label;       ///< "system `spring_force` on [m1, s1, m2]"
  bool prototype = false;  ///< bound to stand-ins: its equations are checked, not used
};

/// A parsed line of a system, shared by all its instances.
struct ParsedLine {
  const model::Text* text = nullptr;
  expr::Statement statement;
  bool ok = false;
};

/// Where a contribution to a derivative, residual or output came from.
struct Contribution {
  int instance = -1;
  const expr::Ast* ast = nullptr;  ///< the right-hand side
  const expr::Ast* lhs = nullptr;  ///< the left-hand side (free algebraic equations use it)
  const model::Text* text = nullptr;
  double sign = 1.0;
  bool exclusive = false;  ///< written with `=`
  SourcePos pos;
  int element = -1;  ///< for indexed targets a[i]: which element; -1 for the whole field
};

/// Name resolution for one expression.
struct Scope {
  int instance = -1;                                                 ///< slots and locals of this instance
  const EntityComponent* component = nullptr;                        ///< bare field names (port gains)
  const std::vector<std::pair<std::string, Value>>* args = nullptr;  ///< function arguments
  const model::Text* text = nullptr;                                 ///< for error positions
};

class Compiler {
 public:
  Compiler(const model::ModelDoc& doc, std::vector<Diagnostic>& diagnostics);
  std::shared_ptr<detail::CompiledModel> run(const std::string& source);

  // evaluator.cpp
  Value eval(const expr::Ast& ast, const Scope& scope);
  expr::NodeId eval_scalar(const expr::Ast& ast, const Scope& scope, const char* what);

 private:
  // layout.cpp
  void build_layout();
  void apply_overrides();
  // compiler.cpp
  void load_functions();
  void build_instances();
  void add_prototypes();
  void collect_equations();
  void evaluate_equations();
  void match_algebraic();
  void build_events();
  void resolve_simulate();
  void resolve_view();
  Value field_value(const EntityComponent& ec, const FieldSlot& slot, SourcePos pos);
  Value output_value(int ec_index, const std::string& field, SourcePos pos);
  /// Adds up contributions; each must be in `want` when it is known, else (residuals) all alike.
  Value sum_contributions(const std::vector<Contribution>& list, std::size_t size, bool vector, const Dim& want);
  // evaluator.cpp helpers
  Value eval_call(const expr::Ast& ast, const Scope& scope);
  /// der(a.x) inside an equation: placeholder leaves (State nodes numbered from der_offset()).
  Value der_value(const expr::Ast& ast, const Scope& scope);
  int der_offset() const { return static_cast<int>(out_->states.size()); }
  bool is_der_placeholder(expr::NodeId id) const {
    const expr::Node& n = graph_[id];
    return n.op == expr::Op::State && n.index >= der_offset();
  }
  /// Whether the sub-DAG of `root` holds a der() placeholder.
  bool mentions_der(expr::NodeId root) const;
  /// Turns the der() placeholders in f into a general mass matrix M x' = f (see assemble.cpp).
  void build_mass();
  Value eval_name(const expr::Ast& ast, const Scope& scope);
  Value local_value(Local& local, int instance, const std::string& name);
  Value eval_member(const expr::Ast& ast, const Scope& scope);
  Value call_function(const expr::Ast& call, std::vector<Value> args, const Scope& scope);
  Value elementwise(const expr::Ast& at, const Scope& scope, const std::vector<Value>& args,
                    const std::function<expr::NodeId(const std::vector<expr::NodeId>&)>& f);
  Local* find_local(const Scope& scope, const std::string& name);
  SourcePos where(const expr::Ast& ast, const Scope& scope) const;
  // Resolves `slot.field` or `slot.field[i]` on the left of an equation or action.
  struct Target {
    int ec = -1;
    const FieldSlot* slot = nullptr;
    int element = -1;
    std::string key;
  };
  Target resolve_target(const expr::Ast& ast, const Scope& scope);
  // dimensions.cpp
  Dim field_dim(const model::FieldDecl& f) const;
  Dim time_dim() const;
  /// The dimension of `a op b` for + - and comparisons, branches of if, arguments of min/max/clamp: like units.
  Dim unify(const Value& a, const expr::Ast& a_ast, const Value& b, const expr::Ast& b_ast, const expr::Ast& at,
            const Scope& scope, const char* verb);
  Dim product(const Dim& a, const Dim& b, bool divide) const;
  Dim power(const Value& base, const Value& exponent, const expr::Ast& at, const Scope& scope);
  Dim dimensionless_argument(const Value& arg, const expr::Ast& arg_ast, const expr::Ast& call, const Scope& scope);
  /// `target` (der(a.x), an output, an action's field) must have dimension `want`; `got` is the right side's.
  void check_target(const Dim& want, const std::string& target, const Value& got, const expr::Ast& rhs,
                    const Scope& scope);
  /// A unit mistake: an error at ast's span, or (with `units: warn`) a warning, after which checking goes on.
  void unit_problem(const expr::Ast& ast, const Scope& scope, const std::string& message);
  Dim binary_dim(const expr::Ast& ast, const Value& l, const Value& r, const Scope& scope);
  Dim math_dim(const expr::MathFunction& mf, const expr::Ast& ast, const std::vector<Value>& args, const Scope& scope);
  void check_library_signature(const expr::Ast& call, const std::vector<Value>& args, const Scope& scope);
  // assemble.cpp
  void assemble();
  std::vector<expr::NodeId> switching_functions();

  /// The file a position is in: the model, or one of its libraries (SourcePos::file).
  const std::string& file_of(SourcePos pos) const;
  void error(SourcePos pos, const std::string& message, SourcePos end = {});
  void warning(SourcePos pos, const std::string& message, SourcePos end = {});

  const model::ModelDoc& doc_;
  std::vector<Diagnostic>& diagnostics_;
  units::System system_;  ///< the coherent system of the solve (SI, time in the model's time unit)
  bool any_units_ = false;
  ///< whether the model declares any unit (else t, too, is unchecked)
  std::shared_ptr<detail::CompiledModel> out_;
  expr::Graph graph_;

  std::vector<EntityComponent> components_;
  std::unordered_map<std::string, int> component_index_;  // "entity.component" -> index
  std::vector<Instance> instances_;
  std::unordered_map<const model::SystemDecl*, std::vector<ParsedLine>> parsed_;
  std::vector<std::unique_ptr<model::Text>> owned_texts_;

  // Functions by name and arity ("name/2"): library first, then the model's own.
  struct Function {
    std::string name;
    std::vector<std::string> params;
    const model::Text* body_text = nullptr;
    expr::AstPtr body;
    bool library = false;
  };
  std::unordered_map<std::string, Function> functions_;
  std::vector<std::string> call_stack_;
  std::unordered_map<std::string, int> table_index_;

  // Contributions per scalar of the state vector (derivatives or residuals) and per output field.
  std::vector<std::vector<Contribution>> state_terms_;
  std::vector<std::pair<Contribution, int>> free_residuals_;  // (where, -) for `lhs = rhs` on non-targets
  std::vector<Contribution> prototype_checks_;                // right-hand sides of systems that apply to no entity
  std::unordered_map<std::string, std::vector<Contribution>> output_terms_;  // by output field key (no [i])
  std::unordered_map<std::string, int> output_status_;
  std::unordered_map<std::string, Value> output_values_;
  std::vector<std::string> output_stack_;

  bool der_allowed_ = false;          ///< while evaluating equations: der() may appear inside them
  bool der_used_ = false;             ///< some equation holds der() inside it (a general mass matrix)
  std::vector<char> has_equation_;    ///< per state: a derivative, residual or port contribution
  std::vector<SourcePos> row_pos_;    ///< per row of f: where its equation was written
  std::vector<char> derivative_row_;  ///< per row of f: `der(x) += ...` (x' = f_x), else an equation 0 = f_i
  struct MassEntry {
    int row, col;
    expr::NodeId value;
  };
  std::vector<MassEntry> mass_entries_;  ///< a general M (empty: M is the diagonal of the derivative rows)
  // Results of evaluation.
  std::vector<expr::NodeId> f_;  // per state
  std::vector<expr::NodeId> free_residual_nodes_;
  std::vector<expr::NodeId> outputs_;  // per output scalar
  std::vector<expr::NodeId> event_functions_;
  std::vector<std::vector<expr::NodeId>> action_values_;  // per event (state events then periodic)
};

}  // namespace numen::compile
