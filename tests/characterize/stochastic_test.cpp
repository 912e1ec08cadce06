// Random and multisine excitation: Welch spectra and the best linear approximation of a linear model.
#include <cmath>

#include "characterize/plan_support.h"

namespace numen::test {
namespace {

std::string random_plan(const std::string& signal, const std::string& extra = "") {
  return msd_plan_head("{ method: Tsit5, rtol: 1e-8, atol: 1e-11 }") +
         "tests:\n  - { name: rnd, type: stochastic_excitation, duration: 100, dt_sig: 0.005, n_welch_segments: 16, "
         "signal: " +
         signal + extra + " }\n";
}

// A noise-free linear model: coherence 1, and H1 equals the FRF wherever the Welch resolution (1/12 Hz) is fine
// compared with the FRF's variation: away from the resonance, whose half-power band is only 0.3 Hz wide.
TEST(Stochastic, BestLinearApproximationOfALinearModelIsItsFrf) {
  const ojson doc = run_plan(random_plan("{ psd_profile: { breakpoints: [[0.5, 1.0], [40, 1.0]] } }"));
  const ojson& r = test_result(doc, "rnd");
  ASSERT_EQ(r["status"], "ok") << r["messages"];
  EXPECT_GT(r["metrics"]["mean_coherence"].get<double>(), 0.995);
  const auto f = column(r, "frf", "frequency");
  const auto h = frf(r);
  int checked = 0;
  for (std::size_t i = 0; i < f.size(); ++i) {
    if (f[i] < 1 || f[i] > 35 || (f[i] > 3 && f[i] < 8)) continue;
    EXPECT_NEAR(std::abs(h[i]) / std::abs(msd_frf(f[i])), 1.0, 0.03) << f[i];
    ++checked;
  }
  EXPECT_GT(checked, 300);
  // The drive's RMS is the root of the PSD's integral (39.5 N^2), within the statistics of 90 s of it.
  EXPECT_NEAR(r["metrics"]["input_rms"].get<double>(), std::sqrt(39.5), 0.05 * std::sqrt(39.5));
  EXPECT_GT(r["metrics"]["input_crest_factor"].get<double>(), 3.0);  // Gaussian: peaks of 3-5 sigma
}

TEST(Stochastic, SameSeedSameResultDifferentSeedDifferentSignal) {
  const std::string psd = "{ psd_profile: { breakpoints: [[1, 0.5], [20, 0.5]] } }";
  const ojson a = run_plan(random_plan(psd, ", seed: 3"));
  const ojson b = run_plan(random_plan(psd, ", seed: 3"));
  const ojson c = run_plan(random_plan(psd, ", seed: 4"));
  EXPECT_EQ(test_result(a, "rnd")["tables"], test_result(b, "rnd")["tables"]);
  EXPECT_NE(test_result(a, "rnd")["metrics"]["input_rms"], test_result(c, "rnd")["metrics"]["input_rms"]);
}

// g_rms profiles are in g^2/Hz; target_grms rescales the whole profile to that RMS (in g, 9.80665 m/s^2).
TEST(Stochastic, ScalesAGProfileToItsTargetRms) {
  const ojson doc = run_plan(random_plan(
      "{ psd_profile: { breakpoints: [[2, 0.01], [10, 0.04], [30, 0.01]], units: g_rms, target_grms: 0.5 } }"));
  const double rms = test_result(doc, "rnd")["metrics"]["input_rms"].get<double>();
  EXPECT_NEAR(rms / (0.5 * 9.80665), 1.0, 0.05);
}

// A Schroeder multisine covering whole records is deterministic and periodic: exact RMS, low crest factor.
TEST(Stochastic, MultisineHasTheRequestedRmsAndALowCrestFactor) {
  const ojson doc = run_plan(
      random_plan("{ multisine: { f_start: 1, f_end: 20, n_lines: 40, rms: 2.0 } }", ", transient_fraction: 0"));
  const ojson& r = test_result(doc, "rnd");
  EXPECT_NEAR(r["metrics"]["input_rms"].get<double>(), 2.0, 1e-9);
  EXPECT_LT(r["metrics"]["input_crest_factor"].get<double>(), 2.0);
}

// Files through the plan's loader: a PSD file reproduces the same profile given inline (same seed, same signal),
// and a recorded time series drives the model as written.
TEST(Stochastic, ReadsPsdAndTimeSeriesFiles) {
  const std::string head = msd_plan_head("{ method: Tsit5, rtol: 1e-8, atol: 1e-11 }") + "tests:\n";
  const std::string inline_psd =
      head +
      "  - { name: rnd, type: stochastic_excitation, duration: 20, dt_sig: 0.01, signal: { psd_profile: { breakpoints: [[1, 2], [10, 3], [40, 1]] } } }\n";
  const std::string from_file =
      head +
      "  - { name: rnd, type: stochastic_excitation, duration: 20, dt_sig: 0.01, signal: { psd_file: { path: profile.csv } } }\n";
  std::string series = "time,force\n";
  for (int k = 0; k <= 2000; ++k)
    series += std::to_string(k * 0.01) + "," + std::to_string(3.0 * std::sin(2 * M_PI * 2.0 * k * 0.01)) + "\n";
  const std::string from_series =
      head +
      "  - { name: rnd, type: stochastic_excitation, duration: 20, dt_sig: 0.01, transient_fraction: 0.5, "
      "n_welch_segments: 1, signal: { time_series_file: { path: drive.csv } } }\n";
  const PlanFileLoader load = [&](const std::string& path) -> std::string {
    if (path == "profile.csv") return "# frequency, psd\nfrequency,psd\n1,2\n10,3\n40,1\n";
    if (path == "drive.csv") return series;
    return repo_loader()(path);
  };
  auto run = [&](const std::string& text) { return run_plan(Plan::compile(text, "models/plans/t.yaml", load)); };
  EXPECT_EQ(test_result(run(inline_psd), "rnd")["tables"], test_result(run(from_file), "rnd")["tables"]);
  const ojson r = test_result(run(from_series), "rnd");
  EXPECT_NEAR(r["metrics"]["input_rms"].get<double>(), 3.0 / std::sqrt(2.0), 1e-3);
  // Steady state after 10 s: a 2 Hz sine of amplitude 3 N moves the mass by 3 |H(2 Hz)|.
  EXPECT_NEAR(r["metrics"]["response_rms"].get<double>() / (3.0 * std::abs(msd_frf(2.0)) / std::sqrt(2.0)), 1.0, 0.01);

  try {
    Plan::compile(
        head +
            "  - { name: rnd, type: stochastic_excitation, duration: 30, dt_sig: 0.01, signal: { time_series_file: { path: drive.csv } } }\n",
        "t.yaml", load);
    ADD_FAILURE() << "a 20 s recording cannot drive a 30 s test";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("covers 20 s"), std::string::npos) << e.what();
  }
}

TEST(Stochastic, RejectsABandAboveTheSignalsNyquistFrequency) {
  const Diagnostic d = plan_error(msd_plan_head() +
                                  "tests:\n  - { name: rnd, type: stochastic_excitation, duration: 10, dt_sig: 0.05, "
                                  "signal: { psd_profile: { breakpoints: [[1, 1], [40, 1]] } } }\n");
  EXPECT_NE(d.message.find("Nyquist"), std::string::npos) << d.message;
  EXPECT_EQ(d.pos.line, 5);  // the test's line (the plan head is four lines)
}

}  // namespace
}  // namespace numen::test
