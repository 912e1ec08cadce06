// The banded LU (solve/banded.h) against Eigen's dense partial-pivoting LU on random banded matrices, real and
// complex, including ones whose zero diagonal forces a row interchange at every column.
// (LAPACK's dgbtrf is not linked here: the wasm build has no LAPACK, and Eigen's dense LU is the same algorithm.)
#include <gtest/gtest.h>

#include <complex>
#include <random>

#include <Eigen/Dense>

#include "solve/banded.h"

namespace numen::detail {
namespace {

template <class T>
T random_value(std::mt19937& rng) {
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  if constexpr (std::is_same_v<T, double>) {
    return u(rng);
  } else {
    const double re = u(rng);
    return T(re, u(rng));
  }
}

// Condition number in the 2-norm, for tolerances that hold whatever the random matrix.
template <class Matrix>
double condition(const Matrix& a) {
  const auto sv = Eigen::BDCSVD<Matrix>(a).singularValues();
  return sv(0) / sv(sv.size() - 1);
}

// A random n x n matrix with kl subdiagonals and ku superdiagonals, held both ways.
// General: uniform entries. ZeroDiagonal: every diagonal entry is zero, so that partial pivoting has to interchange
// rows at every column (without it the first pivot is zero); made by swapping the row pairs (2k, 2k + 1) of a
// diagonally dominant matrix with bandwidths kl - 1, ku - 1 whose entries (2k + 1, 2k) and (2k, 2k + 1) are zero,
// so it is as well conditioned as that matrix.
enum class Kind { General, ZeroDiagonal };

template <class T>
void random_banded(int n, int kl, int ku, Kind kind, unsigned seed, BandLU<T>& band,
                   Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>& dense) {
  std::mt19937 rng(seed);
  dense.setZero(n, n);
  if (kind == Kind::General) {
    for (int j = 0; j < n; ++j)
      for (int i = std::max(0, j - ku); i <= std::min(n - 1, j + kl); ++i) dense(i, j) = random_value<T>(rng);
  } else {
    Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic> b = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>::Zero(n, n);
    for (int j = 0; j < n; ++j)
      for (int i = std::max(0, j - (ku - 1)); i <= std::min(n - 1, j + (kl - 1)); ++i)
        b(i, j) = i == j ? T(kl + ku + 1.0) + random_value<T>(rng) : random_value<T>(rng);
    for (int k = 0; 2 * k + 1 < n; ++k) {
      b(2 * k + 1, 2 * k) = b(2 * k, 2 * k + 1) = T(0);
      dense.row(2 * k) = b.row(2 * k + 1);
      dense.row(2 * k + 1) = b.row(2 * k);
    }
    if (n % 2 == 1) dense.row(n - 1) = b.row(n - 1);
  }
  band.resize(n, kl, ku);
  for (int j = 0; j < n; ++j)
    for (int i = std::max(0, j - ku); i <= std::min(n - 1, j + kl); ++i) band.data()[band.position(i, j)] = dense(i, j);
}

template <class T>
void expect_solves_like_dense_lu(int n, int kl, int ku, Kind kind, unsigned seed) {
  using Matrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
  using Vector = Eigen::Matrix<T, Eigen::Dynamic, 1>;
  BandLU<T> band;
  Matrix a;
  random_banded<T>(n, kl, ku, kind, seed, band, a);
  if (kind == Kind::ZeroDiagonal) {
    for (int i = 0; i + 1 < n; ++i) ASSERT_EQ(a(i, i), T(0));
  }
  std::mt19937 rng(seed + 1000);
  Vector b(n);
  for (int i = 0; i < n; ++i) b(i) = random_value<T>(rng);
  const Eigen::PartialPivLU<Matrix> lu(a);
  const Vector x_dense = lu.solve(b);
  ASSERT_TRUE(band.factor()) << "n " << n << " kl " << kl << " ku " << ku << " seed " << seed;
  Vector x = b;
  band.solve(x.data());
  // Both are backward stable: the residual is rounding times |A| |x|, whatever A's condition; the solutions then
  // agree to rounding times the condition number.
  const double residual = (a * x - b).norm() / (a.norm() * x.norm());
  EXPECT_LT(residual, 1e-14) << "n " << n << " kl " << kl << " ku " << ku << " seed " << seed;
  const double kappa = condition(a);
  EXPECT_LT((x - x_dense).norm(), 1e-14 * kappa * x_dense.norm())
      << "n " << n << " kl " << kl << " ku " << ku << " condition " << kappa;
  if (kind == Kind::ZeroDiagonal) {
    EXPECT_LT(kappa, 10.0);  // the construction's promise, so the check above is tight
  }
  // Solving again with the same factors gives the same answer (solve leaves them untouched).
  Vector again = b;
  band.solve(again.data());
  EXPECT_EQ((again - x).norm(), 0.0);
}

TEST(BandLU, SolvesRandomBandedSystemsLikeDenseLU) {
  const int shapes[][3] = {{1, 0, 0},  {2, 1, 1},  {7, 1, 1},  {50, 1, 1},  {50, 2, 3},
                           {64, 3, 0}, {64, 0, 4}, {80, 5, 2}, {120, 7, 7}, {33, 12, 1}};
  unsigned seed = 1;
  for (const auto& s : shapes)
    for (int repeat = 0; repeat < 3; ++repeat)
      expect_solves_like_dense_lu<double>(s[0], s[1], s[2], Kind::General, seed++);
}

TEST(BandLU, PivotsWhenTheDiagonalIsZero) {
  const int shapes[][3] = {{2, 1, 1}, {9, 1, 1}, {60, 1, 1}, {61, 2, 2}, {100, 4, 3}, {100, 6, 1}, {100, 1, 5}};
  unsigned seed = 100;
  for (const auto& s : shapes)
    for (int repeat = 0; repeat < 3; ++repeat)
      expect_solves_like_dense_lu<double>(s[0], s[1], s[2], Kind::ZeroDiagonal, seed++);
}

TEST(BandLU, SolvesComplexBandedSystemsLikeDenseLU) {
  const int shapes[][3] = {{10, 1, 1}, {60, 1, 1}, {60, 3, 2}, {90, 4, 4}};
  unsigned seed = 200;
  for (const auto& s : shapes) {
    expect_solves_like_dense_lu<std::complex<double>>(s[0], s[1], s[2], Kind::General, seed++);
    expect_solves_like_dense_lu<std::complex<double>>(s[0], s[1], s[2], Kind::ZeroDiagonal, seed++);
  }
}

TEST(BandLU, ReportsASingularMatrix) {
  BandLU<double> band;
  Eigen::MatrixXd a;
  random_banded<double>(20, 1, 1, Kind::General, 7, band, a);
  for (int i = 0; i < 20; ++i)  // column 5 all zero
    if (std::abs(i - 5) <= 1) band.data()[band.position(i, 5)] = 0.0;
  EXPECT_FALSE(band.factor());
  random_banded<double>(20, 1, 1, Kind::General, 7, band, a);
  band.data()[band.position(3, 3)] = std::nan("");
  EXPECT_FALSE(band.factor());
}

TEST(BandLU, ReassemblesAfterSetZero) {
  BandLU<double> band, fresh;
  Eigen::MatrixXd a, b;
  random_banded<double>(40, 2, 1, Kind::ZeroDiagonal, 11, band, a);
  ASSERT_TRUE(band.factor());  // the factors and their fill-in now fill the storage
  band.set_zero();
  random_banded<double>(40, 2, 1, Kind::General, 12, fresh, b);
  for (int j = 0; j < 40; ++j)
    for (int i = std::max(0, j - 1); i <= std::min(39, j + 2); ++i) band.data()[band.position(i, j)] = b(i, j);
  ASSERT_TRUE(band.factor());
  ASSERT_TRUE(fresh.factor());
  Eigen::VectorXd x = Eigen::VectorXd::LinSpaced(40, -1.0, 2.0), y = x;
  band.solve(x.data());
  fresh.solve(y.data());
  EXPECT_EQ((x - y).norm(), 0.0);
}

}  // namespace
}  // namespace numen::detail
