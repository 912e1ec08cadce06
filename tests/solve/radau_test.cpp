// RadauIIA5 (radau.cpp): its coefficients, accuracy against the Test Set's stiff problems compared with Rodas5P,
// an index-1 DAE at tight tolerances, its collocation-polynomial dense output, and events through the driver.
// (Its empirical orders are measured with the other implicit methods in stiff_methods_test.cpp and
// explicit_rk_test.cpp.)
#include <gtest/gtest.h>

#include <cmath>
#include <memory>

#include "numen/methods.h"
#include "numen/solve.h"
#include "problems/stiff.h"
#include "solve/problems.h"
#include "solve/tableaus.h"

namespace numen {
namespace {

TEST(RadauIIA5, IsInTheMethodTableAsAStiffMassMatrixMethod) {
  const MethodInfo* m = find_method("radau5");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->name, "RadauIIA5");
  EXPECT_EQ(find_method("RADAU"), m);
  EXPECT_EQ(m->family, MethodFamily::ImplicitRK);
  EXPECT_EQ(m->order, 5);
  EXPECT_TRUE(m->adaptive && m->stiff && m->mass_matrix);
}

// The transformation of radau5.f must diagonalize A^-1 into the real eigenvalue gamma and the complex pair
// alpha +- i beta: T Lambda TI = A^-1, i.e. A T Lambda TI = I. A typo in any digit of T or TI breaks this.
TEST(RadauIIA5, TransformationDiagonalizesTheInverseOfA) {
  const detail::RadauTableau* t = detail::find_radau_tableau("RadauIIA5");
  ASSERT_NE(t, nullptr);
  const double lambda[9] = {t->gamma, 0, 0, 0, t->alpha, -t->beta, 0, t->beta, t->alpha};
  auto mul = [](const double* x, const double* y, double* z) {
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j) {
        z[i * 3 + j] = 0;
        for (int k = 0; k < 3; ++k) z[i * 3 + j] += x[i * 3 + k] * y[k * 3 + j];
      }
  };
  double tl[9], ainv[9], identity[9], tti[9];
  mul(t->T.data(), lambda, tl);
  mul(tl, t->TI.data(), ainv);
  mul(t->a.data(), ainv, identity);
  mul(t->T.data(), t->TI.data(), tti);
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) {
      EXPECT_NEAR(identity[i * 3 + j], i == j ? 1.0 : 0.0, 1e-14) << "A T Lambda TI at " << i << ", " << j;
      EXPECT_NEAR(tti[i * 3 + j], i == j ? 1.0 : 0.0, 1e-15) << "T TI at " << i << ", " << j;
    }
  // Collocation: the rows of A sum to c, and the last row is b (stiffly accurate) with sum 1.
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(t->a[i * 3] + t->a[i * 3 + 1] + t->a[i * 3 + 2], t->c[i], 1e-15);
  EXPECT_NEAR(t->a[6] + t->a[7] + t->a[8], 1.0, 1e-15);
  EXPECT_EQ(t->c[2], 1.0);
}

// Fixed steps (a huge atol accepts every step, dtmax pins h) on the harmonic oscillator with its exact Jacobian:
// the problem is linear, so the simplified Newton iteration is exact after its first iteration however loose the
// tolerance, and what remains is the method's own error. The global error falls as h^5 (the Radau IIA stability
// function is the (2,3) Pade approximation, error O(h^5) per unit time); the interpolant at the steps' midpoints,
// the collocation polynomial, as h^4 (stage order 3, local error O(h^4)).
struct FixedStepErrors {
  double at_end, at_midpoints;
};

FixedStepErrors harmonic_fixed_steps(int n) {
  test::LambdaProblem p(
      2,
      [](double, const double* x, double* dx) {
        dx[0] = x[1];
        dx[1] = -x[0];
      },
      [](double, const double*, double* J) { J[0] = 0, J[1] = 1, J[2] = -1, J[3] = 0; });
  SolveOptions o;
  o.method = "RadauIIA5";
  o.t1 = 10.0;
  o.rtol = 0.5;
  o.atol = {1e6};
  o.dt0 = o.dtmax = o.t1 / n;
  o.dense = true;
  const Solution s = solve(p, {1.0, 0.0}, o);
  EXPECT_TRUE(s.ok()) << s.message;
  EXPECT_NEAR(s.stats.accepted_steps, n, 1);
  FixedStepErrors e{std::hypot(s.x[s.size() - 1] - std::cos(o.t1), s.x[2 * s.size() - 1] + std::sin(o.t1)), 0.0};
  for (int k = 0; k < n; ++k) {
    const double t = (k + 0.5) * o.t1 / n;
    const std::vector<double> x = s.interpolate(t);
    e.at_midpoints = std::max(e.at_midpoints, std::hypot(x[0] - std::cos(t), x[1] + std::sin(t)));
  }
  return e;
}

TEST(RadauIIA5, FixedStepErrorsFallAtOrderFiveAndTheInterpolantsAtFour) {
  const FixedStepErrors e1 = harmonic_fixed_steps(20), e2 = harmonic_fixed_steps(40), e3 = harmonic_fixed_steps(80);
  EXPECT_NEAR(std::log2(e2.at_end / e3.at_end), 5.0, 0.3) << e1.at_end << ", " << e2.at_end << ", " << e3.at_end;
  EXPECT_NEAR(std::log2(e1.at_end / e2.at_end), 5.0, 0.3) << e1.at_end << ", " << e2.at_end << ", " << e3.at_end;
  EXPECT_GT(e3.at_end, 1e-13) << "the finest error is at round-off: use fewer steps";
  // The midpoint error mixes the h^4 interpolation error with the h^5 global error: it approaches 4 from above.
  EXPECT_NEAR(std::log2(e2.at_midpoints / e3.at_midpoints), 4.0, 0.5)
      << e1.at_midpoints << ", " << e2.at_midpoints << ", " << e3.at_midpoints;
}

// A Test Set problem solved to its end, with the Test Set's measures of the digits it got (problems/stiff.h):
// scd from the relative error, mescd from the error relative to atol / rtol + |reference|.
struct TestSetRun {
  Solution solution;
  problems::Digits digits;
};

TestSetRun run(problems::DenseProblem& p, const char* method, double rtol, double atol) {
  SolveOptions o;
  o.method = method;
  o.t1 = p.t_end();
  o.rtol = rtol;
  o.atol = {atol};
  o.n_save_points = 2;
  Solution s = solve(p, p.initial(), o);
  std::vector<double> x(static_cast<std::size_t>(p.size()));
  for (int i = 0; i < p.size(); ++i) x[static_cast<std::size_t>(i)] = s.state(i, s.size() - 1);
  const problems::Digits d =
      s.ok() ? problems::significant_digits(p, x.data(), rtol, atol) : problems::Digits{-99, -99};
  return {std::move(s), d};
}

std::vector<std::unique_ptr<problems::DenseProblem>> test_set() {
  std::vector<std::unique_ptr<problems::DenseProblem>> all;
  all.emplace_back(new problems::Robertson);
  all.emplace_back(new problems::VanDerPol);
  all.emplace_back(new problems::Hires);
  all.emplace_back(new problems::Oregonator);
  return all;
}

// On ROBER, VDPOL, HIRES and OREGO RadauIIA5 gets at least as many correct digits at the end as Rodas5P at the same
// tolerances: at the Test Set's own tolerances (testset_rtol / testset_atol) by the Test Set's scd, and over a
// sweep rtol = 1e-4 ... 1e-10 (atol scaled to each problem) by mescd, where it must also reach at least rtol's digits
// minus one: the tolerance means what it says.
TEST(RadauIIA5, MatchesRodas5PsAccuracyOnTheTestSetProblems) {
  for (auto& p : test_set()) {
    {
      const double rtol = p->testset_rtol(), atol = p->testset_atol();
      const TestSetRun radau = run(*p, "RadauIIA5", rtol, atol), rodas = run(*p, "Rodas5P", rtol, atol);
      ASSERT_TRUE(radau.solution.ok()) << p->name() << ": " << radau.solution.message;
      ASSERT_TRUE(rodas.solution.ok()) << p->name() << ": " << rodas.solution.message;
      EXPECT_GE(radau.digits.scd, rodas.digits.scd)
          << p->name() << " at the Test Set's rtol " << rtol << ", atol " << atol << ": RadauIIA5 "
          << radau.solution.stats.accepted_steps << " steps, Rodas5P " << rodas.solution.stats.accepted_steps;
    }
    for (double rtol : {1e-4, 1e-6, 1e-8, 1e-10}) {
      const double atol = rtol * p->atol_scale();
      const TestSetRun radau = run(*p, "RadauIIA5", rtol, atol), rodas = run(*p, "Rodas5P", rtol, atol);
      ASSERT_TRUE(radau.solution.ok()) << p->name() << " at " << rtol << ": " << radau.solution.message;
      ASSERT_TRUE(rodas.solution.ok()) << p->name() << " at " << rtol << ": " << rodas.solution.message;
      EXPECT_GE(radau.digits.mescd, rodas.digits.mescd)
          << p->name() << " at rtol " << rtol << ": RadauIIA5 " << radau.solution.stats.accepted_steps
          << " steps, Rodas5P " << rodas.solution.stats.accepted_steps;
      EXPECT_GT(radau.digits.mescd, -std::log10(rtol) - 1) << p->name() << " at rtol " << rtol;
    }
  }
}

// E5 at the Test Set's tolerances (rtol 1e-7, atol 1.7e-24): y2 and y3 end near 8.9e-23, so atol alone allows
// local errors of 2 % of them; RadauIIA5 must keep the final relative error of y2 and y3 within that (scd >= 2;
// it reaches 3.4) and the mixed error, relative to atol / rtol + |y|, near rtol (mescd >= 6; it reaches 8.6).
// (For comparison, Rodas5P with its refined linear solves: scd 1.7, mescd 7.0; without them scd -2.2.)
TEST(RadauIIA5, KeepsE5sTinyComponentsAtTheTestSetTolerances) {
  problems::E5 p;
  const Solution s = problems::solve_at_testset_settings(p, "RadauIIA5");
  ASSERT_TRUE(s.ok()) << s.message;
  std::vector<double> x(4);
  for (int i = 0; i < 4; ++i) x[static_cast<std::size_t>(i)] = s.state(i, 1);
  const problems::Digits d = problems::significant_digits(p, x.data(), p.testset_rtol(), p.testset_atol());
  EXPECT_GE(d.scd, 2.0);
  EXPECT_GE(d.mescd, 6.0);
}

// The statistics a user compares codes by are counted: one Jacobian per step at most (fewer when Newton converges
// fast), two factorizations (real and complex) per new step size, three f evaluations per Newton iteration.
TEST(RadauIIA5, CountsItsWork) {
  problems::Hires p;
  const TestSetRun r = run(p, "RadauIIA5", 1e-8, 1e-12);
  ASSERT_TRUE(r.solution.ok()) << r.solution.message;
  const SolveStats& s = r.solution.stats;
  EXPECT_GT(s.accepted_steps, 10);
  EXPECT_GT(s.newton_iterations, s.accepted_steps);
  EXPECT_LT(s.jacobian_evals, s.accepted_steps + s.rejected_steps) << "the Jacobian is reused";
  EXPECT_GE(s.jacobian_evals, 1);
  EXPECT_EQ(s.lu_decompositions % 2, 0) << "real and complex factorizations come in pairs";
  EXPECT_LE(s.lu_decompositions, 2 * (s.accepted_steps + s.rejected_steps));
  EXPECT_GE(s.rhs_evals, 3 * s.newton_iterations);
  EXPECT_GE(s.linear_solves, 2 * s.newton_iterations) << "one real and one complex solve per iteration";
}

// x' = -x + z, 0 = z^3 + z - (s^3 + s), s = sin t (test::KnownDae): z = sin t,
// x = (e^-t + sin t - cos t) / 2. At rtol 1e-10 both the differential and the algebraic variable are accurate at
// every step and, through the collocation polynomial, between steps.

TEST(RadauIIA5, SolvesAnIndexOneDaeAtTightTolerances) {
  test::KnownDae p;
  SolveOptions o;
  o.method = "RadauIIA5";
  o.t1 = 10.0;
  o.rtol = 1e-10;
  o.atol = {1e-12};
  const Solution s = solve(p, {0.0, 0.3}, o);  // z(0) = 0.3 is inconsistent: initialization corrects it
  ASSERT_TRUE(s.ok()) << s.message;
  double worst_x = 0, worst_z = 0;
  for (std::size_t k = 0; k < s.size(); ++k) {
    worst_x = std::max(worst_x, std::fabs(s.state(0, k) - test::KnownDae::x(s.t[k])));
    worst_z = std::max(worst_z, std::fabs(s.state(1, k) - std::sin(s.t[k])));
  }
  EXPECT_LT(worst_x, 1e-9);
  EXPECT_LT(worst_z, 1e-9);
  EXPECT_GT(s.size(), 10u);
  o.n_save_points = 201;
  const Solution grid = solve(p, {0.0, 0.3}, o);
  ASSERT_TRUE(grid.ok()) << grid.message;
  double worst_grid = 0;
  for (std::size_t k = 0; k < grid.size(); ++k) {
    worst_grid = std::max(worst_grid, std::fabs(grid.state(0, k) - test::KnownDae::x(grid.t[k])));
    worst_grid = std::max(worst_grid, std::fabs(grid.state(1, k) - std::sin(grid.t[k])));
  }
  EXPECT_LT(worst_grid, 1e-8) << "interpolated values of both the differential and the algebraic variable";
}

// x' = -x + z, 0 = z^3 - (t - 1/2): dg/dz = 3 z^2 vanishes at t = 1/2, where the DAE stops being index 1 and z
// has an infinite slope. The solve must stop there with a Newton failure that names the method and the time,
// not loop or return garbage.
class LosesIndexOne : public test::LambdaProblem {
 public:
  LosesIndexOne()
      : LambdaProblem(2, [](double t, const double* y, double* f) {
          f[0] = -y[0] + y[1];
          f[1] = y[1] * y[1] * y[1] - (t - 0.5);
        }) {}
  std::vector<std::uint8_t> differential_mask() const override { return {1, 0}; }
};

TEST(RadauIIA5, ReportsANewtonFailureWhereTheDaeLosesIndexOne) {
  LosesIndexOne p;
  SolveOptions o;
  o.method = "RadauIIA5";
  const Solution s = solve(p, {0.0, -std::cbrt(0.5)}, o);
  EXPECT_EQ(s.status, SolveStatus::NewtonFailure) << s.message;
  EXPECT_NE(s.message.find("RadauIIA5"), std::string::npos) << s.message;
  EXPECT_NEAR(s.t.back(), 0.5, 1e-6);
}

// The dense output is the collocation polynomial (degree 3, local error O(h^4)). On x' = cos(t) x (x = exp(sin t))
// at rtol 1e-8 it stays within the tolerance at interior points of every step; on a stiff linear problem with a
// fast transient too. (Its order is measured in explicit_rk_test.cpp's DenseOrder.)
TEST(RadauIIA5, DenseOutputIsAccurateBetweenSteps) {
  {
    test::LambdaProblem p = test::exp_sin();
    SolveOptions o;
    o.method = "RadauIIA5";
    o.t1 = 10.0;
    o.rtol = 1e-8;
    o.atol = {1e-10};
    o.dense = true;
    const Solution s = solve(p, {1.0}, o);
    ASSERT_TRUE(s.ok()) << s.message;
    ASSERT_GT(s.size(), 10u);
    double at_steps = 0, between = 0;
    for (std::size_t k = 0; k < s.size(); ++k)
      at_steps = std::max(at_steps, std::fabs(s.state(0, k) - std::exp(std::sin(s.t[k]))));
    for (std::size_t k = 0; k + 1 < s.size(); ++k)
      for (double f : {0.1, 0.25, 0.5, 0.75, 0.9}) {
        const double t = s.t[k] + f * (s.t[k + 1] - s.t[k]);
        between = std::max(between, std::fabs(s.interpolate(t)[0] - std::exp(std::sin(t))));
      }
    // Within the tolerance (|x| <= e): the polynomial's local error is O(h^4) against the steps' O(h^5), so
    // between steps it is larger than at them, but not larger than what was asked for.
    EXPECT_LT(between, o.rtol * std::exp(1.0)) << "at steps " << at_steps << ", between " << between;
    EXPECT_LT(at_steps, between) << "the interpolant is not the solution at the steps";
  }
  {
    // x' = -1000 (x - cos t) - sin t, x(0) = 2: x = cos t + e^(-1000 t).
    test::LambdaProblem p(
        1, [](double t, const double* x, double* dx) { dx[0] = -1000 * (x[0] - std::cos(t)) - std::sin(t); },
        [](double, const double*, double* J) { J[0] = -1000; });
    SolveOptions o;
    o.method = "RadauIIA5";
    o.t1 = 5.0;
    o.rtol = 1e-9;
    o.atol = {1e-11};
    o.dense = true;
    const Solution s = solve(p, {2.0}, o);
    ASSERT_TRUE(s.ok()) << s.message;
    double worst = 0;
    for (double t = 0.0005; t < 5.0; t += 0.001)
      worst = std::max(worst, std::fabs(s.interpolate(t)[0] - (std::cos(t) + std::exp(-1000 * t))));
    EXPECT_LT(worst, 1e-7);
  }
}

TEST(RadauIIA5, EventsAreLocatedOnItsInterpolant) {
  test::BouncingBall p;
  SolveOptions o;
  o.method = "RadauIIA5";
  o.t1 = 3.0;
  o.rtol = 1e-10;
  o.atol = {1e-12};
  o.n_save_points = 301;
  const Solution s = solve(p, {1.0, 0.0}, o);
  ASSERT_TRUE(s.ok()) << s.message;
  ASSERT_GE(s.events.size(), 5u);
  const double t1 = std::sqrt(2.0 / 9.81);
  double expected = t1, flight = 2 * t1;
  for (std::size_t k = 0; k < 5; ++k) {
    EXPECT_NEAR(s.events[k].t, expected, 1e-9) << "bounce " << k;
    flight *= 0.8;
    expected += flight;
  }
  for (std::size_t k = 0; k < s.size(); ++k) EXPECT_GE(s.state(0, k), -1e-9);
}

// A terminal event on a stiff problem: x = cos t + e^(-1000 t) falls through 0 at t = pi / 2 (the transient is long
// gone), where the event stops the integration.
class StiffCrossing : public test::LambdaProblem {
 public:
  StiffCrossing()
      : LambdaProblem(
            1, [](double t, const double* x, double* dx) { dx[0] = -1000 * (x[0] - std::cos(t)) - std::sin(t); },
            [](double, const double*, double* J) { J[0] = -1000; }) {}
  int event_count() const override { return 1; }
  void event_functions(double, const double* x, double* g) override { g[0] = x[0]; }
  Crossing event_crossing(int) const override { return Crossing::Falling; }
  bool apply_event(int, double, double*) override { return true; }
};

TEST(RadauIIA5, StopsAtATerminalEventOnAStiffProblem) {
  StiffCrossing p;
  SolveOptions o;
  o.method = "RadauIIA5";
  o.t1 = 5.0;
  o.rtol = 1e-9;
  o.atol = {1e-11};
  const Solution s = solve(p, {2.0}, o);
  EXPECT_EQ(s.status, SolveStatus::Terminated) << s.message;
  ASSERT_EQ(s.events.size(), 1u);
  EXPECT_NEAR(s.events[0].t, M_PI / 2, 1e-8);
  EXPECT_NEAR(s.t.back(), M_PI / 2, 1e-8);
}

}  // namespace
}  // namespace numen
