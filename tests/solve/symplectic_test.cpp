// Symplectic compositions: their order, and bounded energy error over very long runs.
#include <gtest/gtest.h>

#include <cmath>

#include "numen/methods.h"
#include "numen/solve.h"
#include "solve/problems.h"

namespace numen {
namespace {

// The pendulum q'' = -sin q (nonlinear, so a method's order is not only its linear order).
class Pendulum : public test::LambdaProblem {
 public:
  Pendulum()
      : LambdaProblem(2, [](double, const double* x, double* dx) {
          dx[0] = x[1];
          dx[1] = -std::sin(x[0]);
        }) {}
  std::vector<std::pair<int, int>> second_order_pairs() const override { return {{0, 1}}; }
};

// Every symplectic row of the method table, held to the order its row gives.
struct Case {
  std::string method;
  int order;
};

std::vector<Case> symplectic_methods() {
  std::vector<Case> out;
  for (const MethodInfo& m : methods())
    if (m.family == MethodFamily::Symplectic) out.push_back({m.name, m.order});
  return out;
}

class Symplectic : public ::testing::TestWithParam<Case> {};

TEST_P(Symplectic, OrderOnThePendulum) {
  auto end_state = [&](double h) {
    Pendulum p;
    SolveOptions o;
    o.method = GetParam().method;
    o.t1 = 10.0;
    o.dt = h;
    o.n_save_points = 2;
    const Solution s = solve(p, {1.0, 0.0}, o);
    return std::make_pair(s.state(0, 1), s.state(1, 1));
  };
  Pendulum ref;
  SolveOptions r;
  r.method = "Vern9";
  r.t1 = 10.0;
  r.rtol = r.atol[0] = 1e-14;
  r.n_save_points = 2;
  const Solution exact = solve(ref, {1.0, 0.0}, r);
  auto error = [&](double h) {
    const auto [q, v] = end_state(h);
    return std::hypot(q - exact.state(0, 1), v - exact.state(1, 1));
  };
  const double h = GetParam().order >= 5 ? 0.1 : 0.02;
  EXPECT_NEAR(std::log2(error(h) / error(h / 2)), GetParam().order, 0.3) << GetParam().method;
}

TEST_P(Symplectic, EnergyStaysBoundedOverAHundredThousandPeriods) {
  test::SeparableOscillator p;
  SolveOptions o;
  o.method = GetParam().method;
  const double period = 2 * M_PI;
  o.t1 = 1e5 * period;
  // About 21 steps per period, deliberately not a rational fraction of it: with dt = period / 20 the discrete
  // orbit revisits the same 20 points and deterministic rounding errors add up coherently (a resonance of the
  // test, not of the method).
  o.dt = 0.3;
  o.max_steps = 3000000;
  o.n_save_points = 1001;
  const Solution s = solve(p, {1.0, 0.0}, o);
  ASSERT_TRUE(s.ok());
  double early = 0, late = 0;  // largest energy error in the first and last tenth
  for (std::size_t k = 0; k < s.size(); ++k) {
    const double e = std::fabs(0.5 * (s.state(0, k) * s.state(0, k) + s.state(1, k) * s.state(1, k)) - 0.5);
    (k < s.size() / 10 ? early : late) = std::max(k < s.size() / 10 ? early : late, e);
  }
  // A symplectic method's energy error oscillates with a fixed amplitude: no drift between the first and last
  // 10,000 periods (a non-symplectic method of the same order drifts by orders of magnitude here).
  EXPECT_LT(late, 2 * early + 1e-12) << GetParam().method << ": early " << early << ", late " << late;
  EXPECT_LT(late, std::pow(o.dt, GetParam().order)) << GetParam().method;
}

INSTANTIATE_TEST_SUITE_P(Methods, Symplectic, ::testing::ValuesIn(symplectic_methods()),
                         [](const auto& info) { return info.param.method; });

TEST(Symplectic, NonSeparableProblemsAreRefused) {
  test::LambdaProblem damped(2, [](double, const double* x, double* dx) {
    dx[0] = x[1];
    dx[1] = -x[0] - 0.1 * x[1];
  });
  SolveOptions o;
  o.method = "VelocityVerlet";
  o.dt = 0.01;
  EXPECT_THROW(solve(damped, {1.0, 0.0}, o), Error);
}

}  // namespace
}  // namespace numen
