// Bulirsch-Stoer (Boost.Odeint): accuracy tracks the tolerance on a smooth problem.
#include <gtest/gtest.h>

#include "numen/solve.h"
#include "solve/problems.h"

namespace numen {
namespace {

TEST(BulirschStoer, ReachesTheToleranceOnTheKeplerOrbit) {
  for (double tol : {1e-6, 1e-9, 1e-12}) {
    test::LambdaProblem p = test::kepler();
    SolveOptions o;
    o.method = "BulirschStoer";
    o.t1 = 2 * M_PI;
    o.rtol = tol;
    o.atol = {tol};
    o.n_save_points = 2;
    const Solution s = solve(p, test::kepler_start(), o);
    ASSERT_TRUE(s.ok()) << s.message;
    EXPECT_LT(test::kepler_return_error(s), 100 * tol) << "tol " << tol;
    EXPECT_LT(s.stats.accepted_steps, 200) << "extrapolation takes few large steps";
  }
}

}  // namespace
}  // namespace numen
