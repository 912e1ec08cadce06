// Time-domain tests: chirp FRF, free decay (backbone), phase portraits, against analytic results.
#include <cmath>

#include "characterize/plan_support.h"

namespace numen::test {
namespace {

// The record holds the whole response (from rest, then a tail until it dies out), so Y/U is exact up to the
// solver's error and the tail's e^-7 leftover (~1e-3 of the resonant response). Spec: 1 % near resonance.
TEST(Chirp, MatchesTheAnalyticFrfOfALinearMassSpringDamper) {
  for (const char* law : {"log", "linear"}) {
    const ojson doc = run_plan(msd_plan_head() +
                               "tests:\n  - { name: chirp, type: continuous_chirp, f_start: 0.5, "
                               "f_end: 30, duration: 40, chirp_type: " +
                               law + " }\n");
    const ojson& r = test_result(doc, "chirp");
    ASSERT_EQ(r["status"], "ok") << r["messages"];
    const auto f = column(r, "frf", "frequency");
    const auto h = frf(r);
    double worst_near = 0, worst = 0;
    for (std::size_t i = 0; i < f.size(); ++i) {
      if (f[i] < 1 || f[i] > 25) continue;  // away from the sweep's ends, where the chirp's spectrum rolls off
      const double e = std::abs(std::abs(h[i]) / std::abs(msd_frf(f[i])) - 1.0);
      worst = std::max(worst, e);
      if (f[i] > 4 && f[i] < 6) worst_near = std::max(worst_near, e);
    }
    EXPECT_LT(worst_near, 0.01) << law;
    EXPECT_LT(worst, 0.01) << law;
    EXPECT_NEAR(r["metrics"]["f0"].get<double>(), 5.0279, 0.05) << law;  // the bin spacing is 1/(40 s + tail)
  }
}

// The original applied the chirp's DC offset twice. Here the drive is dc + a sin(phi): the operating point moves
// by dc / k exactly once, and the FRF (of the deviations) does not change.
TEST(Chirp, AppliesTheDcOffsetOnce) {
  const ojson doc = run_plan(msd_plan_head() +
                             "tests:\n  - { name: chirp, type: continuous_chirp, f_start: 1, "
                             "f_end: 20, duration: 20, dc_offset: 50 }\n");
  const ojson& r = test_result(doc, "chirp");
  const auto u = column(r, "timeseries", "input"), y = column(r, "timeseries", "response");
  EXPECT_NEAR(u.front(), 50.0, 1e-12);
  EXPECT_NEAR(y.front(), 50.0 / 1000.0, 1e-12);  // starts at its operating point
  EXPECT_NEAR(y.back(), 50.0 / 1000.0, 1e-5);    // and returns to it
  const auto f = column(r, "frf", "frequency");
  const auto h = frf(r);
  for (std::size_t i = 0; i < f.size(); ++i) {
    if (f[i] > 2 && f[i] < 15) {
      EXPECT_NEAR(std::abs(h[i]) / std::abs(msd_frf(f[i])), 1.0, 0.01) << f[i];
    }
  }
}

// Free decay of a linear oscillator: successive peaks shrink by e^(2 pi zeta / sqrt(1 - zeta^2)) and come every
// 1 / f_d, whatever the amplitude: the backbone is flat at zeta and f_d.
TEST(FreeDecay, RecoversDampingAndFrequencyOfALinearOscillator) {
  const ojson doc = run_plan(msd_plan_head() +
                             "tests:\n  - { name: decay, type: free_decay, initial_displacement: 0.01, "
                             "t_end: 5 }\n");
  const ojson& r = test_result(doc, "decay");
  ASSERT_EQ(r["status"], "ok") << r["messages"];
  const double zeta = 1.0 / std::sqrt(1000.0), fd = std::sqrt(1000.0) * std::sqrt(1 - zeta * zeta) / (2 * M_PI);
  const auto damping = column(r, "backbone", "damping_ratio"), freq = column(r, "backbone", "frequency");
  ASSERT_GT(damping.size(), 10u);
  for (std::size_t i = 0; i < damping.size(); ++i) {
    EXPECT_NEAR(damping[i] / zeta, 1.0, 1e-4) << i;
    EXPECT_NEAR(freq[i] / fd, 1.0, 1e-5) << i;
  }
  // The Hilbert envelope follows 0.01 e^(-zeta wn t) (within the record, away from its ends).
  const auto t = column(r, "decay", "time"), env = column(r, "decay", "envelope");
  const double wn = std::sqrt(1000.0);
  for (std::size_t i = t.size() / 4; i < 3 * t.size() / 4; i += 50)
    EXPECT_NEAR(env[i] / (0.01 / std::sqrt(1 - zeta * zeta) * std::exp(-zeta * wn * t[i])), 1.0, 0.02) << t[i];
}

// The nonlinear oscillator's damping c0 + c1 x^2 averages to c0 + c1 A^2 / 4 over a cycle of amplitude A.
TEST(FreeDecay, TracesTheAmplitudeDependentDampingOfTheNonlinearOscillator) {
  const ojson doc = run_plan(
      "model: { file: ../nonlinear_oscillator.yaml, set: { osc.oscillator.x: 0 } }\n"
      "solver: { method: Tsit5, rtol: 1e-10, atol: 1e-13 }\n"
      "excitation: { entity: osc, component: oscillator, port: force, output: osc.oscillator.x }\n"
      "tests:\n  - { name: decay, type: free_decay, initial_displacement: 1.0, t_end: 60 }\n");
  const ojson& r = test_result(doc, "decay");
  const auto amplitude = column(r, "backbone", "amplitude"), damping = column(r, "backbone", "damping_ratio");
  ASSERT_GT(amplitude.size(), 30u);
  for (std::size_t i = 1; i < damping.size(); ++i) EXPECT_LT(amplitude[i], amplitude[i - 1]);
  const double w = 2 * M_PI;
  for (std::size_t i = 0; i < damping.size(); i += 5) {
    const double expected = (0.1 + 2.0 * amplitude[i] * amplitude[i] / 4.0) / (2 * w);
    EXPECT_NEAR(damping[i] / expected, 1.0, 0.03) << "amplitude " << amplitude[i];  // averaging is first order
  }
}

TEST(PhasePortrait, ALinearOscillatorSettlesOnAPeriodOneEllipse) {
  const ojson doc = run_plan(msd_plan_head() +
                             "tests:\n  - { name: pp, type: phase_portrait, frequency: 3, "
                             "amplitude: 10, n_transient_cycles: 5, n_record_cycles: 6 }\n");
  const ojson& r = test_result(doc, "pp");
  ASSERT_EQ(r["status"], "ok") << r["messages"];
  EXPECT_EQ(r["metrics"]["period"], 1);
  EXPECT_LT(r["metrics"]["poincare_spread"].get<double>(), 1e-6);
  const double x = 10 * std::abs(msd_frf(3));
  EXPECT_NEAR(r["metrics"]["x_amplitude"].get<double>() / x, 1.0, 1e-4);
  EXPECT_NEAR(r["metrics"]["y_amplitude"].get<double>() / (x * 2 * M_PI * 3), 1.0, 1e-4);  // v = w x
  EXPECT_EQ(column(r, "poincare", "x").size(), 7u);
}

}  // namespace
}  // namespace numen::test
