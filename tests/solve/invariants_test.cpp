// Linear conservation laws found from the Jacobian (solve/invariants.h): real laws are found and kept, forcings and
// coincidences of the initial values are not laws, and drift is measured in units of the law's tolerance.
#include "solve/invariants.h"

#include <gtest/gtest.h>

#include <cmath>

namespace numen::detail {
namespace {

// A -> B -> C with rates 1 and 2: x' = (-x0, x0 - 2 x1, 2 x1); x0 + x1 + x2 is conserved.
Eigen::MatrixXd chain_jacobian() {
  Eigen::MatrixXd j(3, 3);
  j << -1, 0, 0, 1, -2, 0, 0, 2, 0;
  return j;
}

TEST(InvariantWatch, FindsAReactionChainsMassBalanceAndMeasuresItsDrift) {
  const double x[3] = {1, 0, 0}, f[3] = {-1, 1, 0};
  InvariantWatch w;
  w.find(chain_jacobian(), x, f);
  ASSERT_FALSE(w.empty());
  const std::vector<double> atol = {1e-10};
  const double broken[3] = {0.5, 0.3, 0.2 + 1e-5};  // off by 1e-5 / sqrt(3), tolerance about 1e-6 / sqrt(3)
  EXPECT_EQ(w.drift(broken, atol, 1e-6), 0.0);      // not measured before J at a second point confirms the law
  w.confirm(chain_jacobian());
  EXPECT_LT(w.drift(x, atol, 1e-6), 1e-12);
  const double moved[3] = {0.5, 0.3, 0.2};  // the law holds: no drift
  EXPECT_LT(w.drift(moved, atol, 1e-6), 1e-6);
  EXPECT_NEAR(w.drift(broken, atol, 1e-6), 1e-5 / (3 * 1e-10 + 1e-6 * (0.5 + 0.3 + 0.2 + 1e-5)), 1e-3);
  EXPECT_EQ(w.describe_worst(broken, atol, 1e-6, {"a", "b", "c"}), "0.577 a + 0.577 b + 0.577 c");
}

TEST(InvariantWatch, AConstantForcingIsNotALaw) {
  // x0' = 1, x1' = -x1: J's first row is zero, but c = e0 has c^T f = 1, not 0.
  Eigen::MatrixXd j(2, 2);
  j << 0, 0, 0, -1;
  const double x[2] = {0, 1}, f[2] = {1, -1};
  InvariantWatch w;
  w.find(j, x, f);
  EXPECT_TRUE(w.empty());
}

TEST(InvariantWatch, ALawThatTheJacobianLaterContradictsIsDropped) {
  // x0' = x0, x1' = -x0 + x2^2, x2' = 1. At x = (1, 0, 0), J = [[1, 0, 0], [-1, 0, 0], [0, 0, 0]] has a
  // two-dimensional left null space; in it, x0 + x1 also has c^T f = 0 there (x2 = 0), x2 is a forcing. Once x2
  // has grown, J says x0 + x1 is no law.
  Eigen::MatrixXd j0(3, 3), j1(3, 3);
  j0 << 1, 0, 0, -1, 0, 0, 0, 0, 0;
  j1 << 1, 0, 0, -1, 0, 1, 0, 0, 0;  // at x2 = 0.5: d(x2^2)/dx2 = 1
  const double x[3] = {1, 0, 0}, f[3] = {1, -1, 1};
  InvariantWatch w;
  w.find(j0, x, f);
  ASSERT_FALSE(w.empty());
  w.confirm(j0);
  EXPECT_EQ(w.describe_worst(x, {1e-8}, 1e-6, {"a", "b", "c"}), "0.707 a + 0.707 b");
  EXPECT_FALSE(w.empty());
  w.confirm(j1);
  EXPECT_TRUE(w.empty());
}

}  // namespace
}  // namespace numen::detail
