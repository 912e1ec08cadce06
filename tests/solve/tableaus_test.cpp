// Every method's coefficients checked against what makes them a method of the order the method table says
// (numen/methods.h, the one registry): node sums, weights, the Butcher order conditions up to order 4 for the
// solution and for the embedded estimate, and the structure each family relies on. A tableau typed in wrong, or a
// registry row that claims another order than its tableau, fails here before any convergence test.
#include "solve/tableaus.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "numen/methods.h"

namespace numen::detail {
namespace {

constexpr double kTol = 1e-12;

std::vector<std::string> names_of(std::initializer_list<MethodFamily> families) {
  std::vector<std::string> out;
  for (const MethodInfo& m : methods())
    for (MethodFamily f : families)
      if (m.family == f) out.push_back(m.name);
  return out;
}

// The Butcher order conditions of the rooted trees up to order 4, for weights w over an explicit or implicit
// matrix a (s x s, row-major) with nodes c.
void expect_order_conditions(const std::vector<double>& w, const std::vector<double>& a, const std::vector<double>& c,
                             int s, int order, const std::string& what) {
  auto A = [&](int i, int j) { return a[static_cast<std::size_t>(i * s + j)]; };
  std::vector<double> ac(static_cast<std::size_t>(s), 0.0), ac2(static_cast<std::size_t>(s), 0.0),
      aac(static_cast<std::size_t>(s), 0.0);
  for (int i = 0; i < s; ++i)
    for (int j = 0; j < s; ++j) {
      ac[static_cast<std::size_t>(i)] += A(i, j) * c[static_cast<std::size_t>(j)];
      ac2[static_cast<std::size_t>(i)] += A(i, j) * c[static_cast<std::size_t>(j)] * c[static_cast<std::size_t>(j)];
    }
  for (int i = 0; i < s; ++i)
    for (int j = 0; j < s; ++j) aac[static_cast<std::size_t>(i)] += A(i, j) * ac[static_cast<std::size_t>(j)];
  auto sum = [&](auto term) {
    double total = 0;
    for (int i = 0; i < s; ++i) total += w[static_cast<std::size_t>(i)] * term(static_cast<std::size_t>(i));
    return total;
  };
  const double tol = 1e-10;
  if (order >= 1) EXPECT_NEAR(sum([](std::size_t) { return 1.0; }), 1.0, tol) << what << ": sum b = 1";
  if (order >= 2) EXPECT_NEAR(sum([&](std::size_t i) { return c[i]; }), 0.5, tol) << what << ": sum b c = 1/2";
  if (order >= 3) {
    EXPECT_NEAR(sum([&](std::size_t i) { return c[i] * c[i]; }), 1.0 / 3, tol) << what << ": sum b c^2 = 1/3";
    EXPECT_NEAR(sum([&](std::size_t i) { return ac[i]; }), 1.0 / 6, tol) << what << ": sum b a c = 1/6";
  }
  if (order >= 4) {
    EXPECT_NEAR(sum([&](std::size_t i) { return c[i] * c[i] * c[i]; }), 0.25, tol) << what << ": sum b c^3 = 1/4";
    EXPECT_NEAR(sum([&](std::size_t i) { return c[i] * ac[i]; }), 1.0 / 8, tol) << what << ": sum b c a c = 1/8";
    EXPECT_NEAR(sum([&](std::size_t i) { return ac2[i]; }), 1.0 / 12, tol) << what << ": sum b a c^2 = 1/12";
    EXPECT_NEAR(sum([&](std::size_t i) { return aac[i]; }), 1.0 / 24, tol) << what << ": sum b a a c = 1/24";
  }
}

class ExplicitTableau : public ::testing::TestWithParam<std::string> {};

TEST_P(ExplicitTableau, IsAPairOfTheRegistrysOrder) {
  const MethodInfo* m = find_method(GetParam());
  const ErkTableau* t = find_erk_tableau(GetParam());
  ASSERT_TRUE(m && t) << GetParam();
  EXPECT_EQ(t->order, m->order) << "the registry and the tableau disagree";
  const int total = t->total_stages(), s = t->stages;
  for (int i = 0; i < total; ++i) {
    double row = 0;
    for (int j = 0; j < total; ++j) {
      row += t->a[static_cast<std::size_t>(i * total + j)];
      if (j >= i) EXPECT_EQ(t->a[static_cast<std::size_t>(i * total + j)], 0.0) << "explicit: a is strictly lower";
    }
    EXPECT_NEAR(row, t->c[static_cast<std::size_t>(i)], kTol) << GetParam() << ": c_" << i << " = sum_j a_" << i << "j";
  }
  // The step's stages alone (the dense-output stages do not enter the solution).
  std::vector<double> a(static_cast<std::size_t>(s * s));
  for (int i = 0; i < s; ++i)
    for (int j = 0; j < s; ++j) a[static_cast<std::size_t>(i * s + j)] = t->a[static_cast<std::size_t>(i * total + j)];
  expect_order_conditions(t->b, a, t->c, s, std::min(m->order, 4), GetParam() + " solution");
  if (!t->btilde.empty()) {
    std::vector<double> embedded(static_cast<std::size_t>(s));
    double sum = 0;
    for (int i = 0; i < s; ++i) {
      embedded[static_cast<std::size_t>(i)] = t->b[static_cast<std::size_t>(i)] - t->btilde[static_cast<std::size_t>(i)];
      sum += t->btilde[static_cast<std::size_t>(i)];
    }
    EXPECT_NEAR(sum, 0.0, kTol) << GetParam() << ": the error weights sum to 0";
    expect_order_conditions(embedded, a, t->c, s, std::min(t->embedded_order, 4), GetParam() + " embedded");
  }
  if (t->fsal)
    for (int j = 0; j < s; ++j)
      EXPECT_NEAR(t->a[static_cast<std::size_t>((s - 1) * total + j)], t->b[static_cast<std::size_t>(j)], kTol)
          << "FSAL: b is a's last row";
}

INSTANTIATE_TEST_SUITE_P(Methods, ExplicitTableau,
                         ::testing::ValuesIn(names_of({MethodFamily::ExplicitRK, MethodFamily::FixedStep})),
                         [](const auto& info) { return info.param; });

class RosenbrockTableauCheck : public ::testing::TestWithParam<std::string> {};

TEST_P(RosenbrockTableauCheck, HasTheRegistrysOrderAndConsistentWeights) {
  const MethodInfo* m = find_method(GetParam());
  const RosenbrockTableau* t = find_rosenbrock_tableau(GetParam());
  ASSERT_TRUE(m && t) << GetParam();
  EXPECT_EQ(t->order, m->order);
  EXPECT_GT(t->gamma, 0.0);
  // Hairer's transformed form (a, C, b in terms of the stage increments) has no simple Butcher conditions: its
  // orders are measured in explicit_rk_test.cpp; here the structure the stepper relies on.
  for (int i = 0; i < t->stages; ++i)
    for (int j = i; j < t->stages; ++j) {
      EXPECT_EQ(t->a[static_cast<std::size_t>(i * t->stages + j)], 0.0) << "a is strictly lower";
      EXPECT_EQ(t->C[static_cast<std::size_t>(i * t->stages + j)], 0.0) << "C is strictly lower";
    }
  EXPECT_EQ(t->b.size(), static_cast<std::size_t>(t->stages));
  EXPECT_EQ(t->btilde.size(), static_cast<std::size_t>(t->stages));
}

// Rosenbrock23 is Shampine's ode23s, written out in rosenbrock.cpp rather than as a tableau.
std::vector<std::string> rosenbrock_tableaus() {
  std::vector<std::string> out;
  for (const std::string& n : names_of({MethodFamily::Rosenbrock}))
    if (find_rosenbrock_tableau(n)) out.push_back(n);
  return out;
}

INSTANTIATE_TEST_SUITE_P(Methods, RosenbrockTableauCheck, ::testing::ValuesIn(rosenbrock_tableaus()),
                         [](const auto& info) { return info.param; });

class DirkTableauCheck : public ::testing::TestWithParam<std::string> {};

TEST_P(DirkTableauCheck, IsAnImplicitPairOfTheRegistrysOrder) {
  const MethodInfo* m = find_method(GetParam());
  const DirkTableau* t = find_dirk_tableau(GetParam());
  ASSERT_TRUE(m && t) << GetParam();
  EXPECT_EQ(t->order, m->order);
  const int s = t->stages;
  for (int i = 0; i < s; ++i) {
    double row = 0;
    for (int j = 0; j < s; ++j) {
      row += t->a[static_cast<std::size_t>(i * s + j)];
      if (j > i) EXPECT_EQ(t->a[static_cast<std::size_t>(i * s + j)], 0.0) << "diagonally implicit: a is lower";
    }
    EXPECT_NEAR(row, t->c[static_cast<std::size_t>(i)], kTol) << GetParam() << ": c_" << i;
  }
  if (t->explicit_first) EXPECT_EQ(t->a[0], 0.0);
  if (t->stiffly_accurate)
    for (int j = 0; j < s; ++j)
      EXPECT_NEAR(t->a[static_cast<std::size_t>((s - 1) * s + j)], t->b[static_cast<std::size_t>(j)], kTol);
  expect_order_conditions(t->b, t->a, t->c, s, std::min(m->order, 4), GetParam() + " solution");
  double sum = 0;
  for (double e : t->btilde) sum += e;
  EXPECT_NEAR(sum, 0.0, kTol) << "the error weights sum to 0";
}

INSTANTIATE_TEST_SUITE_P(Methods, DirkTableauCheck, ::testing::ValuesIn(names_of({MethodFamily::SDIRK})),
                         [](const auto& info) { return info.param; });

TEST(RadauTableauCheck, IsTheCollocationMethodOfTheRegistrysOrder) {
  for (const std::string& name : names_of({MethodFamily::ImplicitRK})) {
    const MethodInfo* m = find_method(name);
    const RadauTableau* t = find_radau_tableau(name);
    ASSERT_TRUE(m && t) << name;
    EXPECT_EQ(t->order, m->order);
    std::vector<double> a(t->a.begin(), t->a.end()), c(t->c.begin(), t->c.end());
    for (int i = 0; i < 3; ++i) EXPECT_NEAR(a[static_cast<std::size_t>(3 * i)] + a[static_cast<std::size_t>(3 * i + 1)] +
                                                a[static_cast<std::size_t>(3 * i + 2)],
                                            c[static_cast<std::size_t>(i)], kTol);
    // Stiffly accurate: the weights are A's last row, and satisfy the conditions up to order 4 (order 5 is
    // collocation's superconvergence, shown in radau_test.cpp).
    expect_order_conditions({a[6], a[7], a[8]}, a, c, 3, 4, name);
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j) {
        double p = 0;
        for (int k = 0; k < 3; ++k) p += t->T[static_cast<std::size_t>(3 * i + k)] * t->TI[static_cast<std::size_t>(3 * k + j)];
        EXPECT_NEAR(p, i == j ? 1.0 : 0.0, 1e-12) << "T TI = I";
      }
  }
}

// Every row of the registry is a method the solver can build from a tableau, or one of the few written out by hand.
TEST(MethodRegistry, EveryMethodHasItsTableauOrIsWrittenOutByHand) {
  const std::vector<std::string> by_hand = {"Auto", "BulirschStoer", "BDF", "Rosenbrock23"};
  for (const MethodInfo& m : methods()) {
    const bool tableau = find_erk_tableau(m.name) || find_rosenbrock_tableau(m.name) || find_dirk_tableau(m.name) ||
                         find_radau_tableau(m.name) || find_symplectic_tableau(m.name);
    const bool hand = std::find(by_hand.begin(), by_hand.end(), m.name) != by_hand.end();
    EXPECT_NE(tableau, hand) << m.name;
  }
}

TEST(SymplecticTableauCheck, CompositionsAdvanceTimeByOneStep) {
  for (const std::string& name : names_of({MethodFamily::Symplectic})) {
    const MethodInfo* m = find_method(name);
    const SymplecticTableau* t = find_symplectic_tableau(name);
    ASSERT_TRUE(m && t) << name;
    EXPECT_EQ(t->order, m->order);
    double kick = 0, drift = 0;
    for (double k : t->kick) kick += k;
    for (double d : t->drift) drift += d;
    EXPECT_NEAR(kick, 1.0, kTol) << name;
    EXPECT_NEAR(drift, 1.0, kTol) << name;
  }
}

}  // namespace
}  // namespace numen::detail
