// BDF (bdf.cpp) on the heat rod (tests/problems/heat_rod.h), a large stiff problem with a tridiagonal Jacobian:
// written in the model language and compiled, and in C++, its answers against the exact solution of the discretized
// rod, with the banded LU (chosen for its narrow band) and with SparseLU.
#include <gtest/gtest.h>

#include <cmath>

#include "numen/numen.h"
#include "problems/heat_rod.h"
#include "solve/linear.h"

namespace numen {
namespace {

using problems::HeatRod;
using problems::HeatRodSpec;

double max_error(const Solution& s, const std::vector<double>& exact) {
  double worst = 0.0;
  for (int i = 0; i < s.n_states; ++i)
    worst = std::max(worst, std::fabs(s.state(i, s.t.size() - 1) - exact[static_cast<std::size_t>(i)]));
  return worst;
}

struct BandedLuSetting {
  explicit BandedLuSetting(bool on) : previous(detail::banded_lu_enabled()) { detail::set_banded_lu(on); }
  ~BandedLuSetting() { detail::set_banded_lu(previous); }
  bool previous;
};

HeatRodSpec rod(int n) {
  HeatRodSpec spec;
  spec.n = n;
  return spec;
}

/// The settings heat_rod_model writes into the model file (rtol 1e-6, atol 1e-8 to t_end), for the C++ rod.
SolveOptions rod_options(const HeatRodSpec& spec, const char* method) {
  SolveOptions o;
  o.method = method;
  o.t1 = spec.t_end;
  o.rtol = 1e-6;
  o.atol = {1e-8};
  o.n_save_points = 2;
  return o;
}

// The largest error a solve at rtol 1e-6, atol 1e-8 may leave on this rod (amplitudes up to 1.5 K): rtol times the
// amplitude. The tolerances bound local errors; on this dissipative problem the global error stays below them
// (about 1.5e-7 K at every size, bench/README.md).
constexpr double kTolerance = 1e-6;

TEST(Bdf, SolvesTheHeatRodModelToItsExactSolution) {
  const HeatRodSpec spec = rod(500);
  const Model model = Model::compile(problems::heat_rod_model(spec), "heat_rod.yaml");
  ASSERT_EQ(model.states().size(), 500u);
  const SolveOptions o = model.simulate();
  EXPECT_EQ(o.method, "BDF");
  const Solution s = solve(model, o);
  ASSERT_TRUE(s.ok()) << s.message;
  const std::vector<double> exact = spec.exact(spec.t_end);
  EXPECT_LT(max_error(s, exact), kTolerance);
  // Not by accident of a trivial answer: the first mode has decayed to 0.37 of its start.
  EXPECT_NEAR(s.state(249, s.t.size() - 1), exact[249], kTolerance);
  EXPECT_NEAR(exact[249], std::exp(spec.lambda(1) * spec.t_end) - 0.5 * std::exp(spec.lambda(3) * spec.t_end), 1e-5);
}

TEST(Bdf, BandedLuAndSparseLuGiveTheSameHeatRodSolution) {
  const HeatRodSpec spec = rod(3000);
  HeatRod problem(spec);
  const SolveOptions o = rod_options(spec, "BDF");
  const std::vector<double> u0 = spec.exact(0.0), exact = spec.exact(spec.t_end);
  Solution banded, sparse;
  {
    BandedLuSetting on(true);
    banded = solve(problem, u0, o);
  }
  {
    BandedLuSetting off(false);
    sparse = solve(problem, u0, o);
  }
  ASSERT_TRUE(banded.ok()) << banded.message;
  ASSERT_TRUE(sparse.ok()) << sparse.message;
  EXPECT_LT(max_error(banded, exact), kTolerance);
  EXPECT_LT(max_error(sparse, exact), kTolerance);
  // The two factorizations round differently, but the steps they lead to are the same and the solutions agree far
  // inside the tolerances.
  EXPECT_EQ(banded.stats.accepted_steps, sparse.stats.accepted_steps);
  double worst = 0.0;
  for (int i = 0; i < banded.n_states; ++i) worst = std::max(worst, std::fabs(banded.state(i, 1) - sparse.state(i, 1)));
  EXPECT_LT(worst, 1e-9);
}

// RadauIIA5 factors the complex Newton matrix too: banded as well.
TEST(Bdf, RadauSolvesTheHeatRodWithTheComplexBandedLu) {
  const HeatRodSpec spec = rod(1000);
  HeatRod problem(spec);
  const SolveOptions o = rod_options(spec, "RadauIIA5");
  const Solution s = solve(problem, spec.exact(0.0), o);
  ASSERT_TRUE(s.ok()) << s.message;
  EXPECT_LT(max_error(s, spec.exact(spec.t_end)), kTolerance);
}

}  // namespace
}  // namespace numen
