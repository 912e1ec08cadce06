#pragma once
// LU factorization with partial pivoting of a banded matrix, in LAPACK's band storage (the algorithm of dgbtf2 /
// dgbtrs, unblocked: the bands this is chosen for are a few diagonals wide, where blocking gains nothing). A matrix
// with kl subdiagonals and ku superdiagonals is held column by column in ld = 2 kl + ku + 1 rows: A(i, j) at row
// kl + ku + i - j of column j; the top kl rows take the fill-in that row interchanges bring into U, whose upper
// bandwidth grows to kl + ku. Work and storage are O(n kl (kl + ku)), against Eigen's SparseLU's symbolic and
// supernodal bookkeeping, which dominates on the narrow bands of 1-D chains, rods and ladders.
//
// Pure C++, so the same code runs natively and in WebAssembly (which has no LAPACK). Templated on the scalar for
// Radau IIA's complex Newton matrix.
#include <algorithm>
#include <cmath>
#include <complex>
#include <cstddef>
#include <vector>

namespace numen::detail {

template <class T>
class BandLU {
 public:
  /// An n x n matrix with kl subdiagonals and ku superdiagonals, all zero.
  void resize(int n, int kl, int ku) {
    n_ = n;
    kl_ = kl;
    ku_ = ku;
    ld_ = 2 * kl + ku + 1;
    ab_.assign(static_cast<std::size_t>(ld_) * static_cast<std::size_t>(n), T(0));
    pivot_.assign(static_cast<std::size_t>(n), 0);
    inverse_pivot_.assign(static_cast<std::size_t>(n), T(0));
  }
  int size() const { return n_; }
  int lower() const { return kl_; }
  int upper() const { return ku_; }

  /// Where A(i, j) (|i - j| inside the band) lives in data().
  std::size_t position(int i, int j) const {
    return static_cast<std::size_t>(j) * static_cast<std::size_t>(ld_) + static_cast<std::size_t>(kl_ + ku_ + i - j);
  }
  T* data() { return ab_.data(); }
  /// Zeroes the matrix, fill-in rows included, before it is assembled again.
  void set_zero() { std::fill(ab_.begin(), ab_.end(), T(0)); }

  /// Factors the assembled matrix in place: P A = L U. Returns false when a pivot is zero or not finite (A
  /// singular, or not a number in it); the factors are then unusable.
  bool factor() {
    const int kv = kl_ + ku_;
    int ju = 0;  // the last column the U rows so far reach
    for (int j = 0; j < n_; ++j) {
      T* col = column(j);
      const int km = std::min(kl_, n_ - 1 - j);  // subdiagonal entries of column j
      int jp = 0;
      double best = magnitude(col[kv]);
      for (int p = 1; p <= km; ++p) {
        const double m = magnitude(col[kv + p]);
        if (m > best) {
          best = m;
          jp = p;
        }
      }
      pivot_[static_cast<std::size_t>(j)] = j + jp;
      if (!(best != 0.0) || !std::isfinite(best)) return false;
      ju = std::max(ju, std::min(j + ku_ + jp, n_ - 1));
      if (jp != 0)  // swap rows j and j + jp in columns j .. ju
        for (int c = j; c <= ju; ++c) std::swap(at(j, c), at(j + jp, c));
      if (km > 0) {
        const T inverse = T(1) / col[kv];
        for (int p = 1; p <= km; ++p) col[kv + p] *= inverse;
        for (int c = j + 1; c <= ju; ++c) {  // rank-1 update of the trailing band
          const T u = at(j, c);
          if (u == T(0)) continue;
          T* target = column(c) + (kv + j - c);
          for (int p = 1; p <= km; ++p) target[p] -= col[kv + p] * u;
        }
      }
    }
    // Back substitution is a chain of dependent steps, one per row; a division's latency is three times a
    // multiplication's, so solve() multiplies by the pivots' reciprocals (an extra rounding of 1/2 ulp per row).
    for (int j = 0; j < n_; ++j) inverse_pivot_[static_cast<std::size_t>(j)] = T(1) / column(j)[kv];
    return true;
  }

  /// Solves A x = b in place with the factors.
  void solve(T* b) const {
    const int kv = kl_ + ku_;
    if (kl_ > 0)
      for (int j = 0; j + 1 < n_; ++j) {
        const int lm = std::min(kl_, n_ - 1 - j);
        const int l = pivot_[static_cast<std::size_t>(j)];
        if (l != j) std::swap(b[l], b[j]);
        const T bj = b[j];
        if (bj == T(0)) continue;
        const T* col = column(j);
        for (int p = 1; p <= lm; ++p) b[j + p] -= col[kv + p] * bj;
      }
    for (int j = n_ - 1; j >= 0; --j) {  // U, upper bandwidth kl + ku
      const T* col = column(j);
      b[j] *= inverse_pivot_[static_cast<std::size_t>(j)];
      const T bj = b[j];
      if (bj == T(0)) continue;
      for (int i = std::max(0, j - kv); i < j; ++i) b[i] -= col[kv + i - j] * bj;
    }
  }

 private:
  static double magnitude(double v) { return std::fabs(v); }
  static double magnitude(const std::complex<double>& v) { return std::fabs(v.real()) + std::fabs(v.imag()); }
  T* column(int j) { return ab_.data() + static_cast<std::ptrdiff_t>(j) * ld_; }
  const T* column(int j) const { return ab_.data() + static_cast<std::ptrdiff_t>(j) * ld_; }
  T& at(int i, int j) { return ab_[position(i, j)]; }

  int n_ = 0, kl_ = 0, ku_ = 0, ld_ = 1;
  std::vector<T> ab_;
  std::vector<int> pivot_;
  std::vector<T> inverse_pivot_;
};

/// Lower and upper bandwidths of a set of (row, column) positions.
struct Bandwidth {
  int lower = 0, upper = 0;
  void add(int row, int col) {
    lower = std::max(lower, row - col);
    upper = std::max(upper, col - row);
  }
};

}  // namespace numen::detail
