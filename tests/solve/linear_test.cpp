// NewtonMatrix (solve/linear.cpp): which factorization it picks from the problem's pattern, and that the banded LU,
// SparseLU and the dense LU solve the same Newton systems alpha M - J (real and complex, with and without a general
// mass matrix).
#include <gtest/gtest.h>

#include <complex>
#include <random>

#include <Eigen/Dense>

#include "numen/options.h"
#include "solve/linear.h"

namespace numen::detail {
namespace {

// f = J x with a fixed random banded J (kl subdiagonals, ku superdiagonals; a diagonal up to 50 against alpha = 3,
// so that some of W's diagonal entries are small and pivots come from below), optionally M x' = f with a random
// tridiagonal M.
class BandedProblem final : public OdeProblem {
 public:
  BandedProblem(int n, int kl, int ku, bool general_mass, unsigned seed) : n_(n) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    j_ = Eigen::MatrixXd::Zero(n, n);
    m_ = Eigen::MatrixXd::Identity(n, n);
    pattern_.n = mass_pattern_.n = n;
    pattern_.col_start.push_back(0);
    mass_pattern_.col_start.push_back(0);
    for (int j = 0; j < n; ++j) {
      for (int i = std::max(0, j - ku); i <= std::min(n - 1, j + kl); ++i) {
        pattern_.row_index.push_back(i);
        j_(i, j) = i == j ? 50.0 * u(rng) : 2.0 * u(rng);
        values_.push_back(j_(i, j));
      }
      pattern_.col_start.push_back(static_cast<int>(pattern_.row_index.size()));
      for (int i = std::max(0, j - 1); i <= std::min(n - 1, j + 1); ++i) {
        mass_pattern_.row_index.push_back(i);
        m_(i, j) = i == j ? 2.0 : 0.3 * u(rng);
        mass_values_.push_back(m_(i, j));
      }
      mass_pattern_.col_start.push_back(static_cast<int>(mass_pattern_.row_index.size()));
    }
    if (!general_mass) m_ = Eigen::MatrixXd::Identity(n, n);
    general_mass_ = general_mass;
  }
  int size() const override { return n_; }
  void rhs(double, const double* x, double* dx) override {
    Eigen::Map<Eigen::VectorXd>(dx, n_) = j_ * Eigen::Map<const Eigen::VectorXd>(x, n_);
  }
  const SparsityPattern* jacobian_pattern() const override { return &pattern_; }
  void jacobian(double, const double*, double* values) override { std::copy(values_.begin(), values_.end(), values); }
  const SparsityPattern* mass_pattern() const override { return general_mass_ ? &mass_pattern_ : nullptr; }
  void mass_matrix(double, const double*, double* values) override {
    std::copy(mass_values_.begin(), mass_values_.end(), values);
  }
  const Eigen::MatrixXd& j() const { return j_; }
  const Eigen::MatrixXd& m() const { return m_; }

 private:
  int n_;
  bool general_mass_ = false;
  Eigen::MatrixXd j_, m_;
  SparsityPattern pattern_, mass_pattern_;
  std::vector<double> values_, mass_values_;
};

struct BandedLuSetting {
  explicit BandedLuSetting(bool on) : previous(banded_lu_enabled()) { set_banded_lu(on); }
  ~BandedLuSetting() { set_banded_lu(previous); }
  bool previous;
};

// Solves (alpha M - J) y = b and the complex (alpha + i beta) M - J system with NewtonMatrix; returns whether it
// chose the banded LU.
bool newton_solve(BandedProblem& p, double alpha, double beta, Eigen::VectorXd& y, Eigen::VectorXcd& z) {
  SolveOptions o;
  SolveStats stats;
  Integration ig(p, o, stats);
  NewtonMatrix w(ig);
  const std::vector<double> x(static_cast<std::size_t>(p.size()), 0.0);
  w.update_jacobian(0.0, x.data(), nullptr);
  EXPECT_TRUE(w.factor(alpha));
  w.solve(y.data());
  EXPECT_TRUE(w.factor_complex(alpha, beta));
  Eigen::VectorXd re = z.real(), im = z.imag();
  w.solve_complex(re.data(), im.data());
  z.real() = re;
  z.imag() = im;
  return w.banded();
}

TEST(NewtonMatrix, BandedSparseLuAndDenseSolveTheSameSystems) {
  const int shapes[][3] = {{120, 1, 1}, {150, 2, 3}, {100, 6, 1}, {130, 1, 8}};
  unsigned seed = 1;
  for (bool general_mass : {false, true})
    for (const auto& s : shapes) {
      BandedProblem p(s[0], s[1], s[2], general_mass, seed++);
      const int n = s[0];
      const double alpha = 3.0, beta = 2.0;
      std::mt19937 rng(seed);
      std::uniform_real_distribution<double> u(-1.0, 1.0);
      Eigen::VectorXd b(n);
      for (int i = 0; i < n; ++i) b(i) = u(rng);
      const Eigen::VectorXcd bc = b.cast<std::complex<double>>() * std::complex<double>(1.0, -0.5);
      // The reference: the dense LU of the same matrices.
      const Eigen::MatrixXd w = alpha * p.m() - p.j();
      const Eigen::VectorXd expected = w.partialPivLu().solve(b);
      const Eigen::MatrixXcd wc =
          std::complex<double>(alpha, beta) * p.m().cast<std::complex<double>>() - p.j().cast<std::complex<double>>();
      const Eigen::VectorXcd expected_c = wc.partialPivLu().solve(bc);
      const auto sv = Eigen::BDCSVD<Eigen::MatrixXd>(w).singularValues();
      const auto svc = Eigen::BDCSVD<Eigen::MatrixXcd>(wc).singularValues();
      const double kappa = sv(0) / sv(n - 1), kappa_c = svc(0) / svc(n - 1);
      ASSERT_LT(kappa, 1e8);
      for (bool banded : {true, false}) {
        BandedLuSetting setting(banded);
        Eigen::VectorXd y = b;
        Eigen::VectorXcd z = bc;
        EXPECT_EQ(newton_solve(p, alpha, beta, y, z), banded) << "n " << n;
        // Agreement to rounding times the condition number (of order 1e2-1e4 for these matrices).
        EXPECT_LT((y - expected).norm(), 1e-14 * kappa * expected.norm()) << "n " << n << " banded " << banded;
        EXPECT_LT((z - expected_c).norm(), 1e-14 * kappa_c * expected_c.norm()) << "n " << n << " banded " << banded;
      }
    }
}

TEST(NewtonMatrix, WideBandsGoToSparseLuAndSmallSystemsStayDense) {
  Eigen::VectorXd y = Eigen::VectorXd::Ones(400);
  Eigen::VectorXcd z = Eigen::VectorXcd::Ones(400);
  BandedProblem wide(400, 20, 20, false, 3);  // kl + ku = 40: past the banded LU's limit
  EXPECT_FALSE(newton_solve(wide, 3.0, 1.0, y, z));
  BandedProblem small(40, 1, 1, false, 4);  // small: dense LU
  Eigen::VectorXd ys = Eigen::VectorXd::Ones(40);
  Eigen::VectorXcd zs = Eigen::VectorXcd::Ones(40);
  EXPECT_FALSE(newton_solve(small, 3.0, 1.0, ys, zs));
}

}  // namespace
}  // namespace numen::detail
