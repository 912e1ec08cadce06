// Every tableau of the method registry (solve/registry.h: one row per method, naming its tableau and its
// constructor) checked against what makes it a method of the order its row says: node sums, the order conditions of
// every rooted tree up to the row's order for the solution and up to the tableau's embedded order for the error
// estimate's companion, and the structure each family relies on. The order is the row's alone (a tableau holds only
// coefficients): a tableau typed in wrong, or a row that claims more than its tableau gives, fails here before any
// convergence test. Then every row builds its stepper and
// solves y' = -y at its order.
#include "solve/tableaus.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>

#include "numen/methods.h"
#include "solve/problems.h"
#include "solve/registry.h"

namespace numen::detail {
namespace {

constexpr double kTol = 1e-12;
constexpr double kOrderTol = 1e-10;

std::size_t at(int i) { return static_cast<std::size_t>(i); }

// A rooted tree as the multiset of its subtrees (indices into the list that holds it), with its order |t| and
// density gamma(t) = |t| prod gamma(children).
struct Tree {
  int order;
  std::vector<int> children;
  double gamma;
};

// All rooted trees with up to p nodes (1, 2, 4, 9, 20, 48, 115, 286 of orders 1 .. 8, 719 up to 9).
const std::vector<Tree>& trees_up_to(int p) {
  static std::vector<Tree> trees = {{1, {}, 1.0}};
  static int built = 1;
  for (int n = built + 1; n <= p; ++n) {
    const int before = static_cast<int>(trees.size());
    std::vector<int> picked;
    std::function<void(int, int)> pick = [&](int remaining, int first) {
      if (remaining == 0) {
        double gamma = n;
        for (int k : picked) gamma *= trees[at(k)].gamma;
        trees.push_back({n, picked, gamma});
        return;
      }
      for (int k = first; k < before; ++k) {
        if (trees[at(k)].order > remaining) continue;
        picked.push_back(k);
        pick(remaining - trees[at(k)].order, k);
        picked.pop_back();
      }
    };
    pick(n - 1, 0);
    built = n;
  }
  return trees;
}

// The Butcher order conditions sum_i w_i Phi_i(t) = 1 / gamma(t) for every tree t of order <= p, with the
// elementary weights Phi_i(t) = prod_children sum_j a_ij Phi_j(child) over an s x s (row-major) matrix a.
void expect_order_conditions(const std::vector<double>& w, const std::vector<double>& a, int s, int p,
                             const std::string& what) {
  const std::vector<Tree>& trees = trees_up_to(p);
  std::vector<std::vector<double>> phi;
  int failures = 0;
  for (const Tree& t : trees) {
    if (t.order > p) break;
    std::vector<double> v(at(s), 1.0);
    for (int child : t.children)
      for (int i = 0; i < s; ++i) {
        double sum = 0;
        for (int j = 0; j < s; ++j) sum += a[at(i * s + j)] * phi[at(child)][at(j)];
        v[at(i)] *= sum;
      }
    double total = 0;
    for (int i = 0; i < s; ++i) total += w[at(i)] * v[at(i)];
    phi.push_back(std::move(v));
    if (std::fabs(total - 1.0 / t.gamma) > kOrderTol && ++failures <= 3)
      ADD_FAILURE() << what << ": the condition of a tree of order " << t.order << " (gamma " << t.gamma << ") gives "
                    << total << ", not " << 1.0 / t.gamma;
  }
  EXPECT_EQ(failures, 0) << what << ": order conditions broken up to order " << p;
}

// Rows sums c_i = sum_j a_ij over an s x s (row-major) matrix.
void expect_row_sums(const std::vector<double>& a, const std::vector<double>& c, int s, const std::string& what) {
  for (int i = 0; i < s; ++i) {
    double row = 0;
    for (int j = 0; j < s; ++j) row += a[at(i * s + j)];
    EXPECT_NEAR(row, c[at(i)], kTol) << what << ": c_" << i << " = sum_j a_" << i << "j";
  }
}

void expect_sum(const std::vector<double>& v, double expected, const std::string& what) {
  double sum = 0;
  for (double x : v) sum += x;
  EXPECT_NEAR(sum, expected, kTol) << what;
}

std::vector<double> minus(const std::vector<double>& b, const std::vector<double>& btilde) {
  std::vector<double> out(b.size());
  for (std::size_t i = 0; i < b.size(); ++i) out[i] = b[i] - btilde[i];
  return out;
}

void check_erk(const MethodRow& row, const ErkTableau& t) {
  const std::string& name = row.info.name;
  const int total = t.total_stages(), s = t.stages;
  for (int i = 0; i < total; ++i)
    for (int j = i; j < total; ++j) {
      EXPECT_EQ(t.a[at(i * total + j)], 0.0) << name << ": explicit: a is strictly lower";
    }
  expect_row_sums(t.a, t.c, total, name);
  // The step's stages alone (the dense-output stages do not enter the solution).
  std::vector<double> a(at(s * s));
  for (int i = 0; i < s; ++i)
    for (int j = 0; j < s; ++j) a[at(i * s + j)] = t.a[at(i * total + j)];
  expect_order_conditions(t.b, a, s, row.info.order, name + " solution");
  if (!t.btilde.empty()) {
    expect_sum(t.btilde, 0.0, name + ": the error weights sum to 0");
    expect_order_conditions(minus(t.b, t.btilde), a, s, t.embedded_order, name + " embedded");
  }
  if (t.fsal)
    for (int j = 0; j < s; ++j) {
      EXPECT_NEAR(t.a[at((s - 1) * total + j)], t.b[at(j)], kTol) << "FSAL: b is a's last row";
    }
}

void check_dirk(const MethodRow& row, const DirkTableau& t) {
  const std::string& name = row.info.name;
  const int s = t.stages;
  for (int i = 0; i < s; ++i)
    for (int j = i + 1; j < s; ++j) {
      EXPECT_EQ(t.a[at(i * s + j)], 0.0) << name << ": diagonally implicit: a is lower";
    }
  expect_row_sums(t.a, t.c, s, name);
  if (t.explicit_first) {
    EXPECT_EQ(t.a[0], 0.0);
  }
  if (t.stiffly_accurate)
    for (int j = 0; j < s; ++j) {
      EXPECT_NEAR(t.a[at((s - 1) * s + j)], t.b[at(j)], kTol) << name << ": stiffly accurate";
    }
  expect_order_conditions(t.b, t.a, s, row.info.order, name + " solution");
  expect_sum(t.btilde, 0.0, name + ": the error weights sum to 0");
  expect_order_conditions(minus(t.b, t.btilde), t.a, s, t.embedded_order, name + " embedded");
}

void check_radau(const MethodRow& row, const RadauTableau& t) {
  const std::string& name = row.info.name;
  const std::vector<double> a(t.a.begin(), t.a.end()), c(t.c.begin(), t.c.end());
  expect_row_sums(a, c, 3, name);
  // Stiffly accurate: the weights are A's last row; collocation at the Radau points gives order 2s - 1 = 5.
  expect_order_conditions({a[6], a[7], a[8]}, a, 3, row.info.order, name);
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) {
      double p = 0;
      for (int k = 0; k < 3; ++k) p += t.T[at(3 * i + k)] * t.TI[at(3 * k + j)];
      EXPECT_NEAR(p, i == j ? 1.0 : 0.0, 1e-12) << name << ": T TI = I";
    }
}

// Hairer's transformed form back to the standard one (Hairer & Wanner IV.7): Gamma^-1 = diag(1 / gamma) - C,
// alpha = a Gamma, b_std = b Gamma; then the Rosenbrock order conditions of Table 7.1 (up to order 4; Rodas5P's
// fifth-order ones are left to its measured order in stiff_methods_test.cpp).
void check_rosenbrock(const MethodRow& row, const RosenbrockTableau& t) {
  const std::string& name = row.info.name;
  const int s = t.stages;
  const double g = t.gamma;
  EXPECT_GT(g, 0.0);
  for (int i = 0; i < s; ++i)
    for (int j = i; j < s; ++j) {
      EXPECT_EQ(t.a[at(i * s + j)], 0.0) << name << ": a is strictly lower";
      EXPECT_EQ(t.C[at(i * s + j)], 0.0) << name << ": C is strictly lower";
    }
  ASSERT_EQ(t.b.size(), at(s));
  ASSERT_EQ(t.btilde.size(), at(s));
  // Gamma, lower triangular, by forward substitution on Gamma^-1 Gamma = I.
  std::vector<double> ginv(at(s * s), 0.0), G(at(s * s), 0.0);
  for (int i = 0; i < s; ++i)
    for (int j = 0; j < s; ++j) ginv[at(i * s + j)] = (i == j ? 1.0 / g : 0.0) - t.C[at(i * s + j)];
  for (int col = 0; col < s; ++col)
    for (int i = 0; i < s; ++i) {
      double r = i == col ? 1.0 : 0.0;
      for (int k = 0; k < i; ++k) r -= ginv[at(i * s + k)] * G[at(k * s + col)];
      G[at(i * s + col)] = r / ginv[at(i * s + i)];
    }
  auto times_gamma = [&](const std::vector<double>& m, int rows) {
    std::vector<double> out(at(rows * s), 0.0);
    for (int i = 0; i < rows; ++i)
      for (int j = 0; j < s; ++j)
        for (int k = 0; k < s; ++k) out[at(i * s + j)] += m[at(i * s + k)] * G[at(k * s + j)];
    return out;
  };
  const std::vector<double> alpha = times_gamma(t.a, s);
  std::vector<double> alpha_sums(at(s)), gamma_sums(at(s)), beta(at(s * s), 0.0);
  for (int i = 0; i < s; ++i)
    for (int j = 0; j < s; ++j) {
      alpha_sums[at(i)] += alpha[at(i * s + j)];
      gamma_sums[at(i)] += G[at(i * s + j)];
      if (j < i) beta[at(i * s + j)] = alpha[at(i * s + j)] + G[at(i * s + j)];
    }
  for (int i = 0; i < s; ++i) {
    EXPECT_NEAR(alpha_sums[at(i)], t.c[at(i)], kTol) << name << ": c_" << i << " = sum_j alpha_" << i << "j";
    EXPECT_NEAR(gamma_sums[at(i)], t.d[at(i)], kTol) << name << ": d_" << i << " = sum_j gamma_" << i << "j";
  }
  auto conditions = [&](const std::vector<double>& w_transformed, int p, const std::string& what) {
    const std::vector<double> w = times_gamma(w_transformed, 1);
    auto mul = [&](const std::vector<double>& m, const std::vector<double>& v) {
      std::vector<double> out(at(s), 0.0);
      for (int i = 0; i < s; ++i)
        for (int j = 0; j < s; ++j) out[at(i)] += m[at(i * s + j)] * v[at(j)];
      return out;
    };
    auto dot = [&](const std::vector<double>& v) {
      double sum = 0;
      for (int i = 0; i < s; ++i) sum += w[at(i)] * v[at(i)];
      return sum;
    };
    auto pow = [&](int k) {
      std::vector<double> out(at(s));
      for (int i = 0; i < s; ++i) out[at(i)] = std::pow(alpha_sums[at(i)], k);
      return out;
    };
    const std::vector<double> one(at(s), 1.0), b1 = mul(beta, one), bb1 = mul(beta, b1);
    const double tol = kOrderTol;
    if (p >= 1) {
      EXPECT_NEAR(dot(one), 1.0, tol) << what << ": order 1";
    }
    if (p >= 2) {
      EXPECT_NEAR(dot(b1), 0.5 - g, tol) << what << ": order 2";
    }
    if (p >= 3) {
      EXPECT_NEAR(dot(pow(2)), 1.0 / 3, tol) << what << ": order 3, sum b alpha^2";
      EXPECT_NEAR(dot(bb1), 1.0 / 6 - g + g * g, tol) << what << ": order 3, sum b beta beta'";
    }
    if (p >= 4) {
      std::vector<double> c_alpha_b1 = mul(alpha, b1);
      for (int i = 0; i < s; ++i) c_alpha_b1[at(i)] *= alpha_sums[at(i)];
      EXPECT_NEAR(dot(pow(3)), 0.25, tol) << what << ": order 4, sum b alpha^3";
      EXPECT_NEAR(dot(c_alpha_b1), 1.0 / 8 - g / 3, tol) << what << ": order 4, sum b alpha alpha beta'";
      EXPECT_NEAR(dot(mul(beta, pow(2))), 1.0 / 12 - g / 3, tol) << what << ": order 4, sum b beta alpha^2";
      EXPECT_NEAR(dot(mul(beta, bb1)), 1.0 / 24 - g / 2 + 1.5 * g * g - g * g * g, tol)
          << what << ": order 4, sum b beta beta beta'";
    }
  };
  conditions(t.b, std::min(row.info.order, 4), name + " solution");
  conditions(minus(t.b, t.btilde), std::min(t.embedded_order, 4), name + " embedded");
}

void check_symplectic(const MethodRow& row, const SymplecticTableau& t) {
  // A composition of kicks and drifts advances q and v by one whole step each.
  expect_sum(t.kick, 1.0, row.info.name + ": kicks");
  expect_sum(t.drift, 1.0, row.info.name + ": drifts");
  EXPECT_EQ(t.kick.size(), t.drift.size());
}

std::vector<std::string> rows_with_tableaus() {
  std::vector<std::string> out;
  for (const MethodRow& row : method_rows())
    if (!row.tableau.empty()) out.push_back(row.info.name);
  return out;
}

class Tableau : public ::testing::TestWithParam<std::string> {};

TEST_P(Tableau, IsAMethodOfItsRowsOrder) {
  const MethodRow* row = find_method_row(GetParam());
  ASSERT_NE(row, nullptr);
  const TableauRef& t = row->tableau;
  const int kinds = !!t.erk + !!t.rosenbrock + !!t.dirk + !!t.radau + !!t.symplectic;
  EXPECT_EQ(kinds, 1) << "a row names one tableau";
  if (t.erk) check_erk(*row, *t.erk);
  if (t.rosenbrock) check_rosenbrock(*row, *t.rosenbrock);
  if (t.dirk) check_dirk(*row, *t.dirk);
  if (t.radau) check_radau(*row, *t.radau);
  if (t.symplectic) check_symplectic(*row, *t.symplectic);
}

INSTANTIATE_TEST_SUITE_P(Methods, Tableau, ::testing::ValuesIn(rows_with_tableaus()),
                         [](const auto& info) { return info.param; });

TEST(TreeCount, MatchesTheKnownNumbersOfRootedTrees) {
  const std::vector<Tree>& trees = trees_up_to(9);
  std::vector<int> count(10, 0);
  for (const Tree& t : trees) ++count[at(t.order)];
  EXPECT_EQ(count, (std::vector<int>{0, 1, 1, 2, 4, 9, 20, 48, 115, 286}));
}

// The rows are the one list: methods() is their public half, in their order, and find_method and find_method_row
// agree; only the methods written out by hand name no tableau.
TEST(MethodRegistry, RowsAreTheMethodTable) {
  const std::vector<MethodRow>& rows = method_rows();
  ASSERT_EQ(rows.size(), methods().size());
  const std::vector<std::string> by_hand = {"Auto", "BulirschStoer", "BDF", "Rosenbrock23"};
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const MethodInfo& info = methods()[i];
    EXPECT_EQ(&method_row(info), &rows[i]);
    EXPECT_EQ(info.name, rows[i].info.name);
    EXPECT_EQ(find_method_row(info.name), &rows[i]);
    for (const std::string& alias : info.aliases) {
      EXPECT_EQ(find_method_row(alias), &rows[i]) << alias;
    }
    EXPECT_NE(rows[i].make, nullptr) << info.name;
    const bool hand = std::find(by_hand.begin(), by_hand.end(), info.name) != by_hand.end();
    EXPECT_EQ(rows[i].tableau.empty(), hand) << info.name;
  }
}

test::LambdaProblem decay() {
  return test::LambdaProblem(
      1, [](double, const double* x, double* dx) { dx[0] = -x[0]; },
      [](double, const double*, double* j) { j[0] = -1.0; });
}

// The error at t = 2 of the row's stepper, built by its constructor and driven in steps of h (an adaptive method
// gets a tolerance so loose that every step is clipped to h, so it runs at fixed step too).
double fixed_step_error(const MethodRow& row, double h) {
  test::SeparableOscillator oscillator;
  test::LambdaProblem y = decay();
  OdeProblem& p = row.info.second_order ? static_cast<OdeProblem&>(oscillator) : y;
  SolveOptions o;
  o.t1 = 2.0;
  o.dt = o.dt0 = h;
  o.rtol = 1e3;
  o.atol = {1e3};
  SolveStats stats;
  Integration ig(p, o, stats);
  std::unique_ptr<Stepper> stepper = make_stepper(row.info, ig);
  EXPECT_NE(stepper, nullptr) << row.info.name;
  if (!stepper) return NAN;
  const std::vector<double> x0 = row.info.second_order ? std::vector<double>{1.0, 0.0} : std::vector<double>{1.0};
  stepper->reset(0.0, x0.data());
  // Fixed-step methods take steps of dt by themselves; adaptive ones are stopped at each multiple of h.
  const int steps = static_cast<int>(std::lround(o.t1 / h));
  for (int k = 1; k <= steps; ++k) {
    const double limit = !row.info.adaptive || k == steps ? o.t1 : k * h;
    if (!stepper->step(limit)) return NAN;
  }
  EXPECT_NEAR(stepper->t(), o.t1, 1e-12);
  return row.info.second_order ? std::hypot(stepper->x()[0] - std::cos(2.0), stepper->x()[1] + std::sin(2.0))
                               : std::fabs(stepper->x()[0] - std::exp(-2.0));
}

class EveryRow : public ::testing::TestWithParam<std::string> {};

// A method of order p halves h and divides its error by 2^p, or by more: on a linear problem the error is that of
// the stability function R(z) against e^z, whose order may exceed p (Tsit5's and Rodas5P's do, by about one). Rows of
// no fixed order (Auto, Bulirsch-Stoer) and the variable-order BDF are held to their tolerance through the public solve
// instead.
TEST_P(EveryRow, BuildsAStepperThatSolvesDecayAtItsOrder) {
  const MethodRow& row = *find_method_row(GetParam());
  if (row.info.order == 0 || row.info.family == MethodFamily::BDF) {
    test::LambdaProblem p = decay();
    SolveOptions o;
    o.method = row.info.name;
    o.t1 = 2.0;
    o.rtol = 1e-8;
    o.atol = {1e-10};
    o.n_save_points = 2;
    const Solution s = solve(p, {1.0}, o);
    ASSERT_EQ(s.status, SolveStatus::Success) << row.info.name;
    EXPECT_LT(std::fabs(s.state(0, 1) - std::exp(-2.0)), 1e-7) << row.info.name;
    return;
  }
  const int p = row.info.order;
  const double h = p >= 9 ? 1.0 : p >= 7 ? 0.5 : p >= 5 ? 0.2 : p >= 3 ? 0.1 : 0.02;  // errors above round-off
  const double e1 = fixed_step_error(row, h), e2 = fixed_step_error(row, h / 2);
  ASSERT_TRUE(std::isfinite(e1) && std::isfinite(e2) && e2 > 0) << row.info.name << ": " << e1 << ", " << e2;
  const double observed = std::log2(e1 / e2);
  EXPECT_GT(observed, p - 0.5) << row.info.name << ": errors " << e1 << ", " << e2;
  EXPECT_LT(observed, p + 1.5) << row.info.name << ": errors " << e1 << ", " << e2;
  EXPECT_GT(e2, 1e-13) << row.info.name << ": the finer error is at round-off: use a larger h";
}

std::vector<std::string> all_rows() {
  std::vector<std::string> out;
  for (const MethodRow& row : method_rows()) out.push_back(row.info.name);
  return out;
}

INSTANTIATE_TEST_SUITE_P(Methods, EveryRow, ::testing::ValuesIn(all_rows()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace numen::detail
