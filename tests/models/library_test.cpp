// The standard library (models/lib/*.yaml) and `use:`.
//
// Every library file carries small test models in models/lib/tests/: each is solved and its states or outputs are
// compared with a known solution the same file writes down as outputs (an analytic formula in t, a conserved
// quantity's initial value, a steady state), by its expectation lines:
//   # expect KEY = REF within TOL          at every saved point, |KEY - REF| <= TOL (display units)
//   # expect final KEY = REF within TOL    at the end of the time span
// and every component and system of the standard library must appear in at least one of them, so a component
// added later is covered or this test says which is not. The files say why each tolerance is what it is.
//
// The models of models/ rewritten on the library keep their trajectories: each is compared with the self-contained
// form it had before (tests/data/prelibrary/), solved with the same settings.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <regex>
#include <set>

#include <yaml-cpp/yaml.h>

#include "support.h"

namespace numen {
namespace {

std::vector<std::string> library_tests() {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(test::source_path("models/lib/tests")))
    if (entry.path().extension() == ".yaml") files.push_back(entry.path().filename().string());
  std::sort(files.begin(), files.end());
  return files;
}

FileLoader disk() {
  return [](const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + path);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };
}

struct Expectation {
  bool final_only = false;
  std::string key, ref;
  double tol = 0;
};

std::vector<Expectation> expectations(const std::string& text) {
  std::vector<Expectation> out;
  const std::regex line(R"(^# expect (final )?(\S+) = (\S+) within (\S+)\s*$)");
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) {
    std::smatch m;
    if (std::regex_match(l, m, line)) out.push_back({m[1].matched, m[2], m[3], std::stod(m[4])});
  }
  return out;
}

/// The series of a state or output of a solution, in display units.
std::vector<double> series(const Model& model, const Solution& s, const std::string& key) {
  std::vector<double> out(s.size());
  if (auto i = model.find_state(key)) {
    const Variable& v = model.states()[static_cast<std::size_t>(*i)];
    for (std::size_t k = 0; k < s.size(); ++k) out[k] = v.to_display(s.state(*i, k));
  } else if (auto j = model.find_output(key)) {
    const Variable& v = model.outputs()[static_cast<std::size_t>(*j)];
    for (std::size_t k = 0; k < s.size(); ++k) out[k] = v.to_display(s.output(*j, k));
  } else {
    ADD_FAILURE() << "no state or output `" << key << "`";
  }
  return out;
}

class LibraryExample : public ::testing::TestWithParam<std::string> {};

TEST_P(LibraryExample, MatchesItsKnownSolution) {
  const std::string path = test::source_path("models/lib/tests/" + GetParam());
  const std::string text = test::read_text("models/lib/tests/" + GetParam());
  const std::vector<Expectation> expect = expectations(text);
  ASSERT_FALSE(expect.empty()) << GetParam() << " has no `# expect KEY = REF within TOL` line";
  const Model model = Model::compile(text, path, disk());
  EXPECT_TRUE(model.warnings().empty()) << model.warnings().front().format();
  const Solution s = solve(model, model.simulate());
  ASSERT_TRUE(s.ok()) << s.message;
  for (const Expectation& e : expect) {
    const std::vector<double> got = series(model, s, e.key), want = series(model, s, e.ref);
    if (got.empty() || want.empty()) continue;
    double worst = 0;
    std::size_t at = 0;
    for (std::size_t k = e.final_only ? s.size() - 1 : 0; k < s.size(); ++k)
      if (std::abs(got[k] - want[k]) > worst) worst = std::abs(got[k] - want[k]), at = k;
    EXPECT_LE(worst, e.tol) << e.key << " vs " << e.ref << " at t = " << s.t[at] << ": " << got[at] << " vs "
                            << want[at];
  }
}

INSTANTIATE_TEST_SUITE_P(StandardLibrary, LibraryExample, ::testing::ValuesIn(library_tests()), [](const auto& info) {
  std::string name = info.param.substr(0, info.param.size() - 5);
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
});

/// `library.name` for every component and system the standard library declares.
std::set<std::string> library_names(bool systems) {
  std::set<std::string> out;
  for (const auto& [lib, text] : standard_libraries()) {
    const YAML::Node root = YAML::Load(text);
    for (const auto& it : root[systems ? "systems" : "components"]) out.insert(lib + "." + it.first.Scalar());
  }
  return out;
}

TEST(StandardLibrary, EveryComponentAndSystemIsTestedByAnExample) {
  std::set<std::string> components = library_names(false), systems = library_names(true);
  ASSERT_GE(components.size(), 30u);
  for (const std::string& file : library_tests()) {
    const YAML::Node root = YAML::LoadFile(test::source_path("models/lib/tests/" + file));
    std::set<std::string> used;
    for (const auto& u : root["use"]) used.insert(u.Scalar());
    auto strike = [&](std::set<std::string>& names, const std::string& bare) {
      for (const std::string& lib : used) names.erase(bare.find('.') == std::string::npos ? lib + "." + bare : bare);
    };
    for (const auto& e : root["entities"])
      for (const auto& c : e.second) strike(components, c.first.Scalar());
    EXPECT_TRUE(root["world"]) << file << ": an example lists the systems it tests in `world:`";
    for (const auto& w : root["world"]) strike(systems, w.first.Scalar());
  }
  EXPECT_TRUE(components.empty()) << "components with no example in models/lib/tests/: "
                                  << ::testing::PrintToString(components);
  EXPECT_TRUE(systems.empty()) << "systems with no example in models/lib/tests/ (list them in its `world:`): "
                               << ::testing::PrintToString(systems);
}

TEST(StandardLibrary, EveryComponentIsDocumented) {
  for (const auto& [lib, text] : standard_libraries()) {
    const YAML::Node root = YAML::Load(text);
    EXPECT_TRUE(root["description"]) << lib;
    for (const auto& sys : root["systems"])
      EXPECT_TRUE(sys.second["description"]) << lib << "." << sys.first.Scalar() << " (a system) has no description";
    for (const auto& c : root["components"]) {
      EXPECT_TRUE(c.second["description"]) << lib << "." << c.first.Scalar() << " has no description";
      for (const char* kind : {"states", "params", "outputs", "discrete"})
        for (const auto& f : c.second[kind])
          EXPECT_TRUE(f.second.IsMap() && f.second["description"])
              << lib << "." << c.first.Scalar() << "." << f.first.Scalar() << " has no description";
    }
  }
}

TEST(StandardLibrary, EveryFileCompilesAsALibraryAndIsTheOneInTheCore) {
  const auto libs = standard_libraries();
  ASSERT_GE(libs.size(), 6u);
  for (const auto& [lib, text] : libs) {
    EXPECT_EQ(text, test::read_text("models/lib/" + lib + ".yaml")) << lib << ": the core holds another text; rebuild";
    const std::string model = "model: uses_" + lib + "\nuse: [" + lib + "]\n";
    EXPECT_NO_THROW(Model::compile(model, "m.yaml")) << lib;
  }
}

// ---- the models rewritten on the library ---------------------------------------------------------------------

struct Rewritten {
  std::string name;
  std::map<std::string, std::string> keys;  // key in the old form -> key in the new (those that moved)
  double rtol;                              // relative to each series' largest magnitude
};

// The tolerances: both forms compute the same equations, but in another order (sums of contributions, a
// conductance for a resistance), so their solutions differ by the solver's error control, which the models set at
// rtol 1e-7 .. 1e-10; 1e-5 of each series' range is well above it and far below any modelling change. The poppet
// chatters on its seat, where rounding moves an impact by a step: it is compared looser.
const std::vector<Rewritten>& rewritten() {
  static const std::vector<Rewritten> list = {
      {"fluid_poppet", {}, 1e-6},
      {"thermal_rc",
       {{"block.node.T", "block.capacity.T"},
        {"sink.node.T", "sink.capacity.T"},
        {"block.node.celsius", "block.capacity.celsius"},
        {"R_bs.resistance.Q", "R_bs.conductance.Q"},
        {"R_sa.resistance.Q", "R_sa.conductance.Q"},
        {"R_ba.resistance.Q", "R_ba.conductance.Q"}},
       1e-7},
      {"dc_motor_pi",
       {{"motor.motor.current", "motor.dc_motor.current"}, {"motor.motor.speed", "motor.dc_motor.speed"}},
       1e-4},
      {"pneumatic_dashpot", {}, 1e-5},
      {"coupled_spring",
       {{"m1.mass.position", "m1.mass.x"},
        {"m1.mass.velocity", "m1.mass.v"},
        {"m2.mass.position", "m2.mass.x"},
        {"m2.mass.velocity", "m2.mass.v"},
        {"m3.mass.position", "m3.mass.x"},
        {"m3.mass.velocity", "m3.mass.v"}},
       1e-7},
  };
  return list;
}

TEST(RewrittenModels, UseTheLibraryAndKeepTheirTrajectories) {
  for (const Rewritten& r : rewritten()) {
    SCOPED_TRACE(r.name);
    const std::string now = test::read_text("models/" + r.name + ".yaml");
    ASSERT_NE(now.find("\nuse: ["), std::string::npos) << r.name << " no longer uses the library";
    const Model old_model =
        Model::compile(test::read_text("tests/data/prelibrary/" + r.name + ".yaml"), r.name + ".yaml");
    const Model new_model = test::load_model(r.name);
    EXPECT_LT(now.size(), test::read_text("tests/data/prelibrary/" + r.name + ".yaml").size()) << "not shorter";
    const Solution a = solve(old_model, old_model.simulate()), b = solve(new_model, new_model.simulate());
    ASSERT_TRUE(a.ok()) << a.message;
    ASSERT_TRUE(b.ok()) << b.message;
    ASSERT_EQ(a.t, b.t);
    int compared = 0;
    for (const Variable& v : old_model.states()) {
      auto moved = r.keys.find(v.key);
      const std::string key = moved == r.keys.end() ? v.key : moved->second;
      if (!new_model.find_state(key)) continue;
      const std::vector<double> x = series(old_model, a, v.key), y = series(new_model, b, key);
      double range = 0, worst = 0;
      for (double e : x) range = std::max(range, std::abs(e));
      for (std::size_t k = 0; k < x.size(); ++k) worst = std::max(worst, std::abs(x[k] - y[k]));
      EXPECT_LE(worst, r.rtol * range) << v.key << " (now " << key << ")";
      ++compared;
    }
    EXPECT_GE(compared, 2) << "states compared";
  }
}

TEST(RewrittenModels, AtLeastFiveModelsUseTheLibrary) {
  int using_library = 0;
  for (const std::string& name : test::model_names())
    if (test::read_text("models/" + name + ".yaml").find("\nuse: [") != std::string::npos) ++using_library;
  EXPECT_GE(using_library, 5);
}

// ---- the mechanism -------------------------------------------------------------------------------------------

FileLoader files(std::map<std::string, std::string> texts) {
  return [texts = std::move(texts)](const std::string& path) {
    auto it = texts.find(path);
    if (it == texts.end()) throw std::runtime_error("no file " + path);
    return it->second;
  };
}

const char* kParts =
    "library: parts\n"
    "components:\n"
    "  volume: { description: mine, states: { q: 1 }, params: { k: 2 } }\n"
    "systems:\n"
    "  leak: { slots: [v: volume], equations: ['der(v.q) += -v.k * v.q'] }\n";

TEST(Use, ABareNameFromOneLibraryWorksAndKeysUseIt) {
  const Model m = Model::compile("model: m\nuse: [./parts.yaml]\nentities:\n  a: { volume: {} }\n", "dir/m.yaml",
                                 files({{"dir/parts.yaml", kParts}}));
  ASSERT_EQ(m.states().size(), 1u);
  EXPECT_EQ(m.states()[0].key, "a.volume.q");
  std::vector<double> dx(1);
  m.rhs(0, m.initial_state().data(), m.parameter_values().data(), dx.data());
  EXPECT_DOUBLE_EQ(dx[0], -2.0);
}

TEST(Use, TwoLibrariesWithTheSameNameNeedTheQualifiedName) {
  const std::string model = "model: m\nuse: [pneumatic, ./parts.yaml]\nentities:\n  a: { volume: {} }\n";
  try {
    Model::compile(model, "m.yaml", files({{"parts.yaml", kParts}}));
    FAIL() << "compiled";
  } catch (const Error& e) {
    const Diagnostic& d = e.diagnostics().front();
    EXPECT_EQ(d.file, "m.yaml");
    EXPECT_EQ(d.pos.line, 4);
    EXPECT_NE(d.message.find("stdlib/pneumatic.yaml"), std::string::npos) << d.message;
    EXPECT_NE(d.message.find("parts.yaml"), std::string::npos) << d.message;
    EXPECT_NE(d.message.find("`parts.volume`"), std::string::npos) << d.message;
  }
  const Model m = Model::compile(
      "model: m\nuse: [pneumatic, ./parts.yaml]\nentities:\n  a: { parts.volume: {} }\n"
      "  b: { pneumatic.volume: {} }\n",
      "m.yaml", files({{"parts.yaml", kParts}}));
  EXPECT_TRUE(m.find_state("a.volume.q"));
  EXPECT_TRUE(m.find_state("b.volume.p"));
}

TEST(Use, TheModelsOwnNameComesFirst) {
  const Model m = Model::compile(
      "model: m\nuse: [./parts.yaml]\ncomponents:\n  volume: { states: { z: 3 } }\nentities:\n  a: { volume: {} }\n",
      "m.yaml", files({{"parts.yaml", kParts}}));
  EXPECT_TRUE(m.find_state("a.volume.z"));
}

TEST(Use, TheHashCoversTheLibraries) {
  const std::string model = "model: m\nuse: [./parts.yaml]\nentities:\n  a: { volume: {} }\n";
  const Model a = Model::compile(model, "m.yaml", files({{"parts.yaml", kParts}}));
  std::string changed = kParts;
  changed.replace(changed.find("k: 2"), 4, "k: 3");
  const Model b = Model::compile(model, "m.yaml", files({{"parts.yaml", changed}}));
  EXPECT_NE(a.content_hash(), b.content_hash());
  const Model c = Model::compile(model, "m.yaml", files({{"parts.yaml", kParts}}));
  EXPECT_EQ(a.content_hash(), c.content_hash());
}

TEST(Use, LibrariesUseLibrariesAndTheirOwnNamesResolveInside) {
  const char* valves =
      "library: valves\nuse: [./parts.yaml]\n"
      "components:\n  gate: { description: g, params: { open: 1 } }\n"
      "systems:\n  gated: { slots: [v: volume, g: gate], equations: ['der(v.q) += g.open'] }\n";
  // parts.yaml is named twice, by two paths to one file: it is read once.
  const Model m = Model::compile(
      "model: m\nuse: [lib/valves.yaml, lib/parts.yaml]\nentities:\n  a: { parts.volume: {}, gate: {} }\n"
      "world:\n  gated: auto\n",
      "m.yaml", files({{"lib/valves.yaml", valves}, {"lib/parts.yaml", kParts}}));
  std::vector<double> dx(1);
  m.rhs(0, m.initial_state().data(), m.parameter_values().data(), dx.data());
  EXPECT_DOUBLE_EQ(dx[0], 1.0);
}

TEST(Use, ErrorsInsideALibraryNameItsFile) {
  std::string broken = kParts;
  broken.replace(broken.find("-v.k"), 4, "-v.kk");
  try {
    Model::compile("model: m\nuse: [./parts.yaml]\nentities:\n  a: { volume: {} }\n", "dir/m.yaml",
                   files({{"dir/parts.yaml", broken}}));
    FAIL() << "compiled";
  } catch (const Error& e) {
    const Diagnostic& d = e.diagnostics().front();
    EXPECT_EQ(d.file, "dir/parts.yaml");
    EXPECT_EQ(d.pos.line, 5);
    EXPECT_NE(d.message.find("kk"), std::string::npos) << d.message;
  }
}

TEST(Use, AModelsOwnErrorsDoNotStopItsLibrariesFromBeingRead) {
  try {
    Model::compile("model: m\nuse: [pneumatic]\nsystems:\n  s: { slots: [e: volume], equations: [] }\n", "m.yaml");
    FAIL() << "compiled";
  } catch (const Error& e) {
    ASSERT_EQ(e.diagnostics().size(), 1u) << e.what();
    EXPECT_NE(e.diagnostics().front().message.find("reserved"), std::string::npos) << e.what();
  }
}

TEST(Use, UnusedLibrarySystemsAreNotCheckedAgainstStandIns) {
  // pneumatic's `compression` divides by a chamber's volume, an input this model never wires.
  const Model m = Model::compile("model: m\nuse: [pneumatic]\nentities:\n  a: { volume: {} }\n", "m.yaml");
  for (const Diagnostic& w : m.warnings())  // the volume has no flow: its own warning, and only that
    EXPECT_NE(w.message.find("has no equation"), std::string::npos) << w.format();
}

TEST(Use, APlansModelReadsItsLibrariesThroughThePlanAndThePlanKeepsThem) {
  // The plan names its files relative to itself: the model's ./parts.yaml is ../parts.yaml from plans/.
  std::vector<std::string> asked;
  const std::string parts = std::string(kParts).replace(std::string(kParts).find("params: { k: 2 }"), 16,
                                                        "params: { k: 2 }, ports: { push: { targets: q } }");
  const std::map<std::string, std::string> texts = {
      {"../m.yaml", "model: m\nuse: [./parts.yaml]\nentities:\n  a: { volume: {} }\n"}, {"../parts.yaml", parts}};
  const FileLoader load = [&](const std::string& path) {
    asked.push_back(path);
    return texts.at(path);
  };
  const Plan plan = Plan::compile(
      "model: { file: ../m.yaml }\n"
      "excitation: { entity: a, component: volume, port: push, output: a.volume.q }\n"
      "tests:\n  - { name: d, type: free_decay, t_end: 1, initial_displacement: 0.5 }\n",
      "models/plans/p.plan.yaml", load);
  EXPECT_EQ(asked, (std::vector<std::string>{"../m.yaml", "../parts.yaml"}));
  ASSERT_EQ(plan.files().size(), 2u);
  EXPECT_EQ(plan.files()[1].first, "../parts.yaml");  // a part carries it, so it merges anywhere
  EXPECT_EQ(plan.model().states()[0].key, "a.volume.q");
}

TEST(Use, WithoutALoaderOnlyTheStandardLibraryIsAvailable) {
  try {
    Model::compile("model: m\nuse: [./parts.yaml]\n", "m.yaml");
    FAIL() << "compiled";
  } catch (const Error& e) {
    EXPECT_NE(e.diagnostics().front().message.find("no files"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace numen
