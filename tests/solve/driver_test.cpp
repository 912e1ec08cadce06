// The integration driver: saving rules, tstops, events, periodic updates, failures and cancellation.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "numen/solve.h"
#include "solve/problems.h"

namespace numen {
namespace {

SolveOptions span(double t1) {
  SolveOptions o;
  o.t1 = t1;
  o.rtol = 1e-10;
  o.atol = {1e-12};
  return o;
}

TEST(Driver, SavesOnTheRequestedGrid) {
  test::LambdaProblem p = test::harmonic();
  SolveOptions o = span(1.0);
  o.n_save_points = 11;
  Solution s = solve(p, {1.0, 0.0}, o);
  ASSERT_EQ(s.size(), 11u);
  for (std::size_t k = 0; k < 11; ++k) {
    EXPECT_DOUBLE_EQ(s.t[k], k / 10.0);
    EXPECT_NEAR(s.state(0, k), std::cos(s.t[k]), 1e-9);
    EXPECT_NEAR(s.state(1, k), -std::sin(s.t[k]), 1e-9);
  }
  o.n_save_points = 0;
  o.dtsave = 0.3;
  const std::vector<double> every = solve(p, {1.0, 0.0}, o).t;  // t0 + k * dtsave, not a running sum
  ASSERT_EQ(every.size(), 4u);
  for (std::size_t k = 0; k < 4; ++k) EXPECT_EQ(every[k], 0.3 * static_cast<double>(k));
  o.dtsave = 0;
  o.t_eval = {0.05, 0.5};
  Solution e = solve(p, {1.0, 0.0}, o);
  EXPECT_EQ(e.t, o.t_eval);
  EXPECT_NEAR(e.state(0, 1), std::cos(0.5), 1e-9);
}

// AddressSanitizer aborts on an allocation it cannot make (by design) instead of throwing std::bad_alloc.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAllocationFailuresThrow = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kAllocationFailuresThrow = false;
#else
constexpr bool kAllocationFailuresThrow = true;
#endif
#else
constexpr bool kAllocationFailuresThrow = true;
#endif

// A saving rule whose trajectory cannot fit in memory (here 10 million points of 20,001 values, 1.5 TiB) is an
// error about the options before the first step: it used to solve, growing, until the machine ran out of memory or
// the run ended on "internal error: std::bad_alloc".
TEST(Driver, SavesThatCannotFitInMemoryAreRefusedBeforeSolving) {
  if (!kAllocationFailuresThrow) GTEST_SKIP() << "the sanitizer aborts on a failed allocation";
  struct Many : OdeProblem {
    int size() const override { return 20000; }
    void rhs(double, const double*, double* dx) override {
      ++calls;
      std::fill(dx, dx + 20000, 0.0);
    }
    int calls = 0;
  } p;
  SolveOptions o = span(1.0);
  o.method = "Tsit5";  // no Jacobian of 20,000 x 20,000 (Auto's stiff method would hold one)
  o.n_save_points = 10000000;
  try {
    solve(p, std::vector<double>(20000, 1.0), o);
    FAIL() << "no error";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("saving 10000000 points of 20001 values"), std::string::npos) << what;
    EXPECT_NE(what.find("GiB"), std::string::npos) << what;
    EXPECT_NE(what.find("save fewer points"), std::string::npos) << what;
  }
  EXPECT_EQ(p.calls, 0) << "refused before the first step";
}

TEST(Driver, WithoutASavingRuleEveryStepIsSavedAndTstopsAreHitExactly) {
  test::LambdaProblem p = test::harmonic();
  SolveOptions o = span(3.0);
  o.tstops = {0.123456, 2.5};
  Solution s = solve(p, {1.0, 0.0}, o);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s.size(), static_cast<std::size_t>(s.stats.accepted_steps) + 1);
  EXPECT_NE(std::find(s.t.begin(), s.t.end(), 0.123456), s.t.end());
  EXPECT_NE(std::find(s.t.begin(), s.t.end(), 2.5), s.t.end());
  EXPECT_EQ(s.t.back(), 3.0);
  EXPECT_TRUE(std::is_sorted(s.t.begin(), s.t.end()));
}

TEST(Driver, BounceTimesMatchTheAnalyticOnes) {
  test::BouncingBall p;
  SolveOptions o = span(3.0);
  o.n_save_points = 301;
  Solution s = solve(p, {1.0, 0.0}, o);
  ASSERT_TRUE(s.ok()) << s.message;
  const double t1 = std::sqrt(2.0 / 9.81);
  ASSERT_GE(s.events.size(), 5u);
  double expected = t1, flight = 2 * t1;
  for (std::size_t k = 0; k < 5; ++k) {
    EXPECT_NEAR(s.events[k].t, expected, 1e-9) << "bounce " << k;
    flight *= 0.8;
    expected += flight;
  }
  for (std::size_t k = 0; k < s.size(); ++k) EXPECT_GE(s.state(0, k), -1e-9);  // never below the floor
}

class TwoThresholds : public test::LambdaProblem {
 public:
  TwoThresholds() : LambdaProblem(1, [](double, const double*, double* dx) { dx[0] = 1.0; }) {}
  int event_count() const override { return 2; }
  void event_functions(double, const double* x, double* g) override {
    g[0] = x[0] - 0.6;  // declared first, crosses second
    g[1] = x[0] - 0.3;
  }
  Crossing event_crossing(int) const override { return Crossing::Rising; }
  bool apply_event(int k, double, double*) override { return stop_at_second && k == 0; }
  bool stop_at_second = false;
};

TEST(Driver, SeveralEventsInOneStepFireInTimeOrder) {
  TwoThresholds p;
  SolveOptions o;
  o.t1 = 1.0;
  o.atol = {1e3};  // one huge step spans both crossings
  o.dt0 = 1.0;
  Solution s = solve(p, {0.0}, o);
  ASSERT_EQ(s.events.size(), 2u);
  EXPECT_EQ(s.events[0].index, 1);
  EXPECT_NEAR(s.events[0].t, 0.3, 1e-12);
  EXPECT_EQ(s.events[1].index, 0);
  EXPECT_NEAR(s.events[1].t, 0.6, 1e-12);
  p.stop_at_second = true;
  Solution stopped = solve(p, {0.0}, o);
  EXPECT_EQ(stopped.status, SolveStatus::Terminated);
  EXPECT_NEAR(stopped.t.back(), 0.6, 1e-12);
}

class Sampler : public test::LambdaProblem {
 public:
  Sampler() : LambdaProblem(1, [](double, const double*, double* dx) { dx[0] = 0.0; }) {}
  int periodic_count() const override { return 1; }
  double periodic_period(int) const override { return 0.25; }
  bool apply_periodic(int, double, double* x) override {
    x[0] += 1.0;
    return false;
  }
};

TEST(Driver, PeriodicUpdatesFireAtEveryMultipleIncludingBothEnds) {
  Sampler p;
  SolveOptions o = span(1.0);
  Solution s = solve(p, {0.0}, o);
  EXPECT_EQ(s.stats.periodic_updates, 5);  // t = 0, 0.25, 0.5, 0.75, 1
  EXPECT_EQ(s.x.back(), 5.0);
}

TEST(Driver, FailuresSayWhatHappenedAndWhere) {
  test::LambdaProblem blowup(1, [](double, const double* x, double* dx) { dx[0] = x[0] * x[0]; });  // x = 1/(1-t)
  Solution s = solve(blowup, {1.0}, span(2.0));
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message.find("t = 0.99"), std::string::npos) << s.message;
  EXPECT_LT(s.t.back(), 1.0);

  test::LambdaProblem p = test::harmonic();
  SolveOptions o = span(100.0);
  o.max_steps = 10;
  Solution limited = solve(p, {1.0, 0.0}, o);
  EXPECT_EQ(limited.status, SolveStatus::MaxStepsReached);
  EXPECT_NE(limited.message.find("max_steps (10)"), std::string::npos);
}

TEST(Driver, NaNInTheRightHandSideIsNamed) {
  test::LambdaProblem p(2, [](double t, const double* x, double* dx) {
    dx[0] = 1.0;
    dx[1] = t > 0.5 ? std::sqrt(-1.0) : x[1];
  });
  Solution s = solve(p, {0.0, 1.0}, span(1.0));
  EXPECT_EQ(s.status, SolveStatus::NonFinite);
  EXPECT_NE(s.message.find("x[1]"), std::string::npos) << s.message;
}

TEST(Driver, ProgressCanCancel) {
  test::LambdaProblem p = test::harmonic();
  SolveControl control;
  control.on_progress = [](double t) { return t < 1.0; };
  Solution s = solve(p, {1.0, 0.0}, span(100.0), control);
  EXPECT_EQ(s.status, SolveStatus::Cancelled);
  EXPECT_LT(s.t.back(), 2.0);
}

TEST(Driver, BadOptionsAreRejectedWithTheOptionsName) {
  test::LambdaProblem p = test::harmonic();
  SolveOptions o = span(1.0);
  o.method = "Tsit6";
  try {
    solve(p, {1.0, 0.0}, o);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("did you mean `Tsit5`?"), std::string::npos) << e.what();
  }
  o = span(1.0);
  o.n_save_points = 5;
  o.dtsave = 0.1;
  EXPECT_THROW(solve(p, {1.0, 0.0}, o), Error);
  EXPECT_THROW(solve(p, {1.0}, span(1.0)), Error);  // wrong initial state size
}

// x' = x^2, x(0) = 1 blows up at t = 1: every adaptive method's step size underflows there. The message suggests
// other methods, and never the one that just failed (it used to say "try Rodas5P or BDF" to Rodas5P and BDF).
TEST(Driver, StepSizeUnderflowSuggestsOtherMethodsThanTheOneThatFailed) {
  for (const char* method : {"Rodas5P", "Rodas4", "BDF", "KenCarp4", "TRBDF2", "Rosenbrock23", "Tsit5"}) {
    test::LambdaProblem p(
        1, [](double, const double* x, double* dx) { dx[0] = x[0] * x[0]; },
        [](double, const double* x, double* J) { J[0] = 2 * x[0]; });
    SolveOptions o;
    o.method = method;
    o.t1 = 2.0;
    o.n_save_points = 2;
    const Solution s = solve(p, {1.0}, o);
    ASSERT_FALSE(s.ok()) << method;
    ASSERT_EQ(s.status, SolveStatus::StepSizeTooSmall) << method << ": " << s.message;
    const std::size_t suggestion = s.message.find("(try ");
    ASSERT_NE(suggestion, std::string::npos) << method << ": " << s.message;
    EXPECT_EQ(s.message.find(method, suggestion), std::string::npos) << method << ": " << s.message;
    EXPECT_NE(s.message.find(std::string("in ") + method), std::string::npos) << "names the method that failed";
  }
}

}  // namespace
}  // namespace numen
