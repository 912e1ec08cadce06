// Explicit Runge-Kutta pairs: empirical order, dense output order, accuracy against tolerance.
#include <gtest/gtest.h>

#include <cmath>

#include "numen/solve.h"
#include "solve/problems.h"

namespace numen {
namespace {

// Global error after one period of a Kepler orbit (eccentricity 0.5) taken in n equal steps: a huge atol accepts
// every step and dtmax pins the step size. The orbit returns exactly to its start.
double kepler_error(const std::string& method, int n) {
  const double e = 0.5, period = 2 * M_PI;
  test::LambdaProblem p = test::kepler();
  SolveOptions o;
  o.method = method;
  o.t1 = period;
  o.rtol = 0.5;
  o.atol = {1e6};
  o.dt0 = period / n;
  o.dtmax = period / n;
  o.dt = period / n;
  Solution s = solve(p, {1 - e, 0, 0, std::sqrt((1 + e) / (1 - e))}, o);
  EXPECT_TRUE(s.ok()) << s.message;
  EXPECT_NEAR(s.stats.accepted_steps, n, 1);
  const std::size_t last = s.size() - 1;
  return std::hypot(s.state(0, last) - (1 - e), s.state(1, last));
}

struct OrderCase {
  const char* method;
  int order;
  int steps;  ///< coarsest step count: in the asymptotic range, above round-off after two halvings
};

class ExplicitOrder : public ::testing::TestWithParam<OrderCase> {};

TEST_P(ExplicitOrder, GlobalErrorFallsAtTheMethodsOrder) {
  // The observed order over two halvings of the step; methods tuned for small error constants (Tsit5) approach
  // their order from above, hence the half-order band.
  const OrderCase c = GetParam();
  const double e1 = kepler_error(c.method, c.steps), e2 = kepler_error(c.method, 2 * c.steps),
               e3 = kepler_error(c.method, 4 * c.steps);
  const double observed = std::log(e1 / e3) / std::log(4.0);
  EXPECT_NEAR(observed, c.order, 0.5) << c.method << ": errors " << e1 << ", " << e2 << ", " << e3;
}

INSTANTIATE_TEST_SUITE_P(Methods, ExplicitOrder, ::testing::Values(OrderCase{"Tsit5", 5, 128}),
                         [](const auto& info) { return std::string(info.param.method); });

TEST(ExplicitRK, DenseOutputIsAccurateBetweenSteps) {
  // Tsit5's continuous extension has order 4: the error at step midpoints falls ~16x when h halves.
  auto midpoint_error = [](double h) {
    test::LambdaProblem p = test::exp_sin();
    SolveOptions o;
    o.t1 = 2.0;
    o.rtol = 0.5;
    o.atol = {1e6};
    o.dt0 = h;
    o.dtmax = h;
    o.dense = true;
    Solution s = solve(p, {1.0}, o);
    double worst = 0;
    for (double t = h / 2; t < 2.0; t += h) worst = std::max(worst, std::fabs(s.interpolate(t)[0] - std::exp(std::sin(t))));
    return worst;
  };
  const double e1 = midpoint_error(0.1), e2 = midpoint_error(0.05);
  EXPECT_GT(e1 / e2, 14.0);
  EXPECT_LT(e2, 1e-7);
}

TEST(ExplicitRK, AdaptiveErrorIsASmallMultipleOfTheTolerance) {
  test::LambdaProblem p = test::harmonic();
  SolveOptions o;
  o.t1 = 10.0;
  o.rtol = 1e-10;
  o.atol = {1e-10};
  o.n_save_points = 101;
  Solution s = solve(p, {1.0, 0.0}, o);
  ASSERT_TRUE(s.ok());
  double worst = 0;
  for (std::size_t k = 0; k < s.size(); ++k) worst = std::max(worst, std::fabs(s.state(0, k) - std::cos(s.t[k])));
  EXPECT_LT(worst, 100 * 1e-10);
  EXPECT_GT(worst, 0.0);
}

}  // namespace
}  // namespace numen
