// Sweeps: families over parameters, grids, designs of experiments; swept excitation settings reach the sub-test.
#include <cmath>
#include <set>

#include "characterize/plan_support.h"

namespace numen::test {
namespace {

double msd_peak_hz(double k, double c, double m = 1.0) {
  const double zeta = c / (2 * std::sqrt(k * m));
  return std::sqrt(k / m) * std::sqrt(1 - 2 * zeta * zeta) / (2 * M_PI);
}

const char* kLinearized =
    "  - { name: lin, type: linearized_frf, enabled: false, frequencies: { f_start: 1, f_end: 20, n_points: 50 } }\n";

TEST(ParameterSweep, EachMemberRunsWithItsValue) {
  const ojson doc = run_plan(
      msd_plan_head() + "tests:\n" + kLinearized +
      "  - { name: stiffness, type: parameter_sweep, sweep_param: mass.body.k, values: [250, 1000, 4000], sub_test: lin }\n");
  ASSERT_EQ(doc["tests"].size(), 1u);  // the disabled sub-test does not run on its own
  const ojson& r = test_result(doc, "stiffness");
  ASSERT_EQ(r["family"].size(), 3u);
  const auto k = column(r, "metrics", "mass.body.k"), f0 = column(r, "metrics", "f0");
  for (std::size_t i = 0; i < 3; ++i) EXPECT_NEAR(f0[i], msd_peak_hz(k[i], 2.0), 1e-6) << k[i];
  EXPECT_EQ(r["family"][1]["values"]["mass.body.k"], 1000.0);
}

// Swept values and the model's `set:` are read like model-file values (numen::read_setting): expressions, and the
// field's own unit. They used to be plain numbers only, a second rule beside the model reader's.
TEST(ParameterSweep, ValuesAreReadLikeModelFileValues) {
  const std::string head =
      "model: { file: ../linear_msd.yaml, set: { mass.body.c: \"1 + 1 N*s/m\" } }\n"
      "solver: { method: Tsit5, rtol: 1e-9, atol: 1e-12 }\n"
      "excitation: { entity: mass, component: body, port: force, output: mass.body.x }\n";
  const ojson doc = run_plan(head + "tests:\n" + kLinearized +
                             "  - { name: stiffness, type: parameter_sweep, sweep_param: mass.body.k, "
                             "values: [250, \"2 * 500 N/m\", 4e3], sub_test: lin }\n");
  const ojson& r = test_result(doc, "stiffness");
  ASSERT_EQ(r["family"].size(), 3u);
  EXPECT_EQ(r["family"][1]["values"]["mass.body.k"], 1000.0);
  const auto f0 = column(r, "metrics", "f0");
  EXPECT_NEAR(f0[1], msd_peak_hz(1000, 2.0), 1e-6);

  Diagnostic d = plan_error(
      head + "tests:\n" + kLinearized +
      "  - { name: s, type: parameter_sweep, sweep_param: mass.body.k, values: [1, \"2 N/m * 3\"], sub_test: lin }\n");
  EXPECT_EQ(d.pos.line, 6);
  EXPECT_EQ(d.pos.column, 86);
  EXPECT_NE(d.message.find("expected a unit name, found `3`"), std::string::npos) << d.message;
  d = plan_error(
      head + "tests:\n" + kLinearized +
      "  - { name: s, type: parameter_sweep, sweep_param: mass.body.k, values: [\"1 kN*m\"], sub_test: lin }\n");
  EXPECT_NE(d.message.find("but the field is in `N/m`"), std::string::npos) << d.message;
  EXPECT_NE(d.message.find("did you mean `kN/m`?"), std::string::npos) << d.message;
  // A value in another unit of the field's dimension is converted: 2 kN/m is 2000 N/m.
  const ojson converted = run_plan(head + "tests:\n" + kLinearized +
                                   "  - { name: stiffness, type: parameter_sweep, sweep_param: mass.body.k, "
                                   "values: [\"2 kN/m\", \"20 N/mm\"], sub_test: lin }\n");
  const ojson& c = test_result(converted, "stiffness");
  EXPECT_EQ(c["family"][0]["values"]["mass.body.k"], 2000.0);
  EXPECT_EQ(c["family"][1]["values"]["mass.body.k"], 20000.0);
  EXPECT_NEAR(column(c, "metrics", "f0")[0], msd_peak_hz(2000, 2.0), 1e-6);
}

// The original's sub-tests overwrote a swept excitation.amplitude with their own. Here the swept value wins: the
// nonlinear oscillator's gain at resonance must differ between the members.
TEST(ParameterSweep, SweptExcitationSettingsReachTheSubTest) {
  const ojson doc = run_plan(
      "model: { file: ../nonlinear_oscillator.yaml, set: { osc.oscillator.x: 0 } }\n"
      "solver: { method: Tsit5, rtol: 1e-9, atol: 1e-12 }\n"
      "excitation: { entity: osc, component: oscillator, port: force, output: osc.oscillator.x }\n"
      "tests:\n"
      "  - { name: sine, type: discrete_frequency_sweep, enabled: false, frequencies: [1.0], amplitude: 0.01 }\n"
      "  - { name: chirp, type: continuous_chirp, enabled: false, f_start: 0.5, f_end: 2, duration: 20, amplitude: 0.01 }\n"
      "  - { name: by_amplitude, type: parameter_sweep, sweep_param: excitation.amplitude, values: [0.01, 0.5], sub_test: sine }\n"
      "  - { name: by_dc, type: parameter_sweep, sweep_param: excitation.dc_offset, values: [0, 20], sub_test: chirp }\n");
  const ojson& amp = test_result(doc, "by_amplitude");
  EXPECT_EQ(amp["family"][0]["result"]["amplitude"], 0.01);
  EXPECT_EQ(amp["family"][1]["result"]["amplitude"], 0.5);
  const auto gain = column(amp, "metrics", "peak_gain");
  EXPECT_LT(gain[1], 0.6 * gain[0]);
  // A DC force of 20 moves the oscillator to x = 20 / w^2 = 0.507, where c1 x^2 = 0.51 damps it 6x more.
  const ojson& dc = test_result(doc, "by_dc");
  const auto y0 = column(dc["family"][1]["result"], "timeseries", "response");
  EXPECT_NEAR(y0.front(), 20.0 / (4 * M_PI * M_PI), 1e-9);
  const auto peak = column(dc, "metrics", "peak_gain");
  EXPECT_LT(peak[1], 0.3 * peak[0]);
}

TEST(ParameterSweep, RejectsSweepingWhatTheSubTestDoesNotUse) {
  const Diagnostic d = plan_error(
      msd_plan_head() + "tests:\n" + kLinearized +
      "  - { name: s, type: parameter_sweep, sweep_param: excitation.frequency, values: [1, 2], sub_test: lin }\n");
  EXPECT_NE(d.message.find("has no effect on test `lin`"), std::string::npos) << d.message;
  EXPECT_EQ(d.pos.line, 6);
}

TEST(ParameterSweep, RejectsUnknownKeysWithTheValidOnes) {
  const Diagnostic d =
      plan_error(msd_plan_head() + "tests:\n" + kLinearized +
                 "  - { name: s, type: parameter_sweep, sweep_param: mass.body.kk, values: [1, 2], sub_test: lin }\n");
  EXPECT_NE(d.message.find("did you mean `mass.body.k`"), std::string::npos) << d.message;
  EXPECT_NE(d.message.find("excitation.dc_offset"), std::string::npos) << d.message;  // the list of sweepable keys
  EXPECT_EQ(d.pos.line, 6);
  EXPECT_EQ(d.pos.column, 52);  // the key itself
}

TEST(ParameterSweep, RejectsMissingCyclicAndDoublySweptSubTests) {
  const std::string head = msd_plan_head() + "tests:\n" + kLinearized;
  EXPECT_NE(
      plan_error(head +
                 "  - { name: s, type: parameter_sweep, sweep_param: mass.body.k, values: [1], sub_test: lin2 }\n")
          .message.find("no test named `lin2` (did you mean `lin`?)"),
      std::string::npos);
  EXPECT_NE(
      plan_error(head + "  - { name: a, type: parameter_sweep, sweep_param: mass.body.k, values: [1], sub_test: b }\n"
                        "  - { name: b, type: parameter_sweep, sweep_param: mass.body.c, values: [1], sub_test: a }\n")
          .message.find("cycle"),
      std::string::npos);
  EXPECT_NE(
      plan_error(head + "  - { name: a, type: parameter_sweep, sweep_param: mass.body.k, values: [1], sub_test: lin }\n"
                        "  - { name: b, type: parameter_sweep, sweep_param: mass.body.k, values: [1], sub_test: a }\n")
          .message.find("swept by `b` and again inside `a`"),
      std::string::npos);
}

TEST(ParameterGrid, FullFactorialAndPairsAndNesting) {
  const std::string head = msd_plan_head() + "tests:\n" + kLinearized;
  const ojson full = run_plan(
      head +
      "  - { name: g, type: parameter_grid, params: { mass.body.k: [500, 1000, 2000], mass.body.c: [1, 4] }, sub_test: lin }\n");
  const ojson& g = test_result(full, "g");
  ASSERT_EQ(g["family"].size(), 6u);
  const auto k = column(g, "metrics", "mass.body.k"), c = column(g, "metrics", "mass.body.c"),
             f0 = column(g, "metrics", "f0");
  std::set<std::pair<double, double>> combos;
  for (std::size_t i = 0; i < 6; ++i) {
    combos.insert({k[i], c[i]});
    EXPECT_NEAR(f0[i], msd_peak_hz(k[i], c[i]), 1e-6);
  }
  EXPECT_EQ(combos.size(), 6u);

  const ojson pairs = run_plan(
      head +
      "  - { name: g, type: parameter_grid, mode: pairs, params: { mass.body.k: [500, 2000], mass.body.c: [1, 4] }, sub_test: lin }\n");
  EXPECT_EQ(test_result(pairs, "g")["family"].size(), 2u);
  EXPECT_NE(
      plan_error(
          head +
          "  - { name: g, type: parameter_grid, mode: pairs, params: { mass.body.k: [500, 2000], mass.body.c: [1] }, sub_test: lin }\n")
          .message.find("equal length"),
      std::string::npos);

  // A sweep of a sweep: 2 x 3 members, each the linearization at its (m, k).
  const ojson nested = run_plan(
      head +
      "  - { name: inner, type: parameter_sweep, enabled: false, sweep_param: mass.body.k, values: [500, 1000, 2000], sub_test: lin }\n"
      "  - { name: outer, type: parameter_sweep, sweep_param: mass.body.m, values: [1, 4], sub_test: inner }\n");
  const ojson& outer = test_result(nested, "outer");
  ASSERT_EQ(outer["family"].size(), 2u);
  EXPECT_EQ(outer["family"][1]["result"]["family"].size(), 3u);
  const double f = outer["family"][1]["result"]["family"][2]["result"]["metrics"]["f0"].get<double>();
  EXPECT_NEAR(f, msd_peak_hz(2000, 2.0, 4.0), 1e-6);
}

TEST(DoeSweep, TabulatesTheChosenMetricsOverTheDesign) {
  const ojson doc =
      run_plan(msd_plan_head() + "tests:\n" + kLinearized +
               "  - name: doe\n"
               "    type: doe_sweep\n"
               "    design: latin_hypercube\n"
               "    n_samples: 12\n"
               "    seed: 5\n"
               "    params: { mass.body.k: { min: 200, max: 5000, scale: log }, mass.body.c: { min: 1, max: 6 } }\n"
               "    sub_test: lin\n"
               "    outputs: [f0, q]\n");
  const ojson& r = test_result(doc, "doe");
  const auto k = column(r, "design", "mass.body.k"), c = column(r, "design", "mass.body.c"),
             f0 = column(r, "design", "f0");
  ASSERT_EQ(k.size(), 12u);
  EXPECT_EQ(r["tables"]["design"]["columns"].size(), 4u);
  // Latin hypercube in log k: every twelfth of [log 200, log 5000] holds one point.
  std::set<int> strata;
  for (std::size_t i = 0; i < 12; ++i) {
    EXPECT_NEAR(f0[i], msd_peak_hz(k[i], c[i]), 1e-6);
    strata.insert(static_cast<int>(12 * std::log(k[i] / 200) / std::log(5000.0 / 200)));
    EXPECT_GE(c[i], 1.0);
    EXPECT_LE(c[i], 6.0);
  }
  EXPECT_EQ(strata.size(), 12u);
}

TEST(DoeSweep, StructuredDesignsAndErrors) {
  const std::string head = msd_plan_head() + "tests:\n" + kLinearized;
  const std::string params =
      "params: { mass.body.k: { min: 500, max: 2000 }, mass.body.c: { min: 1, max: 3 }, mass.body.m: { min: 0.5, max: 2 } }";
  EXPECT_EQ(test_result(run_plan(head + "  - { name: d, type: doe_sweep, design: central_composite, " + params +
                                 ", sub_test: lin }\n"),
                        "d")["family"]
                .size(),
            8u + 6u + 1u);
  EXPECT_EQ(test_result(run_plan(head + "  - { name: d, type: doe_sweep, design: box_behnken, center_points: 2, " +
                                 params + ", sub_test: lin }\n"),
                        "d")["family"]
                .size(),
            12u + 2u);
  EXPECT_NE(plan_error(head + "  - { name: d, type: doe_sweep, " + params + ", sub_test: lin, outputs: [f00] }\n")
                .message.find("did you mean `f0`"),
            std::string::npos);
  EXPECT_NE(
      plan_error(
          head +
          "  - { name: d, type: doe_sweep, params: { mass.body.k: { min: 0, max: 1, scale: log } }, sub_test: lin }\n")
          .message.find("log scale needs min > 0"),
      std::string::npos);
  EXPECT_NE(
      plan_error(
          head +
          "  - { name: d, type: doe_sweep, design: box_behnken, params: { mass.body.k: { min: 1, max: 2 } }, sub_test: lin }\n")
          .message.find("box_behnken"),
      std::string::npos);
}

}  // namespace
}  // namespace numen::test
