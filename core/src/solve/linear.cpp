#include "solve/linear.h"

#include <algorithm>
#include <atomic>
#include <cfloat>
#include <cmath>
#include <limits>

namespace numen::detail {

namespace {
// Sparse LU pays off for large systems whose Jacobian is mostly zeros.
bool prefer_sparse(int n, int nnz) { return n > 50 && static_cast<double>(nnz) < 0.1 * n * static_cast<double>(n); }
// Among those, the banded LU when W lies within a few diagonals: its work, n kl (kl + ku), is then a small multiple
// of W's nonzeros, with none of SparseLU's symbolic and supernodal overhead (on a 16,000-node rod a banded
// factorization and solve cost a fraction of SparseLU's). Wider bands (a 2-D grid in natural order) go to SparseLU,
// whose fill-reducing ordering beats filling the whole band.
constexpr int kMaxBandwidth = 32;  // kl + ku
std::atomic<bool> banded_lu{true};

// Error-free transformations (Knuth's TwoSum, Dekker's TwoProduct with Veltkamp's splitting): a + b = s + e and
// a * b = p + e exactly in double arithmetic, without FMA and without long double (which is a slow software
// binary128 in WebAssembly, where these are used). This file is compiled with -ffp-contract=off so that no FMA
// fuses them.
[[maybe_unused]] inline void two_sum(double a, double b, double& s, double& e) {
  s = a + b;
  const double z = s - a;
  e = (a - (s - z)) + (b - z);
}
[[maybe_unused]] inline void split(double a, double& hi, double& lo) {
  const double c = 134217729.0 * a;  // 2^27 + 1
  hi = c - (c - a);
  lo = a - hi;
}
[[maybe_unused]] inline void two_product(double a, double b, double& p, double& e) {
  p = a * b;
  double ah, al, bh, bl;
  split(a, ah, al);
  split(b, bh, bl);
  e = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}
// sum += a * b in doubled precision: (sum, comp) is the unevaluated pair.
[[maybe_unused]] inline void accumulate(double& sum, double& comp, double a, double b) {
  double p, ep, s, es;
  two_product(a, b, p, ep);
  two_sum(sum, p, s, es);
  sum = s;
  comp += ep + es;
}
}  // namespace

void set_banded_lu(bool enabled) { banded_lu = enabled; }
bool banded_lu_enabled() { return banded_lu; }

NewtonMatrix::NewtonMatrix(Integration& ig) : ig_(ig), n_(ig.n) {
  mass_ = ig.mask.empty() ? std::vector<std::uint8_t>(static_cast<std::size_t>(n_), 1) : ig.mask;
  if (ig.mass) {  // a general M: its entries replace the diagonal
    std::fill(mass_.begin(), mass_.end(), 0);
    for (int j = 0; j < n_; ++j)
      for (int k = ig.mass->col_start[static_cast<std::size_t>(j)];
           k < ig.mass->col_start[static_cast<std::size_t>(j) + 1]; ++k)
        if (ig.mass_varies || ig.mass_values[static_cast<std::size_t>(k)] != 0.0)
          mass_entries_.push_back(MassEntry{ig.mass->row_index[static_cast<std::size_t>(k)], j,
                                            ig.mass_values[static_cast<std::size_t>(k)], -1, k});
  }
  pattern_ = ig.problem.jacobian_pattern();
  sparse_ = pattern_ && prefer_sparse(n_, pattern_->nnz());
  scratch_.resize(static_cast<std::size_t>(n_));
  scratch2_.resize(static_cast<std::size_t>(n_));
  rhs_copy_.resize(static_cast<std::size_t>(n_));
  sum_.resize(static_cast<std::size_t>(n_));
  comp_.resize(static_cast<std::size_t>(n_));
  wide_.resize(static_cast<std::size_t>(n_));
  rhs_.resize(n_);
  mass_scratch_.resize(static_cast<std::size_t>(n_));
  if (pattern_) j_values_.resize(static_cast<std::size_t>(pattern_->nnz()));
  if (!sparse_) {
    j_dense_ = Eigen::MatrixXd::Zero(n_, n_);
    return;
  }
  Bandwidth band;
  for (int j = 0; j < n_; ++j)
    for (int k = pattern_->col_start[static_cast<std::size_t>(j)];
         k < pattern_->col_start[static_cast<std::size_t>(j) + 1]; ++k)
      band.add(pattern_->row_index[static_cast<std::size_t>(k)], j);
  for (const MassEntry& e : mass_entries_) band.add(e.row, e.col);
  if (banded_lu && band.lower + band.upper <= kMaxBandwidth) {
    banded_ = true;
    band_.resize(n_, band.lower, band.upper);
    j_to_band_.resize(static_cast<std::size_t>(pattern_->nnz()));
    for (int j = 0; j < n_; ++j)
      for (int k = pattern_->col_start[static_cast<std::size_t>(j)];
           k < pattern_->col_start[static_cast<std::size_t>(j) + 1]; ++k)
        j_to_band_[static_cast<std::size_t>(k)] = band_.position(pattern_->row_index[static_cast<std::size_t>(k)], j);
    diag_band_.resize(static_cast<std::size_t>(n_));
    for (int i = 0; i < n_; ++i) diag_band_[static_cast<std::size_t>(i)] = band_.position(i, i);
    for (const MassEntry& e : mass_entries_) mass_band_.push_back(band_.position(e.row, e.col));
    return;
  }
  // W = alpha M - J on J's pattern plus the diagonal, built once; values are rewritten at each factorization.
  std::vector<Eigen::Triplet<double>> entries;
  entries.reserve(static_cast<std::size_t>(pattern_->nnz() + n_) + mass_entries_.size());
  for (int j = 0; j < n_; ++j) {
    entries.emplace_back(j, j, 0.0);
    for (int k = pattern_->col_start[static_cast<std::size_t>(j)];
         k < pattern_->col_start[static_cast<std::size_t>(j) + 1]; ++k)
      entries.emplace_back(pattern_->row_index[static_cast<std::size_t>(k)], j, 0.0);
  }
  for (const MassEntry& e : mass_entries_) entries.emplace_back(e.row, e.col, 0.0);
  w_sparse_.resize(n_, n_);
  w_sparse_.setFromTriplets(entries.begin(), entries.end());  // duplicates (diagonal) are summed: still zero
  w_sparse_.makeCompressed();
  diag_.assign(static_cast<std::size_t>(n_), -1);
  j_to_w_.assign(static_cast<std::size_t>(pattern_->nnz()), -1);
  const int* outer = w_sparse_.outerIndexPtr();
  const int* inner = w_sparse_.innerIndexPtr();
  for (int j = 0; j < n_; ++j) {
    int pos = outer[j];
    for (int k = pattern_->col_start[static_cast<std::size_t>(j)];
         k < pattern_->col_start[static_cast<std::size_t>(j) + 1]; ++k) {
      const int row = pattern_->row_index[static_cast<std::size_t>(k)];
      while (inner[pos] < row) ++pos;
      j_to_w_[static_cast<std::size_t>(k)] = pos;
    }
    for (int p = outer[j]; p < outer[j + 1]; ++p)
      if (inner[p] == j) diag_[static_cast<std::size_t>(j)] = p;
  }
  for (MassEntry& e : mass_entries_)
    for (int p = outer[e.col]; p < outer[e.col + 1]; ++p)
      if (inner[p] == e.row) e.w_position = p;
}

void NewtonMatrix::update_jacobian(double t, const double* x, const double* f0) {
  ++ig_.stats.jacobian_evals;
  have_j_ = true;
  if (pattern_) {
    ig_.problem.jacobian(t, x, j_values_.data());
    if (!sparse_) {
      j_dense_.setZero();
      for (int j = 0; j < n_; ++j)
        for (int k = pattern_->col_start[static_cast<std::size_t>(j)];
             k < pattern_->col_start[static_cast<std::size_t>(j) + 1]; ++k)
          j_dense_(pattern_->row_index[static_cast<std::size_t>(k)], j) = j_values_[static_cast<std::size_t>(k)];
    }
    return;
  }
  // Forward differences, one column at a time: sqrt(eps) times the state's magnitude, or for a state near zero its
  // noise floor atol / rtol (capped at 1, so a loose atol cannot make the increment coarse).
  std::vector<double> xp(x, x + n_);
  const double root_eps = std::sqrt(std::numeric_limits<double>::epsilon());
  for (int j = 0; j < n_; ++j) {
    const double scale = std::max(std::fabs(x[j]), std::min(1.0, ig_.atol[static_cast<std::size_t>(j)] / ig_.rtol));
    const double delta = root_eps * std::max(scale, 1e-8);
    xp[static_cast<std::size_t>(j)] = x[j] + delta;
    ig_.f(t, xp.data(), scratch_.data());
    for (int i = 0; i < n_; ++i) j_dense_(i, j) = (scratch_[static_cast<std::size_t>(i)] - f0[i]) / delta;
    xp[static_cast<std::size_t>(j)] = x[j];
  }
}

void NewtonMatrix::time_derivative(double t, const double* x, const double* f0, double* dfdt) {
  if (ig_.problem.autonomous()) {
    std::fill(dfdt, dfdt + n_, 0.0);
    return;
  }
  if (ig_.problem.has_time_derivative()) {
    ig_.problem.time_derivative(t, x, dfdt);
    return;
  }
  const double delta = std::sqrt(std::numeric_limits<double>::epsilon()) * std::max(std::fabs(t), 1e-5);
  ig_.f(t + delta, x, dfdt);
  for (int i = 0; i < n_; ++i) dfdt[i] = (dfdt[i] - f0[i]) / delta;
}

bool NewtonMatrix::factor(double alpha) {
  ++ig_.stats.lu_decompositions;
  alpha_ = alpha;
  if (!sparse_) {
    w_dense_ = -j_dense_;
    for (int i = 0; i < n_; ++i)
      if (mass_[static_cast<std::size_t>(i)]) w_dense_(i, i) += alpha;
    for (const MassEntry& e : mass_entries_) w_dense_(e.row, e.col) += alpha * e.value;
    lu_dense_.compute(w_dense_);
    const auto& lu = lu_dense_.matrixLU();
    for (int i = 0; i < n_; ++i)
      if (!(lu(i, i) != 0.0) || !std::isfinite(lu(i, i))) return false;
    return true;
  }
  if (banded_) {
    band_.set_zero();
    double* w = band_.data();
    for (std::size_t k = 0; k < j_values_.size(); ++k) w[j_to_band_[k]] -= j_values_[k];
    for (int i = 0; i < n_; ++i)
      if (mass_[static_cast<std::size_t>(i)]) w[diag_band_[static_cast<std::size_t>(i)]] += alpha;
    for (std::size_t e = 0; e < mass_entries_.size(); ++e) w[mass_band_[e]] += alpha * mass_entries_[e].value;
    return band_.factor();
  }
  double* w = w_sparse_.valuePtr();
  std::fill(w, w + w_sparse_.nonZeros(), 0.0);
  for (std::size_t k = 0; k < j_values_.size(); ++k) w[j_to_w_[k]] -= j_values_[k];
  for (int i = 0; i < n_; ++i)
    if (mass_[static_cast<std::size_t>(i)]) w[diag_[static_cast<std::size_t>(i)]] += alpha;
  for (const MassEntry& e : mass_entries_) w[e.w_position] += alpha * e.value;
  if (!analyzed_) {
    lu_sparse_.analyzePattern(w_sparse_);
    analyzed_ = true;
  }
  lu_sparse_.factorize(w_sparse_);
  return lu_sparse_.info() == Eigen::Success;
}

bool NewtonMatrix::factor_complex(double alpha, double beta) {
  ++ig_.stats.lu_decompositions;
  const std::complex<double> shift(alpha, beta);
  if (!sparse_) {
    wc_dense_ = -j_dense_.cast<std::complex<double>>();
    for (int i = 0; i < n_; ++i)
      if (mass_[static_cast<std::size_t>(i)]) wc_dense_(i, i) += shift;
    for (const MassEntry& e : mass_entries_) wc_dense_(e.row, e.col) += shift * e.value;
    luc_dense_.compute(wc_dense_);
    const auto& lu = luc_dense_.matrixLU();
    for (int i = 0; i < n_; ++i)
      if (!(std::abs(lu(i, i)) != 0.0) || !std::isfinite(std::abs(lu(i, i)))) return false;
    return true;
  }
  if (banded_) {
    if (band_complex_.size() != n_) band_complex_.resize(n_, band_.lower(), band_.upper());
    band_complex_.set_zero();
    std::complex<double>* w = band_complex_.data();
    for (std::size_t k = 0; k < j_values_.size(); ++k) w[j_to_band_[k]] -= j_values_[k];
    for (int i = 0; i < n_; ++i)
      if (mass_[static_cast<std::size_t>(i)]) w[diag_band_[static_cast<std::size_t>(i)]] += shift;
    for (std::size_t e = 0; e < mass_entries_.size(); ++e) w[mass_band_[e]] += shift * mass_entries_[e].value;
    return band_complex_.factor();
  }
  if (wc_sparse_.nonZeros() == 0) wc_sparse_ = w_sparse_.cast<std::complex<double>>();  // W's compressed pattern
  std::complex<double>* w = wc_sparse_.valuePtr();
  std::fill(w, w + wc_sparse_.nonZeros(), std::complex<double>(0.0));
  for (std::size_t k = 0; k < j_values_.size(); ++k) w[j_to_w_[k]] -= j_values_[k];
  for (int i = 0; i < n_; ++i)
    if (mass_[static_cast<std::size_t>(i)]) w[diag_[static_cast<std::size_t>(i)]] += shift;
  for (const MassEntry& e : mass_entries_) w[e.w_position] += shift * e.value;
  if (!analyzed_complex_) {
    luc_sparse_.analyzePattern(wc_sparse_);
    analyzed_complex_ = true;
  }
  luc_sparse_.factorize(wc_sparse_);
  return luc_sparse_.info() == Eigen::Success;
}

void NewtonMatrix::solve_complex(double* re, double* im) {
  ++ig_.stats.linear_solves;
  Eigen::Map<Eigen::VectorXd> vr(re, n_), vi(im, n_);
  b_complex_.resize(n_);
  b_complex_.real() = vr;
  b_complex_.imag() = vi;
  if (!sparse_) {
    rhs_complex_ = luc_dense_.solve(b_complex_);
  } else if (banded_) {
    band_complex_.solve(b_complex_.data());
    rhs_complex_ = b_complex_;
  } else {
    rhs_complex_ = luc_sparse_.solve(b_complex_);
  }
  vr = rhs_complex_.real();
  vi = rhs_complex_.imag();
}

void NewtonMatrix::solve(double* b) {
  ++ig_.stats.linear_solves;
  if (banded_) {
    band_.solve(b);
    return;
  }
  Eigen::Map<Eigen::VectorXd> v(b, n_);
  if (!sparse_) {
    rhs_ = lu_dense_.solve(v);
  } else {
    rhs_ = lu_sparse_.solve(v);
  }
  v = rhs_;
}

double NewtonMatrix::solve_refined(double* b, const double* x, int max_refinements) {
  const std::size_t n = static_cast<std::size_t>(n_);
  std::copy(b, b + n_, rhs_copy_.begin());
  solve(b);
  double last = 0.0;
  for (int it = 0; it < max_refinements; ++it) {
    residual(b, scratch2_.data());
    solve(scratch2_.data());
    for (std::size_t i = 0; i < n; ++i) b[i] += scratch2_[i];
    last = ig_.norm(scratch2_.data(), x);
    // One refinement removes the rounding of W's factors; another pays only when that one moved the solution by a
    // visible part of the tolerance (W badly conditioned).
    if (!(last > 1e-3)) break;
  }
  return last;
}

// r = b - alpha M y + J y with b = rhs_copy_, in more than double precision: natively in long double (x87's 64-bit
// significand), in WebAssembly (where long double is a software binary128) with compensated products and sums.
void NewtonMatrix::residual(const double* y, double* r) {
  const std::size_t n = static_cast<std::size_t>(n_);
#if !defined(__EMSCRIPTEN__) && LDBL_MANT_DIG >= 64
  std::vector<long double>& acc = wide_;
  for (std::size_t i = 0; i < n; ++i)
    acc[i] = static_cast<long double>(rhs_copy_[i]) - (mass_[i] ? static_cast<long double>(alpha_) * y[i] : 0.0L);
  for (const MassEntry& e : mass_entries_)
    acc[static_cast<std::size_t>(e.row)] -= static_cast<long double>(alpha_) * e.value * y[e.col];
  if (!sparse_) {
    for (int j = 0; j < n_; ++j) {
      const long double yj = y[j];
      const double* col = j_dense_.data() + static_cast<std::ptrdiff_t>(j) * n_;  // column-major
      for (std::size_t i = 0; i < n; ++i) acc[i] += static_cast<long double>(col[i]) * yj;
    }
  } else {
    for (int j = 0; j < n_; ++j)
      for (int k = pattern_->col_start[static_cast<std::size_t>(j)];
           k < pattern_->col_start[static_cast<std::size_t>(j) + 1]; ++k)
        acc[static_cast<std::size_t>(pattern_->row_index[static_cast<std::size_t>(k)])] +=
            static_cast<long double>(j_values_[static_cast<std::size_t>(k)]) * y[j];
  }
  for (std::size_t i = 0; i < n; ++i) r[i] = static_cast<double>(acc[i]);
#else
  for (std::size_t i = 0; i < n; ++i) {
    sum_[i] = rhs_copy_[i];
    comp_[i] = 0.0;
    if (mass_[i]) accumulate(sum_[i], comp_[i], -alpha_, y[i]);
  }
  for (const MassEntry& e : mass_entries_)
    accumulate(sum_[static_cast<std::size_t>(e.row)], comp_[static_cast<std::size_t>(e.row)], -alpha_ * e.value,
               y[e.col]);
  if (!sparse_) {
    for (int j = 0; j < n_; ++j)
      for (int i = 0; i < n_; ++i)
        accumulate(sum_[static_cast<std::size_t>(i)], comp_[static_cast<std::size_t>(i)], j_dense_(i, j), y[j]);
  } else {
    for (int j = 0; j < n_; ++j)
      for (int k = pattern_->col_start[static_cast<std::size_t>(j)];
           k < pattern_->col_start[static_cast<std::size_t>(j) + 1]; ++k) {
        const std::size_t i = static_cast<std::size_t>(pattern_->row_index[static_cast<std::size_t>(k)]);
        accumulate(sum_[i], comp_[i], j_values_[static_cast<std::size_t>(k)], y[j]);
      }
  }
  for (std::size_t i = 0; i < n; ++i) r[i] = sum_[i] + comp_[i];
#endif
}

void NewtonMatrix::update_mass(double t, const double* x) {
  if (!ig_.mass_varies) return;
  ig_.problem.mass_matrix(t, x, ig_.mass_values.data());
  for (MassEntry& e : mass_entries_) e.value = ig_.mass_values[static_cast<std::size_t>(e.pattern_position)];
}

void NewtonMatrix::mass_times(const double* x, double* y) {
  if (mass_entries_.empty()) {
    for (int i = 0; i < n_; ++i) y[i] = mass_[static_cast<std::size_t>(i)] ? x[i] : 0.0;
    return;
  }
  // x and y may be the same vector.
  std::fill(mass_scratch_.begin(), mass_scratch_.end(), 0.0);
  for (const MassEntry& e : mass_entries_) mass_scratch_[static_cast<std::size_t>(e.row)] += e.value * x[e.col];
  std::copy(mass_scratch_.begin(), mass_scratch_.end(), y);
}

double NewtonMatrix::jacobian_norm() const {
  double norm = 0.0;
  if (!sparse_) {
    for (int i = 0; i < n_; ++i) norm = std::max(norm, j_dense_.row(i).cwiseAbs().sum());
    return norm;
  }
  std::vector<double> rows(static_cast<std::size_t>(n_), 0.0);
  for (int j = 0; j < n_; ++j)
    for (int k = pattern_->col_start[static_cast<std::size_t>(j)];
         k < pattern_->col_start[static_cast<std::size_t>(j) + 1]; ++k)
      rows[static_cast<std::size_t>(pattern_->row_index[static_cast<std::size_t>(k)])] +=
          std::fabs(j_values_[static_cast<std::size_t>(k)]);
  for (double r : rows) norm = std::max(norm, r);
  return norm;
}

void NewtonMatrix::jacobian_times(const double* x, double* y) const {
  if (!sparse_) {
    Eigen::Map<const Eigen::VectorXd> vx(x, n_);
    Eigen::Map<Eigen::VectorXd> vy(y, n_);
    vy = j_dense_ * vx;
    return;
  }
  std::fill(y, y + n_, 0.0);
  for (int j = 0; j < n_; ++j)
    for (int k = pattern_->col_start[static_cast<std::size_t>(j)];
         k < pattern_->col_start[static_cast<std::size_t>(j) + 1]; ++k)
      y[pattern_->row_index[static_cast<std::size_t>(k)]] += j_values_[static_cast<std::size_t>(k)] * x[j];
}

}  // namespace numen::detail
