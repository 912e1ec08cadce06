// Plan files: every key checked with a line, a column and the valid choices; runs that do not depend on how
// points are scheduled; results and CSV files.
#include <algorithm>
#include <random>

#include <set>

#include "characterize/plan_support.h"
#include "characterize/test.h"

namespace numen::test {
namespace {

const char* kSimple = "tests:\n  - { name: lin, type: linearized_frf, frequencies: [1, 2, 5] }\n";

// Found by fuzz_plan: with `type` given twice the schema checked one test type and the reader built the other,
// which then read a key the schema had not required and ended the CLI in std::terminate.
// The workbench showed `plan.yaml:0:0` for an empty plan: a document with no node still has a place, its top.
TEST(PlanFile, AnEmptyPlanIsAnErrorAtItsFirstLine) {
  for (const char* text : {"", "# only a comment\n", "\n\n"}) {
    const Diagnostic d = plan_error(text);
    EXPECT_EQ(d.pos.line, 1) << d.format();
    EXPECT_EQ(d.pos.column, 1) << d.format();
    EXPECT_NE(d.message.find("the plan is empty"), std::string::npos) << d.format();
  }
}

// The workbench's files are a flat set of names: a plan's "../model.yaml" finds "model.yaml", an exact path wins.
TEST(PlanFile, InMemoryFilesAreFoundAsWrittenThenByName) {
  const PlanFileLoader load = in_memory_files({{"lib/m.yaml", "exact"}, {"m.yaml", "by name"}, {"other.yaml", "x"}});
  EXPECT_EQ(load("lib/m.yaml"), "exact");
  EXPECT_EQ(load("../m.yaml"), "by name");
  EXPECT_EQ(load("m.yaml"), "by name");
  try {
    load("../missing.yaml");
    ADD_FAILURE() << "a missing file must throw";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("`missing.yaml`"), std::string::npos) << e.what();
  }
}

TEST(PlanFile, AKeyGivenTwiceIsAnErrorAtTheSecond) {
  const Diagnostic d = plan_error(msd_plan_head() +
                                  "tests:\n  - { name: s, type: discrete_frequency_sweep, frequencies: { f_start: 1, "
                                  "n_points: 3 }, type: free_decay }\n");
  EXPECT_EQ(d.pos.line, 5);
  EXPECT_EQ(d.pos.column, 90);  // the second `type`
  EXPECT_NE(d.message.find("the key `type` appears twice in `tests[0]`"), std::string::npos) << d.message;
}

TEST(PlanFile, UnknownKeysAreErrorsWithTheAllowedOnes) {
  Diagnostic d = plan_error(msd_plan_head() + "seeds: 3\n" + kSimple);
  EXPECT_EQ(d.pos.line, 4);
  EXPECT_EQ(d.pos.column, 1);
  EXPECT_NE(d.message.find("unknown key `seeds` (did you mean `seed`?)"), std::string::npos) << d.message;
  EXPECT_NE(d.message.find("`excitation`"), std::string::npos) << d.message;

  d = plan_error(msd_plan_head() +
                 "tests:\n  - { name: s, type: discrete_frequency_sweep, frequencies: [1], settle_period: 4 }\n");
  EXPECT_EQ(d.pos.line, 5);
  EXPECT_NE(d.message.find("did you mean `settle_periods`"), std::string::npos) << d.message;
  EXPECT_NE(d.message.find("`measure_periods`"), std::string::npos) << d.message;  // this type's keys only

  d = plan_error(msd_plan_head() + "tests:\n  - { name: s, type: stepped_sine, frequencies: [1] }\n");
  EXPECT_NE(d.message.find("must be one of"), std::string::npos) << d.message;
  EXPECT_NE(d.message.find("`discrete_frequency_sweep`"), std::string::npos) << d.message;
}

TEST(PlanFile, ModelPathsPortsAndOutputsAreChecked) {
  const std::string tail = std::string(kSimple);
  Diagnostic d = plan_error(
      "model: { file: ../linear_msd.yaml, set: { mass.body.kk: 3 } }\n"
      "excitation: { entity: mass, component: body, port: force, output: mass.body.x }\n" +
      tail);
  EXPECT_EQ(d.pos.line, 1);
  EXPECT_NE(d.message.find("did you mean `mass.body.k`"), std::string::npos) << d.message;
  EXPECT_NE(d.message.find("valid keys: `mass.body.m`"), std::string::npos) << d.message;

  d = plan_error(
      "model: { file: ../linear_msd.yaml }\n"
      "excitation: { entity: mass, component: body, port: forse, output: mass.body.x }\n" +
      tail);
  EXPECT_EQ(d.pos.line, 2);
  EXPECT_NE(d.message.find("did you mean `mass.body.force`"), std::string::npos) << d.message;

  d = plan_error(
      "model: { file: ../linear_msd.yaml }\n"
      "excitation: { entity: mass, component: body, port: force, output: mass.body.y }\n" +
      tail);
  EXPECT_NE(d.message.find("measurable: `mass.body.x`, `mass.body.v`, `mass.body.spring_force`"), std::string::npos)
      << d.message;

  d = plan_error(
      "model: { file: ../no_such_model.yaml }\n"
      "excitation: { entity: mass, component: body, port: force, output: mass.body.x }\n" +
      tail);
  EXPECT_EQ(d.pos.line, 1);
  EXPECT_NE(d.message.find("cannot read the model `../no_such_model.yaml`"), std::string::npos) << d.message;
}

// The model's own errors keep its file and positions, named as the user sees the file from where they stand.
TEST(PlanFile, ModelErrorsPointIntoTheModelFile) {
  const PlanFileLoader load = [](const std::string&) -> std::string {
    return "model: m\ncomponents:\n  a: { statez: {} }\n";
  };
  try {
    Plan::compile(
        "model: { file: ../models/broken.yaml }\n"
        "excitation: { entity: a, component: a, port: p, output: a.a.x }\n" +
            std::string(kSimple),
        "work/plans/p.yaml", load);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.diagnostics().front().file, "work/models/broken.yaml");
    EXPECT_EQ(e.diagnostics().front().pos.line, 3);
    EXPECT_EQ(e.diagnostics().back().file, "work/plans/p.yaml");
  }
}

TEST(PlanFile, NamesValuesAndPlotsAreChecked) {
  const std::string head = msd_plan_head() + "tests:\n";
  EXPECT_NE(
      plan_error(
          head +
          "  - { name: a, type: linearized_frf, frequencies: [1] }\n  - { name: a, type: linearized_frf, frequencies: [2] }\n")
          .message.find("must be unique"),
      std::string::npos);
  EXPECT_NE(
      plan_error(head + "  - { name: a, type: linearized_frf, frequencies: [2, 1] }\n").message.find("must increase"),
      std::string::npos);
  EXPECT_NE(
      plan_error(head + "  - { name: a, type: linearized_frf, frequencies: { f_start: 5, f_end: 1, n_points: 4 } }\n")
          .message.find("must be above f_start"),
      std::string::npos);
  EXPECT_NE(plan_error(head + "  - { name: a, type: discrete_frequency_sweep, frequencies: [1], dc_offset: .inf }\n")
                .message.find("finite"),
            std::string::npos);
  EXPECT_NE(plan_error(head + "  - { name: a, type: linearized_frf, enabled: false, frequencies: [1] }\n")
                .message.find("every test is disabled"),
            std::string::npos);
  const std::string tests = head + "  - { name: a, type: linearized_frf, frequencies: [1] }\n";
  EXPECT_NE(plan_error(tests + "plots:\n  - { type: bode, tests: [b] }\n").message.find("no test named `b`"),
            std::string::npos);
  EXPECT_NE(
      plan_error(tests + "plots:\n  - { type: backbone_curve, tests: [a] }\n").message.find("cannot show test `a`"),
      std::string::npos);
  EXPECT_NE(plan_error(tests + "plots:\n  - { type: bode_plot, tests: [a] }\n").message.find("`nyquist`"),
            std::string::npos);
  EXPECT_NE(plan_error(msd_plan_head("{ method: Euler }") + kSimple).message.find("fixed-step"), std::string::npos);
}

TEST(PlanFile, ResolvedPlanFillsInTheDefaults) {
  const Plan plan = compile_plan(
      msd_plan_head() +
      "tests:\n  - { name: s, type: discrete_frequency_sweep, frequencies: { f_start: 1, f_end: 10, n_points: 3 } }\n");
  const ojson doc = run_plan(plan);
  const ojson& settings = doc["plan"]["tests"][0];
  EXPECT_EQ(settings["settle_periods"], "auto");
  EXPECT_EQ(settings["measure_periods"], 5);
  EXPECT_EQ(settings["start"], "linearized");
  ASSERT_EQ(settings["frequencies"].size(), 3u);
  EXPECT_NEAR(settings["frequencies"][1].get<double>(), std::sqrt(10.0), 1e-12);
  EXPECT_EQ(doc["solver"]["method"], "Tsit5");
  EXPECT_EQ(doc["model"]["name"], "linear_msd");
  EXPECT_EQ(doc["model"]["hash"].get<std::string>().rfind("fnv1a64:", 0), 0u);
  EXPECT_EQ(doc["plots"][0]["type"], "bode");  // a default panel per test
  EXPECT_EQ(plan.point_label(1), "s 3.1622776601683795 Hz");
}

// Points are independent: any order, any thread, same document (what lets the CLI and the browser parallelize).
TEST(PlanRunner, ResultsDoNotDependOnTheOrderPointsRunIn) {
  const Plan plan = compile_plan(
      msd_plan_head() +
      "tests:\n"
      "  - { name: lin, type: linearized_frf, enabled: false, frequencies: [2, 5] }\n"
      "  - { name: s, type: discrete_frequency_sweep, frequencies: [2, 5, 8] }\n"
      "  - { name: rnd, type: stochastic_excitation, duration: 10, dt_sig: 0.01, signal: { psd_profile: { breakpoints: [[1, 1], [20, 1]] } } }\n"
      "  - { name: doe, type: doe_sweep, design: sobol, n_samples: 4, params: { mass.body.k: { min: 500, max: 2000 } }, sub_test: lin }\n");
  EXPECT_EQ(plan.point_count(), 3 + 1 + 4);
  std::vector<std::string> forward(static_cast<std::size_t>(plan.point_count())), shuffled(forward.size());
  for (int i = 0; i < plan.point_count(); ++i) forward[static_cast<std::size_t>(i)] = plan.run_point(i);
  std::vector<int> order(forward.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(order.size() - 1 - i);
  for (int i : order) shuffled[static_cast<std::size_t>(i)] = plan.run_point(i);
  EXPECT_EQ(plan.merge(forward), plan.merge(shuffled));
  EXPECT_THROW(plan.merge({}), std::invalid_argument);
}

TEST(PlanRunner, AFailedSolveFailsItsPointOnly) {
  const ojson doc =
      run_plan(msd_plan_head("{ method: Tsit5, max_steps: 200 }") +
               "tests:\n  - { name: s, type: discrete_frequency_sweep, frequencies: [1, 40], settle_periods: 2 }\n");
  const ojson& r = test_result(doc, "s");
  EXPECT_EQ(r["status"], "partial");
  ASSERT_EQ(r["messages"].size(), 1u);
  // 1 Hz needs 7 s of simulation, more than 200 steps; 40 Hz needs 0.18 s.
  EXPECT_NE(r["messages"][0].get<std::string>().find("1 Hz: max_steps (200) reached"), std::string::npos)
      << r["messages"];
  EXPECT_TRUE(r["tables"]["frf"]["data"][1][0].is_null());    // 1 Hz: no magnitude
  EXPECT_TRUE(r["tables"]["frf"]["data"][1][1].is_number());  // 40 Hz is there
  // The settings echoed from the points come from one that has them: the first point failed and carries only its
  // error. (Reading them from it was undefined behaviour, which wrote `"amplitude":,` in the browser.)
  EXPECT_EQ(r["amplitude"], 1.0);
  EXPECT_EQ(r["dc_offset"], 0.0);
}

TEST(PlanRunner, PointsThatAllFailMergeIntoValidJsonWithNulls) {
  const Plan plan =
      compile_plan(msd_plan_head() +
                   "tests:\n"
                   "  - { name: s, type: discrete_frequency_sweep, frequencies: [1, 2] }\n"
                   "  - { name: a, type: amplitude_sweep, frequency: 5, amplitudes: [1, 2] }\n"
                   "  - { name: h, type: harmonic_distortion_sweep, frequencies: [1, 2] }\n"
                   "  - { name: d, type: dc_operating_point_sweep, dc_values: [0, 1], probe_frequency: 2 }\n");
  // What a worker that failed sends for each of its points.
  const std::vector<std::string> points(static_cast<std::size_t>(plan.point_count()),
                                        R"({"error": "the worker failed"})");
  const ojson doc = ojson::parse(plan.merge(points));  // throws on invalid JSON
  for (const char* name : {"s", "a", "h", "d"}) {
    const ojson& r = test_result(doc, name);
    EXPECT_EQ(r["status"], "failed") << name;
  }
  EXPECT_TRUE(test_result(doc, "s")["amplitude"].is_null());
  EXPECT_TRUE(test_result(doc, "a")["frequency"].is_null());
  EXPECT_TRUE(test_result(doc, "d")["probe_amplitude"].is_null());
}

TEST(PlanResults, CsvOfAHostileResultsDocumentIsAnErrorNotACrash) {
  // The browser hands results documents back to the core for CSV export; one without the expected keys is an error.
  EXPECT_THROW(results_csv(R"({"tests": [{"tables": {"t": {"rows": 3}}}]})"), std::exception);
  EXPECT_THROW(results_csv(R"({"tests": [{"name": "x", "tables": {"t": {"columns": ["a"]}}}]})"), std::exception);
  EXPECT_THROW(results_csv(R"({"tests": 3})"), std::exception);
}

TEST(PlanRunner, SeedOverrideChangesRandomSignalsOnly) {
  const std::string text =
      msd_plan_head() +
      "tests:\n  - { name: rnd, type: stochastic_excitation, duration: 10, dt_sig: 0.01, signal: { psd_profile: { breakpoints: [[1, 1], [20, 1]] } } }\n";
  const ojson a = run_plan(Plan::compile(text, "models/plans/t.yaml", repo_loader(), 1));
  const ojson b = run_plan(Plan::compile(text, "models/plans/t.yaml", repo_loader(), 2));
  EXPECT_EQ(a["seed"], 1);
  EXPECT_NE(test_result(a, "rnd")["metrics"]["input_rms"], test_result(b, "rnd")["metrics"]["input_rms"]);
}

TEST(PlanResults, CsvPerTableWithFamiliesInLongForm) {
  const Plan plan = compile_plan(
      msd_plan_head() +
      "tests:\n"
      "  - { name: lin, type: linearized_frf, frequencies: [1, 2, 5] }\n"
      "  - { name: fam, type: parameter_sweep, sweep_param: mass.body.c, values: [1, 3], sub_test: lin }\n");
  std::vector<std::string> points;
  for (int i = 0; i < plan.point_count(); ++i) points.push_back(plan.run_point(i));
  const auto files = results_csv(plan.merge(points));
  std::vector<std::string> names;
  for (const auto& [name, body] : files) names.push_back(name);
  EXPECT_EQ(names, (std::vector<std::string>{"lin.csv", "lin_poles.csv", "fam.csv", "fam_frf.csv", "fam_poles.csv"}));
  const std::string& frf = files[3].second;
  EXPECT_EQ(frf.substr(0, frf.find('\n')), "mass.body.c,frequency,magnitude,magnitude_db,phase_deg,real,imag");
  EXPECT_EQ(std::count(frf.begin(), frf.end(), '\n'), 1 + 2 * 3);
  EXPECT_EQ(frf.substr(frf.find('\n') + 1, 4), "1,1,");
}

TEST(PlanFile, CheckPlanListsEveryProblemAndNeverThrows) {
  const auto diagnostics = check_plan(msd_plan_head() +
                                          "tests:\n  - { name: a, type: linearized_frf, frequencies: [1], bogus: 1 }\n"
                                          "  - { name: b, type: free_decay }\nplots: 3\n",
                                      "models/plans/t.yaml", repo_loader());
  EXPECT_GE(diagnostics.size(), 3u);
  EXPECT_TRUE(check_plan("{", "x.yaml", repo_loader()).size() == 1);
  EXPECT_TRUE(check_plan(msd_plan_head() + kSimple, "models/plans/t.yaml", repo_loader()).empty());
}

}  // namespace
}  // namespace numen::test

namespace numen::characterize {
namespace {

// The schema's list of test types and the constructors in the core are the same set: a type added to one
// without the other would be accepted by the editor and rejected (or ignored) by the core.
TEST(PlanSchema, EveryTestTypeHasAConstructorAndEveryConstructorAType) {
  const auto schema = nlohmann::json::parse(plan_schema_json());
  std::set<std::string> in_schema;
  for (const auto& t : schema["$defs"]["test"]["properties"]["type"]["enum"]) in_schema.insert(t.get<std::string>());
  std::set<std::string> in_core;
  for (const TestMakers* group : {&frequency_tests(), &transient_tests(), &stochastic_tests(), &sweep_tests()})
    for (const auto& [name, make] : *group) EXPECT_TRUE(in_core.insert(name).second) << name << " twice";
  EXPECT_EQ(in_schema, in_core);
  EXPECT_EQ(in_core.size(), 13u);
}

}  // namespace
}  // namespace numen::characterize
