#pragma once
// ModelDoc: a model file as read, before compilation. Every node keeps its place in the file so the compiler can
// report problems where the user wrote them.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "numen/diagnostic.h"
#include "numen/options.h"
#include "units/units.h"

namespace numen::model {

/// Expression text from the file, with what is needed to turn an offset inside it into a file position.
struct Text {
  std::string text;
  SourcePos pos;  ///< position of text[0]
  /// For multi-line block scalars: (offset in text where a line starts, its position in the file).
  std::vector<std::pair<int, SourcePos>> lines;
  SourcePos at(int offset) const;
};

enum class FieldKind { State, Algebraic, Parameter, Discrete, Output, Port };
const char* to_string(FieldKind kind);  ///< "state", "algebraic variable", ...

struct FieldDecl {
  std::string name;
  SourcePos pos;
  FieldKind kind = FieldKind::State;
  std::vector<double> value{0.0};  ///< one value per element, in the declared unit
  bool is_vector = false;
  std::string unit;  ///< the declared (display) unit as written, without spaces; empty: not given, not checked
  units::Unit si;    ///< what `unit` means
  SourcePos unit_pos;
  std::string description;
  std::optional<double> slider_min, slider_max;  ///< `min:`/`max:`, the workbench slider's ends (declared unit)
  // Ports only:
  std::string target;  ///< the state whose derivative receives the input
  SourcePos target_pos;
  std::string port_type;     ///< effort | flow
  std::optional<Text> gain;  ///< expression over the component's fields, default 1
};

struct ComponentDecl {
  std::string name;      ///< as the compiler sees it: a library's components are qualified (`pneumatic.volume`)
  std::string key_name;  ///< the name in variable keys (entity.KEY_NAME.field): the name without its library
  SourcePos pos;
  std::string description;
  std::vector<FieldDecl> fields;
  const FieldDecl* find(const std::string& field) const;
};

struct SlotDecl {
  std::string name;
  std::string component;
  SourcePos pos;
  SourcePos component_pos;
};

enum class EventDirection { Rising, Falling, Either };

struct EventDecl {
  SourcePos pos;
  bool periodic = false;
  // periodic (`every`)
  double period = 0.0;
  double offset = 0.0;
  SourcePos period_pos;
  // state event (`when` a comparison, or `zero` an expression with `direction`)
  std::optional<Text> when;
  std::optional<Text> zero;
  std::optional<EventDirection> direction;
  std::vector<Text> actions;
  bool terminate = false;
};

struct SystemDecl {
  std::string name;  ///< qualified (`pneumatic.orifice_flow`) when it comes from a library
  SourcePos pos;
  bool from_library = false;  ///< a library's system: applying to no entity is no reason to warn
  std::string description;
  std::vector<SlotDecl> slots;
  SourcePos slots_pos;
  std::vector<Text> equations;
  std::vector<EventDecl> events;
};

struct OverrideDecl {
  std::string field;
  SourcePos pos;
  std::vector<double> value;
  bool is_vector = false;
  std::string unit;  ///< the unit the value is written in, empty when none
  units::Unit si;
  SourcePos unit_pos;
};

struct EntityComponentDecl {
  std::string component;
  SourcePos pos;
  std::vector<OverrideDecl> overrides;
};

struct EntityDecl {
  std::string name;
  SourcePos pos;
  std::vector<EntityComponentDecl> components;
};

struct GroupMember {
  std::string entity;
  SourcePos pos;
};

struct WorldEntry {
  std::string system;
  SourcePos pos;
  bool automatic = false;
  std::vector<std::vector<GroupMember>> groups;
  std::vector<SourcePos> group_pos;
};

struct FunctionDecl {
  std::string name;
  SourcePos pos;
  std::vector<std::string> params;
  Text body;
};

struct TableDecl {
  std::string name;
  SourcePos pos;
  std::vector<double> x, y;    ///< as written, in x_unit and y_unit
  std::string x_unit, y_unit;  ///< empty: not given, not checked
  units::Unit x_si, y_si;
};

/// The `simulate` block: options as given, per-state tolerances by key (resolved by the compiler).
struct SimulateDecl {
  SolveOptions options;
  std::vector<std::pair<std::string, double>> atol_by_state;
  std::map<std::string, SourcePos> key_pos;  ///< where each option (and each atol key) was written
  SourcePos pos;
};

/// One `use:` entry: a standard library's name or a library file's path, as written.
struct UseDecl {
  std::string name;
  SourcePos pos;
};

/// A file a model was read from: the model itself (index 0 = SourcePos::file) and each library it uses.
struct SourceFile {
  std::string path;  ///< the path it was loaded by (relative, like the model's), or `stdlib/NAME.yaml`
  std::string text;
  std::string library;  ///< the library's name; empty for the model
  bool standard = false;
};

struct ModelDoc {
  std::string file;
  std::string name;
  SourcePos name_pos;
  bool is_library = false;  ///< the file says `library: NAME` (no entities, world or simulate)
  std::vector<UseDecl> uses;
  /// After read_model_with_libraries: every file read, the model first; SourcePos::file indexes this.
  std::vector<SourceFile> sources;
  std::string description;
  std::vector<FunctionDecl> functions;
  std::vector<TableDecl> tables;
  std::vector<ComponentDecl> components;
  std::vector<SystemDecl> systems;
  std::vector<EntityDecl> entities;
  std::vector<WorldEntry> world;
  bool has_world = false;
  SourcePos world_pos;
  SimulateDecl simulate;
  /// `time_unit:` the unit of t, tspan and every time in the file (s when not given).
  std::string time_unit = "s";
  units::Unit time_si = units::Unit{units::Dimension::of(units::Time)};
  SourcePos time_unit_pos;
  bool units_warn = false;  ///< `units: warn`: unit mistakes are warnings, not errors
  /// `plots:` what the workbench shows first: keys to plot against time, and a phase portrait (x, y).
  std::vector<std::pair<std::string, SourcePos>> plot_show, plot_phase;

  const ComponentDecl* find_component(const std::string& name) const;
  const EntityDecl* find_entity(const std::string& name) const;
  const SystemDecl* find_system(const std::string& name) const;
};

/// Reads a model or library file. Problems are appended to `diagnostics`; the returned document holds what could be
/// read. `file_index` is the SourcePos::file every position of this file carries.
ModelDoc read_model(const std::string& text, const std::string& file, std::vector<Diagnostic>& diagnostics,
                    int file_index = 0);

/// Reads a library file's path, relative to the file that names it, into its text; throws std::exception if it
/// cannot (the what() is reported at the `use:` entry).
using LibraryLoader = std::function<std::string(const std::string& path)>;

/// Reads a model and every library it uses, directly or through other libraries, and merges them into one
/// document the compiler takes as it takes a single file. Standard libraries (bare names) come from the core;
/// library files through `load`, given the path joined to the folder of the file that names it. The rules:
/// - A library's components and systems are named `LIBRARY.NAME` in the merged document; their variable keys use
///   the bare name (entity.volume.p).
/// - In a file, a bare name is its own declaration if it has one, else the one of the libraries it uses directly
///   that declares it; two such libraries are an error naming both files and the qualified names to write.
/// - Functions and tables are called by bare name in expressions: one name, one definition across all the files
///   (a second is an error naming both).
/// - A library that uses itself, directly or through others, is an error naming the cycle.
ModelDoc read_model_with_libraries(const std::string& text, const std::string& file, const LibraryLoader& load,
                                   std::vector<Diagnostic>& diagnostics);

/// The standard library's file of that name (models/lib/NAME.yaml, built into the core), nullptr when none.
const char* standard_library(const std::string& name);
/// The standard library's names, sorted.
std::vector<std::string> standard_library_names();

}  // namespace numen::model
