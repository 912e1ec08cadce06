// Explicit Runge-Kutta pairs: empirical order, dense output order, accuracy against tolerance.
#include <gtest/gtest.h>

#include <cmath>

#include "numen/methods.h"
#include "numen/solve.h"
#include "solve/problems.h"

namespace numen {
namespace {

// Global error after one period of the Kepler orbit taken in n equal steps: a huge atol accepts every step and
// dtmax pins the step size (fixed-step methods take dt).
double kepler_error(const std::string& method, int n) {
  const double period = 2 * M_PI;
  test::LambdaProblem p = test::kepler();
  SolveOptions o;
  o.method = method;
  o.t1 = period;
  o.rtol = 0.5;
  o.atol = {1e6};
  o.dt0 = o.dtmax = o.dt = period / n;
  const Solution s = solve(p, test::kepler_start(), o);
  EXPECT_TRUE(s.ok()) << s.message;
  EXPECT_NEAR(s.stats.accepted_steps, n, 1);
  return test::kepler_return_error(s);
}

// Global error at t = 2 of Van der Pol (mu = 1) from (2, 0) in n equal steps, against Vern9 at 1e-14.
double van_der_pol_error(const std::string& method, int n) {
  static const std::vector<double> reference = [] {
    test::LambdaProblem p = test::van_der_pol_1();
    SolveOptions o;
    o.method = "Vern9";
    o.t1 = 2.0;
    o.rtol = 1e-14;
    o.atol = {1e-14};
    o.n_save_points = 2;
    const Solution s = solve(p, {2.0, 0.0}, o);
    return std::vector<double>{s.state(0, 1), s.state(1, 1)};
  }();
  test::LambdaProblem p = test::van_der_pol_1();
  SolveOptions o;
  o.method = method;
  o.t1 = 2.0;
  o.rtol = 0.5;
  o.atol = {1e6};
  o.dt0 = o.dtmax = 2.0 / n;
  o.n_save_points = 2;
  const Solution s = solve(p, {2.0, 0.0}, o);
  return std::hypot(s.state(0, 1) - reference[0], s.state(1, 1) - reference[1]);
}

struct OrderCase {
  const char* method;        ///< its order is the method table's (numen/methods.h)
  int steps;                 ///< coarsest step count: in the asymptotic range, above round-off after two halvings
  bool van_der_pol = false;  ///< Rodas4 is superconvergent on the Kepler orbit: show its order on Van der Pol
};

class FixedStepOrder : public ::testing::TestWithParam<OrderCase> {};

TEST_P(FixedStepOrder, GlobalErrorFallsAtTheMethodsOrder) {
  // The observed order at the finest of three step sizes (the coarser pair may still be pre-asymptotic; the finest
  // error stays above round-off). Methods tuned for small error constants approach their order from above.
  const OrderCase c = GetParam();
  auto error = [&](int n) { return c.van_der_pol ? van_der_pol_error(c.method, n) : kepler_error(c.method, n); };
  const double e1 = error(c.steps), e2 = error(2 * c.steps), e3 = error(4 * c.steps);
  const double observed = std::log2(e2 / e3);
  EXPECT_NEAR(observed, find_method(c.method)->order, 0.6) << c.method << ": errors " << e1 << ", " << e2 << ", " << e3;
  EXPECT_GT(e3, 1e-14) << "the finest error is at round-off: use fewer steps";
}

// Explicit pairs, the fixed-step methods and the Rosenbrock methods (with an exact Jacobian by differences of a
// smooth f, Rosenbrock orders hold as for any W-free method with a good Jacobian).
INSTANTIATE_TEST_SUITE_P(Methods, FixedStepOrder,
                         ::testing::Values(OrderCase{"Tsit5", 128}, OrderCase{"Dopri5", 128}, OrderCase{"DP8", 64},
                                           OrderCase{"Vern7", 64}, OrderCase{"Vern9", 32}, OrderCase{"BS3", 512},
                                           OrderCase{"CashKarp", 128}, OrderCase{"Fehlberg78", 64},
                                           OrderCase{"Euler", 20000}, OrderCase{"Midpoint", 1000},
                                           OrderCase{"RK4", 256}, OrderCase{"Rodas5P", 32, true},
                                           OrderCase{"Rodas4", 32, true}, OrderCase{"Rosenbrock23", 256, true}),
                         [](const auto& info) { return std::string(info.param.method); });

// Interpolation between steps: x(t) = exp(sin t) at the midpoints of fixed steps. The midpoint error falls at
// least as fast as h^(dense order) (it mixes the interpolant's error with the method's own global error).
struct DenseCase {
  const char* method;
  int dense_order;
  double h;
};

class DenseOrder : public ::testing::TestWithParam<DenseCase> {};

TEST_P(DenseOrder, InterpolantErrorFallsAtItsOrder) {
  const DenseCase c = GetParam();
  auto midpoint_error = [&](double h) {
    test::LambdaProblem p = test::exp_sin();
    SolveOptions o;
    o.method = c.method;
    o.t1 = 2.0;
    o.rtol = 0.5;
    o.atol = {1e6};
    o.dt0 = o.dtmax = h;
    o.dense = true;
    const Solution s = solve(p, {1.0}, o);
    double worst = 0;
    for (double t = h / 2; t < 2.0; t += h)
      worst = std::max(worst, std::fabs(s.interpolate(t)[0] - std::exp(std::sin(t))));
    return worst;
  };
  const double e1 = midpoint_error(c.h), e2 = midpoint_error(c.h / 2);
  EXPECT_GT(std::log2(e1 / e2), c.dense_order - 0.5) << c.method << ": " << e1 << " -> " << e2;
}

INSTANTIATE_TEST_SUITE_P(Methods, DenseOrder,
                         ::testing::Values(DenseCase{"Tsit5", 4, 0.1}, DenseCase{"Dopri5", 4, 0.1},
                                           DenseCase{"DP8", 7, 0.2}, DenseCase{"Vern7", 7, 0.2},
                                           DenseCase{"Vern9", 9, 0.4}, DenseCase{"BS3", 3, 0.05},
                                           DenseCase{"Rodas5P", 4, 0.1}, DenseCase{"Rodas4", 3, 0.1},
                                           DenseCase{"Rosenbrock23", 2, 0.05}),
                         [](const auto& info) { return std::string(info.param.method); });

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

namespace numen {
namespace {

// A mass between two springs of different stiffness, one on each side of x = 0: f is continuous with a kink at
// x = 0, like a contact closing. Exact solution: half sine waves of frequency w1 (x > 0) and w2 (x < 0) with the
// same speed at every crossing, so the state repeats after each period pi/w1 + pi/w2.
class TwoSpringProblem : public OdeProblem {
 public:
  explicit TwoSpringProblem(bool declare_switch) : declare_switch_(declare_switch) {}
  static constexpr double w1 = 1.0, w2 = 7.0;
  int size() const override { return 2; }
  void rhs(double, const double* x, double* dx) override {
    dx[0] = x[1];
    dx[1] = x[0] > 0 ? -w1 * w1 * x[0] : -w2 * w2 * x[0];
  }
  int switch_count() const override { return declare_switch_ ? 1 : 0; }
  void switch_functions(double, const double* x, double* g) override { g[0] = x[0]; }

 private:
  bool declare_switch_;
};

TEST(ExplicitRK, StepsOntoSwitchingPointsInsteadOfFailingAcrossThem) {
  const double period = M_PI / TwoSpringProblem::w1 + M_PI / TwoSpringProblem::w2;
  SolveOptions o;
  o.method = "Tsit5";
  o.t1 = 20 * period;
  o.rtol = 1e-8;
  o.atol = {1e-10};
  o.n_save_points = 2;
  TwoSpringProblem located(true), blind(false);
  const Solution a = solve(located, {0.0, 1.0}, o), b = solve(blind, {0.0, 1.0}, o);
  ASSERT_TRUE(a.ok() && b.ok());
  // Back at x = 0 moving at speed 1 after 20 periods (40 kinks crossed).
  const double error_a = std::hypot(a.state(0, 1), a.state(1, 1) - 1.0);
  const double error_b = std::hypot(b.state(0, 1), b.state(1, 1) - 1.0);
  EXPECT_LT(error_a, 1e-6);
  EXPECT_LT(error_a, 2 * error_b) << "locating the switches must not cost accuracy";
  EXPECT_LT(a.stats.rejected_steps, b.stats.rejected_steps / 2)
      << "located: " << a.stats.rejected_steps << " rejections, blind: " << b.stats.rejected_steps;
  EXPECT_LT(a.stats.accepted_steps + a.stats.rejected_steps, b.stats.accepted_steps + b.stats.rejected_steps);
}

}  // namespace
}  // namespace numen
