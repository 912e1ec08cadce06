// Index-1 DAEs: consistent initialization and every mass-matrix method against a known solution.
#include <gtest/gtest.h>

#include <cmath>

#include "numen/solve.h"
#include "solve/problems.h"

namespace numen {
namespace {

class DaeMethods : public ::testing::TestWithParam<const char*> {};

TEST_P(DaeMethods, FollowTheKnownSolution) {
  test::KnownDae p;
  SolveOptions o;
  o.method = GetParam();
  o.t1 = 5.0;
  o.rtol = 1e-8;
  o.atol = {1e-10};
  // Every step is saved: the method's own values, not interpolants (whose order is lower for some methods).
  // z(0) = 0.7 is inconsistent (sin 0 = 0): the solve must correct it before stepping.
  const Solution s = solve(p, {0.0, 0.7}, o);
  ASSERT_TRUE(s.ok()) << s.message;
  EXPECT_NEAR(s.state(1, 0), 0.0, 1e-10) << "initialized algebraic value";
  double worst_x = 0, worst_z = 0;
  for (std::size_t k = 0; k < s.size(); ++k) {
    worst_x = std::max(worst_x, std::fabs(s.state(0, k) - test::KnownDae::x(s.t[k])));
    worst_z = std::max(worst_z, std::fabs(s.state(1, k) - std::sin(s.t[k])));
  }
  // rtol 1e-8 on values of order 1; global errors of the lower-order methods accumulate to about 100 times that.
  EXPECT_LT(worst_x, 1e-6) << GetParam();
  EXPECT_LT(worst_z, 1e-6) << GetParam();
  // Interpolated output is usable too (its accuracy is the interpolant's: linear for algebraic variables in some
  // methods).
  o.n_save_points = 51;
  const Solution grid = solve(p, {0.0, 0.7}, o);
  for (std::size_t k = 0; k < grid.size(); ++k) EXPECT_NEAR(grid.state(1, k), std::sin(grid.t[k]), 1e-4) << GetParam();
}

INSTANTIATE_TEST_SUITE_P(MassMatrixMethods, DaeMethods,
                         ::testing::Values("Rodas5P", "Rodas4", "Rosenbrock23", "BDF", "TRBDF2", "KenCarp4",
                                           "RadauIIA5", "Auto"));

TEST(DaeInit, InconsistentValuesAreReportedWhenNotToBeComputed) {
  test::KnownDae p;
  SolveOptions o;
  o.method = "Rodas5P";
  o.initialize_algebraic = false;
  const Solution s = solve(p, {0.0, 0.7}, o);
  EXPECT_EQ(s.status, SolveStatus::InitFailure);
  EXPECT_NE(s.message.find("inconsistent initial values"), std::string::npos) << s.message;
  EXPECT_NE(s.message.find("x[1]"), std::string::npos) << s.message;
  const Solution fine = solve(p, {0.0, 0.0}, o);
  EXPECT_TRUE(fine.ok()) << fine.message;
}

TEST(DaeInit, ExplicitMethodsRefuseDaesNamingOnesThatCan) {
  test::KnownDae p;
  SolveOptions o;
  o.method = "Tsit5";
  try {
    solve(p, {0.0, 0.0}, o);
    FAIL();
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("cannot solve a model with algebraic variables"), std::string::npos) << what;
    EXPECT_NE(what.find("Rodas5P"), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace numen
