// The test bench: runs sampled where asked, warm starts on the periodic steady state, exact lock-in phasors.
#include "characterize/test_bench.h"

#include <cmath>

#include "support.h"

namespace numen::characterize {
namespace {

TestBench msd_bench(double rtol = 1e-10) {
  Model model = test::load_model("linear_msd");
  Excitation ex;
  ex.port_key = "mass.body.force";
  ex.port = *model.find_input(ex.port_key);
  ex.output = Probe{Probe::Kind::State, *model.find_state("mass.body.x"), "mass.body.x"};
  ex.scale_parameter = model.find_parameter("mass.body.m");
  ex.scale_key = "mass.body.m";
  SolveOptions o;
  o.method = "Tsit5";
  o.rtol = rtol;
  o.atol = {1e-13};
  return TestBench(std::move(model), ex, o, {});
}

std::complex<double> frf(double f) {
  const double w = 2 * M_PI * f;
  return 1.0 / std::complex<double>(1000.0 - w * w, 2.0 * w);
}

TEST(TestBench, SetupAppliesPlanSettingsThenSweptValues) {
  Model model = test::load_model("linear_msd");
  Excitation ex;
  ex.port_key = "mass.body.force";
  ex.output = Probe{Probe::Kind::State, 0, "mass.body.x"};
  ex.scale_parameter = model.find_parameter("mass.body.m");
  const TestBench bench(model, ex, SolveOptions{}, {{"mass.body.m", 3.0}, {"mass.body.x", 0.1}});
  const characterize::Setup s = bench.setup(Overrides{}.with("mass.body.m", 5.0).with("excitation.amplitude", 2.0));
  EXPECT_EQ(s.parameters[static_cast<std::size_t>(*model.find_parameter("mass.body.m"))], 5.0);
  EXPECT_EQ(s.initial_state[0], 0.1);
  EXPECT_EQ(s.scale, 5.0);
  EXPECT_THROW(bench.setup(Overrides{}.with("mass.body.nope", 1.0)), Error);
}

// The warm start is the linear periodic solution at t = 0: x = Im(F H), v = Im(j w F H).
TEST(TestBench, PeriodicStartIsTheLinearSteadyState) {
  const TestBench bench = msd_bench();
  const characterize::Setup setup = bench.setup({});
  const TestBench::Start start = bench.periodic_start(setup, 0.0, {{3.0, 2.0}});
  ASSERT_TRUE(start.warm) << start.note;
  const std::complex<double> x = 2.0 * frf(3.0), v = std::complex<double>(0, 2 * M_PI * 3.0) * x;
  EXPECT_NEAR(start.x[0], x.imag(), 1e-15);
  EXPECT_NEAR(start.x[1], v.imag(), 1e-14);
}

TEST(TestBench, SteadySineGivesExactPhasorsAndHarmonics) {
  const TestBench bench = msd_bench();
  SettleSpec settle;
  const SteadyResponse r = bench.steady_sine(bench.setup({}), 4.0, 10.0, 3.0, settle, {1, 2, 3});
  ASSERT_TRUE(r.ok) << r.message;
  EXPECT_TRUE(r.warm_start);
  EXPECT_TRUE(r.settled);
  EXPECT_LT(std::abs(r.harmonics[0] / (10.0 * frf(4.0)) - 1.0), 1e-7);
  EXPECT_LT(std::abs(r.harmonics[1]), 1e-9 * std::abs(r.harmonics[0]));
  EXPECT_NEAR(r.mean, 3.0 / 1000.0, 1e-10);  // the DC part: F / k
}

TEST(TestBench, RunSamplesExactlyWhereAsked) {
  const TestBench bench = msd_bench();
  const characterize::Setup setup = bench.setup({});
  const std::vector<double> t = {0.1, 0.25, 0.5};
  const Record r = bench.run(
      setup, setup.initial_state, [](double) { return 1000.0; }, 0.6, t);
  ASSERT_TRUE(r.ok) << r.message;
  EXPECT_EQ(r.t, t);
  // A step of 1000 N: x = (1 - e^(-t) (cos wd t + sin wd t / wd)) / 1 m, with zeta wn = 1.
  const double wd = std::sqrt(999.0);
  for (std::size_t k = 0; k < t.size(); ++k)
    EXPECT_NEAR(r.y[k], 1.0 - std::exp(-t[k]) * (std::cos(wd * t[k]) + std::sin(wd * t[k]) / wd), 1e-8);
}

TEST(TestBench, AZeroScaleParameterFailsTheRunWithAReason) {
  const TestBench bench = msd_bench();
  const characterize::Setup setup = bench.setup(Overrides{}.with("mass.body.m", 0.0));
  const Record r = bench.run(setup, setup.initial_state, [](double) { return 1.0; }, 1.0, {0.5});
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.message.find("scale_by"), std::string::npos) << r.message;
}

}  // namespace
}  // namespace numen::characterize
