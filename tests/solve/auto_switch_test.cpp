// Auto: non-stiff stretches with Tsit5, stiff ones with a stiff method, and the switches recorded.
#include <gtest/gtest.h>

#include "numen/solve.h"
#include "problems/stiff.h"
#include "solve/problems.h"

namespace numen {
namespace {

TEST(AutoSwitch, NonStiffProblemsStayExplicit) {
  test::LambdaProblem p = test::kepler();
  SolveOptions o;
  o.t1 = 2 * M_PI;
  o.rtol = o.atol[0] = 1e-8;
  const Solution s = solve(p, test::kepler_start(), o);
  EXPECT_EQ(s.method, "Tsit5");
  EXPECT_TRUE(s.method_switches.empty());
  EXPECT_EQ(s.stats.jacobian_evals, 0);
}

TEST(AutoSwitch, StiffStretchesSwitchToTheStiffMethodAndBack) {
  // Van der Pol with mu = 1000: slow stiff drifts alternate with fast non-stiff jumps.
  problems::VanDerPol p;
  SolveOptions o;
  o.t1 = 3000;
  o.rtol = 1e-6;
  o.atol = {1e-6};
  const Solution s = solve(p, p.initial(), o);
  ASSERT_TRUE(s.ok()) << s.message;
  EXPECT_NE(s.method.find("Tsit5"), std::string::npos);
  EXPECT_NE(s.method.find("Rodas5P"), std::string::npos) << s.method;
  ASSERT_GE(s.method_switches.size(), 1u);
  EXPECT_EQ(s.method_switches.front().second, "Rodas5P");
  // The stiff stretches decide the cost: far fewer steps than Tsit5 alone needs (tens of thousands and more).
  o.method = "Tsit5";
  o.max_steps = 200000;
  const Solution explicit_only = solve(p, p.initial(), o);
  EXPECT_LT(s.stats.accepted_steps * 10, explicit_only.stats.accepted_steps);
}

}  // namespace
}  // namespace numen
