// The fixed-step steppers (Euler, Midpoint, RK4, the symplectic compositions) driven directly, as the driver could
// drive them: stop times (t_limit) off their step grid, closer together than one step.
#include "solve/stepper.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "numen/methods.h"
#include "solve/problems.h"
#include "solve/registry.h"

namespace numen::detail {
namespace {

std::vector<std::string> fixed_step_rows() {
  std::vector<std::string> out;
  for (const MethodRow& row : method_rows())
    if (!row.info.adaptive && row.info.family != MethodFamily::Auto) out.push_back(row.info.name);
  return out;
}

class FixedStep : public ::testing::TestWithParam<std::string> {
 protected:
  FixedStep() : row_(*find_method_row(GetParam())) {
    o_.dt = 0.1;
    o_.t1 = 1.0;
  }
  std::unique_ptr<Stepper> start() {
    ig_ = std::make_unique<Integration>(p_, o_, stats_);
    std::unique_ptr<Stepper> s = make_stepper(row_.info, *ig_);
    const double x0[2] = {1.0, 0.0};
    s->reset(0.0, x0);
    return s;
  }
  /// One step toward t_limit; checks that time moves forward, by at most about dt, from where the last step ended.
  void step(Stepper& s, double t_limit) {
    const double before = s.t();
    ASSERT_TRUE(s.step(t_limit)) << ig_->failure_message;
    EXPECT_EQ(s.t_prev(), before);
    EXPECT_GT(s.t(), before) << "t_limit " << t_limit;
    EXPECT_LE(s.t(), t_limit);
    EXPECT_LE(s.t() - before, 1.02 * o_.dt) << "t_limit " << t_limit;
  }
  /// The distance of the state from the exact solution (cos t, -sin t) at the stepper's time.
  double error(const Stepper& s) const { return std::hypot(s.x()[0] - std::cos(s.t()), s.x()[1] + std::sin(s.t())); }

  const MethodRow& row_;
  test::SeparableOscillator p_;
  SolveOptions o_;
  SolveStats stats_;
  std::unique_ptr<Integration> ig_;
};

// Stops at 0.095, 0.19, 0.285 (dt 0.1): each off the grid, closer together than a step. A stop shortens the step
// that reaches it, the step after it ends on the grid again (0.1, 0.2, ...), and the time the stepper reports is
// always the time its state is at.
TEST_P(FixedStep, StopsOffTheGridShortenOnlyTheStepsThatReachThem) {
  std::unique_ptr<Stepper> s = start();
  std::vector<double> ends;
  for (double stop : {0.095, 0.19, 0.285, o_.t1})
    for (int guard = 0; guard < 20 && s->t() < stop; ++guard) {
      step(*s, stop);
      ends.push_back(s->t());
    }
  const std::vector<double> want = {0.095, 0.1, 0.19, 0.2, 0.285, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0};
  ASSERT_EQ(ends.size(), want.size());
  for (std::size_t k = 0; k < want.size(); ++k) EXPECT_NEAR(ends[k], want[k], 1e-15) << "step " << k;
  EXPECT_EQ(s->t(), o_.t1);
  // About the error without stops: the stops split steps, they add no error of their own.
  EXPECT_LT(error(*s), 2 * std::pow(o_.dt, std::min(row_.info.order, 2))) << row_.info.name;
}

// A stop a rounding error before a grid point (0.3 is below 3 * 0.1 in binary) counts as that point: the step after
// it is a whole step, not one of 5e-17 up to the grid point.
TEST_P(FixedStep, AStopARoundingErrorFromAGridPointLeavesNoSliver) {
  std::unique_ptr<Stepper> s = start();
  step(*s, o_.t1);
  step(*s, o_.t1);
  const double stop = 0.3;
  ASSERT_LT(stop, 0.0 + 3 * o_.dt);
  step(*s, stop);
  EXPECT_EQ(s->t(), stop);
  step(*s, o_.t1);
  EXPECT_NEAR(s->t(), 4 * o_.dt, 1e-15);
}

INSTANTIATE_TEST_SUITE_P(Methods, FixedStep, ::testing::ValuesIn(fixed_step_rows()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace numen::detail
