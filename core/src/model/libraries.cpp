// Libraries (`use:`): reading a model with the library files it uses and merging them into one ModelDoc. The name
// rules are in model_doc.h (read_model_with_libraries); this file applies them.
#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "common/text.h"
#include "model/model_doc.h"

namespace numen::model {

namespace {

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

/// `./parts.yaml`, `lib/valves.yml`: a file; `pneumatic`: the standard library's.
bool is_path(const std::string& s) {
  return s.find('/') != std::string::npos || ends_with(s, ".yaml") || ends_with(s, ".yml");
}

enum class Kind { Component, System };

class Linker {
 public:
  Linker(ModelDoc& model, const std::string& text, const LibraryLoader& load, std::vector<Diagnostic>& diagnostics)
      : model_(model), load_(load), diagnostics_(diagnostics) {
    model_.sources.push_back(SourceFile{model_.file, text, "", false});
    docs_.push_back(nullptr);  // index 0 is the model itself
    uses_.emplace_back();
  }

  void run() {
    std::vector<int> stack{0};
    for (const UseDecl& u : model_.uses) {
      const int i = load(u, 0, stack);
      if (i > 0 && std::find(uses_[0].begin(), uses_[0].end(), i) == uses_[0].end()) uses_[0].push_back(i);
    }
    if (docs_.size() == 1) return;  // no library: the model stays exactly as read
    snapshot_names();
    merge();
  }

 private:
  const ModelDoc& doc(int i) const { return i == 0 ? model_ : *docs_[static_cast<std::size_t>(i)]; }
  const std::string& path(int i) const { return model_.sources[static_cast<std::size_t>(i)].path; }
  const std::string& library_name(int i) const { return model_.sources[static_cast<std::size_t>(i)].library; }

  void error(SourcePos pos, std::string message) {
    const std::size_t f = static_cast<std::size_t>(pos.file);
    diagnostics_.push_back(Diagnostic{Diagnostic::Severity::Error,
                                      f < model_.sources.size() ? model_.sources[f].path : model_.file,
                                      pos,
                                      std::move(message),
                                      {}});
  }

  /// Loads the library `u` names from file `from` (and, first, everything it uses). Returns its source index, or
  /// -1 when it cannot be had (the problem is reported at `u`).
  int load(const UseDecl& u, int from, std::vector<int>& stack) {
    const bool standard = !is_path(u.name);
    std::string file;
    if (standard) {
      file = "stdlib/" + u.name + ".yaml";
    } else if (model_.sources[static_cast<std::size_t>(from)].standard) {
      error(u.pos, "a standard library uses only other standard libraries, by name");
      return -1;
    } else {
      file = text::sibling_path(path(from), u.name);
    }
    // Already read (or being read: a cycle).
    for (std::size_t i = 1; i < model_.sources.size(); ++i) {
      if (model_.sources[i].path != file) continue;
      const auto open = std::find(stack.begin(), stack.end(), static_cast<int>(i));
      if (open != stack.end()) {
        std::string chain;
        for (auto it = open; it != stack.end(); ++it) chain += "`" + path(*it) + "` uses ";
        error(u.pos, "libraries use each other in a cycle: " + chain + "`" + file +
                         "`; move what they share into a library of its own that both use");
        return -1;
      }
      return static_cast<int>(i);
    }
    std::string text;
    if (standard) {
      const char* t = standard_library(u.name);
      if (!t) {
        const std::vector<std::string> names = standard_library_names();
        error(u.pos, "unknown library `" + u.name + "`" + text::did_you_mean(u.name, names) +
                         "; the standard library has " + text::quoted_list(names, 40) +
                         ", and a library file is named by its path, ending in .yaml (`./my_parts.yaml`)");
        return -1;
      }
      text = t;
    } else {
      if (!load_) {
        error(u.pos, "cannot read the library `" + u.name +
                         "`: this model was given as text alone, with no files "
                         "beside it; give its library files too (or use the standard library by name)");
        return -1;
      }
      try {
        text = load_(file);
      } catch (const std::exception& e) {
        error(u.pos, "cannot read the library `" + u.name + "` (" + file + "): " + e.what());
        return -1;
      }
    }
    const int index = static_cast<int>(model_.sources.size());
    model_.sources.push_back(SourceFile{file, text, "", standard});
    // A file of its own diagnostics: the reader stops at its own YAML errors, not at the model's.
    std::vector<Diagnostic> found;
    auto lib = std::make_unique<ModelDoc>(read_model(text, file, found, index));
    const bool readable = std::none_of(found.begin(), found.end(),
                                       [](const Diagnostic& x) { return x.severity == Diagnostic::Severity::Error; });
    diagnostics_.insert(diagnostics_.end(), found.begin(), found.end());
    docs_.push_back(std::move(lib));
    uses_.emplace_back();
    ModelDoc& d = *docs_.back();
    if (!d.is_library) {
      if (readable)
        error(u.pos, "`" + u.name +
                         "` is not a library: a library file starts with `library: NAME` and holds "
                         "components, systems, functions and tables, without entities, world or simulate");
      return -1;
    }
    model_.sources.back().library = d.name;
    for (std::size_t i = 1; i + 1 < model_.sources.size(); ++i)
      if (!d.name.empty() && model_.sources[i].library == d.name) {
        error(u.pos, "two libraries are named `" + d.name + "`: `" + model_.sources[i].path + "` and `" + file +
                         "`; rename one (its `library:` line)");
        return -1;
      }
    stack.push_back(index);
    for (const UseDecl& inner : d.uses) {
      const int i = load(inner, index, stack);
      auto& list = uses_[static_cast<std::size_t>(index)];
      if (i > 0 && std::find(list.begin(), list.end(), i) == list.end()) list.push_back(i);
    }
    stack.pop_back();
    return index;
  }

  /// The names each file declares, as written (before merging renames anything).
  void snapshot_names() {
    for (std::size_t i = 0; i < docs_.size(); ++i) {
      if (i > 0 && !docs_[i]) continue;
      const ModelDoc& d = doc(static_cast<int>(i));
      auto& c = components_[static_cast<int>(i)];
      auto& s = systems_[static_cast<int>(i)];
      for (const auto& x : d.components) c.push_back(x.name);
      for (const auto& x : d.systems) s.push_back(x.name);
    }
  }

  bool declares(int i, Kind kind, const std::string& name) const {
    const auto& list = (kind == Kind::Component ? components_ : systems_).at(i);
    return std::find(list.begin(), list.end(), name) != list.end();
  }

  std::string qualified(int i, const std::string& name) const { return i == 0 ? name : library_name(i) + "." + name; }

  /// A component or system name written in file `scope`, as the merged document calls it. A name nothing declares
  /// is returned as written, for the compiler to report with its suggestions.
  std::string resolve(Kind kind, const std::string& name, SourcePos pos, int scope) {
    const char* what = kind == Kind::Component ? "component" : "system";
    const auto& uses = uses_[static_cast<std::size_t>(scope)];
    const auto dot = name.find('.');
    if (dot != std::string::npos) {
      const std::string lib = name.substr(0, dot), bare = name.substr(dot + 1);
      int found = -1;
      if (scope > 0 && library_name(scope) == lib) found = scope;
      for (int u : uses)
        if (library_name(u) == lib) found = u;
      if (found < 0) {
        std::vector<std::string> names;
        for (int u : uses) names.push_back(library_name(u));
        error(pos, "`" + name + "`: `" + lib + "` is not a library this file uses" + text::did_you_mean(lib, names) +
                       (names.empty() ? "; add it to `use:`" : "; it uses " + text::quoted_list(names)));
        return name;
      }
      if (!declares(found, kind, bare)) {
        const auto& list = (kind == Kind::Component ? components_ : systems_).at(found);
        error(pos, "library `" + lib + "` (" + path(found) + ") has no " + what + " `" + bare + "`" +
                       text::did_you_mean(bare, list) + "; it has " + text::quoted_list(list, 30));
        return name;
      }
      return qualified(found, bare);
    }
    if (declares(scope, kind, name)) return qualified(scope, name);
    std::vector<int> found;
    for (int u : uses)
      if (declares(u, kind, name)) found.push_back(u);
    if (found.size() == 1) return qualified(found.front(), name);
    if (found.size() > 1) {
      std::string files, names;
      for (std::size_t k = 0; k < found.size(); ++k) {
        const std::string sep = k == 0 ? "" : k + 1 == found.size() ? " and " : ", ";
        files += sep + "`" + path(found[k]) + "`";
        names += (k == 0 ? "" : k + 1 == found.size() ? " or " : ", ") + ("`" + qualified(found[k], name) + "`");
      }
      error(pos,
            std::string(what) + " `" + name + "` is declared by both " + files + "; write " + names + " to say which");
    }
    return name;
  }

  void merge() {
    // Functions and tables are called by bare name: one definition across all the files. Libraries first, so that
    // a clash with the model's own is reported in the model, where the user can rename it.
    std::map<std::string, SourcePos> functions, tables;
    auto take_functions = [&](const ModelDoc& d) {
      for (const FunctionDecl& f : d.functions) {
        const std::string key = f.name + "/" + std::to_string(f.params.size());
        auto [it, fresh] = functions.emplace(key, f.pos);
        if (!fresh)
          error(f.pos, "function `" + f.name + "` with " + std::to_string(f.params.size()) +
                           " argument(s) is defined both in `" + path(it->second.file) + "` and in `" +
                           path(f.pos.file) + "`; functions are called by bare name, so rename one of them");
      }
    };
    auto take_tables = [&](const ModelDoc& d) {
      for (const TableDecl& t : d.tables) {
        auto [it, fresh] = tables.emplace(t.name, t.pos);
        if (!fresh)
          error(t.pos, "table `" + t.name + "` is defined both in `" + path(it->second.file) + "` and in `" +
                           path(t.pos.file) + "`; tables are named bare in `interp`, so rename one of them");
      }
    };
    for (std::size_t i = 1; i < docs_.size(); ++i)
      if (docs_[i] && docs_[i]->is_library) {
        take_functions(*docs_[i]);
        take_tables(*docs_[i]);
      }
    take_functions(model_);
    take_tables(model_);

    // The model's own declarations, resolved in the model's scope.
    for (ComponentDecl& c : model_.components) c.key_name = c.name;
    for (SystemDecl& s : model_.systems)
      for (SlotDecl& slot : s.slots) slot.component = resolve(Kind::Component, slot.component, slot.component_pos, 0);
    for (EntityDecl& e : model_.entities)
      for (EntityComponentDecl& ec : e.components) ec.component = resolve(Kind::Component, ec.component, ec.pos, 0);
    for (WorldEntry& w : model_.world) w.system = resolve(Kind::System, w.system, w.pos, 0);

    // Each library's, qualified, in the order they were read.
    for (std::size_t i = 1; i < docs_.size(); ++i) {
      if (!docs_[i] || !docs_[i]->is_library) continue;
      ModelDoc& d = *docs_[i];
      const int scope = static_cast<int>(i);
      for (ComponentDecl& c : d.components) {
        c.key_name = c.name;
        c.name = qualified(scope, c.name);
        model_.components.push_back(std::move(c));
      }
      for (SystemDecl& s : d.systems) {
        for (SlotDecl& slot : s.slots)
          slot.component = resolve(Kind::Component, slot.component, slot.component_pos, scope);
        s.name = qualified(scope, s.name);
        s.from_library = true;
        model_.systems.push_back(std::move(s));
      }
      for (FunctionDecl& f : d.functions) model_.functions.push_back(std::move(f));
      for (TableDecl& t : d.tables) model_.tables.push_back(std::move(t));
    }

    // Keys use a component's bare name, so an entity cannot carry two components of that name.
    for (const EntityDecl& e : model_.entities) {
      std::map<std::string, std::string> seen;
      for (const EntityComponentDecl& ec : e.components) {
        const ComponentDecl* c = model_.find_component(ec.component);
        if (!c) continue;
        auto [it, fresh] = seen.emplace(c->key_name, c->name);
        if (!fresh && it->second != c->name)
          error(ec.pos, "entity `" + e.name + "` carries both `" + it->second + "` and `" + c->name +
                            "`, whose values would have the same keys (`" + e.name + "." + c->key_name +
                            ".FIELD`); put them on two entities");
      }
    }
  }

  ModelDoc& model_;
  const LibraryLoader& load_;
  std::vector<Diagnostic>& diagnostics_;
  std::vector<std::unique_ptr<ModelDoc>> docs_;  // by source index; [0] is null (the model is model_)
  std::vector<std::vector<int>> uses_;           // the libraries each file uses directly, by source index
  std::map<int, std::vector<std::string>> components_, systems_;
};

}  // namespace

ModelDoc read_model_with_libraries(const std::string& text, const std::string& file, const LibraryLoader& load,
                                   std::vector<Diagnostic>& diagnostics) {
  ModelDoc doc = read_model(text, file, diagnostics);
  if (doc.is_library) {
    diagnostics.push_back(Diagnostic{Diagnostic::Severity::Error,
                                     file,
                                     doc.name_pos,
                                     "this is a library (`library: " + doc.name +
                                         "`), not a model: a model names it in `use: [...]` and adds the "
                                         "entities, world and simulate",
                                     {}});
    return doc;
  }
  Linker(doc, text, load, diagnostics).run();
  return doc;
}

}  // namespace numen::model
