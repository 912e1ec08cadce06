// models/oscillator.yaml against its analytic solution (reference-models.md, model 1).
#include <gtest/gtest.h>

#include "support.h"

namespace numen {
namespace {

TEST(OscillatorModel, MatchesTheAnalyticSolution) {
  Model m = test::load_model("oscillator");
  EXPECT_EQ(m.states().size(), 2u);
  SolveOptions o = m.simulate();
  o.rtol = 1e-10;
  o.atol = {1e-12};
  Solution s = solve(m, o);
  ASSERT_TRUE(s.ok()) << s.message;
  ASSERT_EQ(s.size(), 501u);
  const double omega = 2 * M_PI, zeta = 0.05;
  double worst = 0;
  for (std::size_t k = 0; k < s.size(); ++k)
    worst = std::max(worst, std::fabs(s.state(0, k) - test::oscillator_x(s.t[k], omega, zeta)));
  EXPECT_LT(worst, 1e-8);
  // The energy output decays as the damping dissipates it.
  EXPECT_NEAR(s.output(0, 0), 0.5 * omega * omega, 1e-12);
  EXPECT_LT(s.output(0, s.size() - 1), 0.05 * s.output(0, 0));
}

TEST(OscillatorModel, ParametersCanBeChangedPerRun) {
  Model m = test::load_model("oscillator");
  RunSettings settings;
  settings.set = {{"osc.oscillator.zeta", 0.2}, {"osc.oscillator.x", 2.0}};
  SolveOptions o = m.simulate();
  o.rtol = 1e-10;
  o.atol = {1e-12};
  Solution s = solve(m, o, settings);
  ASSERT_TRUE(s.ok());
  EXPECT_NEAR(s.x[s.size() - 1], 2 * test::oscillator_x(5.0, 2 * M_PI, 0.2), 1e-9);
  settings.set = {{"osc.oscillator.zta", 0.2}};
  try {
    solve(m, o, settings);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("did you mean `osc.oscillator.zeta`?"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace numen
