#pragma once
// The linear algebra of implicit methods. A stepper keeps the Jacobian J = df/dx at some point and factors Newton
// matrices W = alpha * M - J (M the diagonal 0/1 mass matrix, or a general constant one); Rosenbrock methods use alpha
// = 1 / (h gamma), SDIRK and BDF alpha = 1 / (h gamma) as well after scaling their equations; Radau IIA also factors
// the complex matrix (alpha + i beta) M - J for its complex eigenvalue pair. Dense LU for small or dense Jacobians;
// for large sparse ones a banded LU (solve/banded.h) when W's pattern lies within a few diagonals (1-D chains,
// rods, ladders in their natural order), else Eigen's SparseLU; chosen automatically from the problem's pattern.
#include <complex>
#include <memory>
#include <vector>

#include <Eigen/Dense>
#include <Eigen/SparseCore>
#include <Eigen/SparseLU>

#include "solve/banded.h"
#include "solve/stepper.h"

namespace numen::detail {

/// Lets the banded LU be chosen (the default) or not, process-wide: off, every large sparse Newton matrix goes to
/// SparseLU as before the banded path existed. For tests and benchmarks that compare the two on the same problem.
void set_banded_lu(bool enabled);
bool banded_lu_enabled();

class NewtonMatrix {
 public:
  explicit NewtonMatrix(Integration& ig);

  /// J at (t, x): the problem's exact Jacobian, or forward differences when it has none (f0 = f(t, x)).
  void update_jacobian(double t, const double* x, const double* f0);
  /// df/dt at (t, x): exact when the problem provides it, zero when autonomous, else a forward difference.
  void time_derivative(double t, const double* x, const double* f0, double* dfdt);

  /// Factors W = alpha M - J with the current J. Returns false if W is singular.
  bool factor(double alpha);
  /// Solves W y = b in place.
  void solve(double* b);
  /// Factors the complex W = (alpha + i beta) M - J with the current J (counted as an LU decomposition).
  /// Returns false if it is singular.
  bool factor_complex(double alpha, double beta);
  /// Solves W (re + i im) = (b_re + i b_im) in place with the complex factorization.
  void solve_complex(double* re, double* im);
  /// Solves W y = b in place and refines y: r = b - (alpha M - J) y from the unrounded alpha and J in extended
  /// precision (long double natively, compensated sums and products in wasm), y += W^-1 r; again while a correction
  /// is not negligible (weighted norm above 1e-3 with the weights atol + rtol |x_i|), at most max_refinements times.
  /// Returns the weighted norm of the last correction: above ~0.1 the solve could not be made accurate to the
  /// tolerances (W too ill-conditioned).
  ///
  /// Why: in the one-shot linear solves of Rosenbrock methods, rounding in forming W = M / (h gamma) - J and in its LU
  /// factors is amplified by up to h gamma along near-null directions of J (conservation laws, c^T J = 0). On E5
  /// that broke the invariant y2 - y3 - y4 = 0 by 1e-20 while the solution is 1e-22, and Rodas5P reported wrong
  /// answers as a success. Newton-based methods (BDF, SDIRK) correct this themselves: their residuals use f.
  double solve_refined(double* b, const double* x, int max_refinements = 3);
  /// Evaluates a varying M (OdeProblem::mass_varies) at (t, x) for the next factorizations and products.
  void update_mass(double t, const double* x);
  /// y = M x (x and y may be the same vector).
  void mass_times(const double* x, double* y);

  double factored_alpha() const { return alpha_; }
  /// J is kept as the values of its pattern (not dense); W is then factored banded or by SparseLU.
  bool sparse() const { return sparse_; }
  /// W is factored by the banded LU (a sparse J whose W lies within a narrow band).
  bool banded() const { return banded_; }
  bool has_jacobian() const { return have_j_; }
  /// The current J when it is stored dense (column-major), else nullptr.
  const Eigen::MatrixXd* dense_jacobian() const { return sparse_ || !have_j_ ? nullptr : &j_dense_; }
  /// Upper bound of J's spectral radius (infinity norm), for stiffness detection.
  double jacobian_norm() const;
  /// J x (used by stiffness heuristics).
  void jacobian_times(const double* x, double* y) const;

 private:
  Integration& ig_;
  int n_;
  bool sparse_ = false;
  bool banded_ = false;
  bool have_j_ = false;
  double alpha_ = 0.0;
  std::vector<std::uint8_t> mass_;  // 1/0 per state (all 1 for an ODE; all 0 with a general M)
  // A general M's nonzero entries, and where each lands in the sparse W's values.
  struct MassEntry {
    int row, col;
    double value;
    int w_position;
    int pattern_position;  // in the problem's mass pattern
  };
  std::vector<MassEntry> mass_entries_;
  std::vector<double> mass_scratch_;
  // Dense storage.
  Eigen::MatrixXd j_dense_, w_dense_;
  Eigen::PartialPivLU<Eigen::MatrixXd> lu_dense_;
  // Sparse storage: W's pattern is J's plus the diagonal; diag_[i] is the position of (i, i) in W's values, and
  // j_to_w_[k] maps J's k-th value to its position in W.
  const SparsityPattern* pattern_ = nullptr;
  std::vector<double> j_values_;
  Eigen::SparseMatrix<double> w_sparse_;
  std::vector<int> diag_, j_to_w_;
  Eigen::SparseLU<Eigen::SparseMatrix<double>, Eigen::COLAMDOrdering<int>> lu_sparse_;
  bool analyzed_ = false;
  // Banded storage (sparse_ and banded_): J's k-th value, the diagonal and the mass entries at their positions in
  // the band; the complex matrix has the same layout.
  BandLU<double> band_;
  BandLU<std::complex<double>> band_complex_;
  std::vector<std::size_t> j_to_band_, diag_band_, mass_band_;
  void residual(const double* y, double* r);
  // The complex matrix, factored on demand only (same storage scheme; the sparse one shares W's pattern).
  Eigen::MatrixXcd wc_dense_;
  Eigen::PartialPivLU<Eigen::MatrixXcd> luc_dense_;
  Eigen::SparseMatrix<std::complex<double>> wc_sparse_;
  Eigen::SparseLU<Eigen::SparseMatrix<std::complex<double>>, Eigen::COLAMDOrdering<int>> luc_sparse_;
  bool analyzed_complex_ = false;
  Eigen::VectorXcd b_complex_, rhs_complex_;
  std::vector<double> scratch_, scratch2_, rhs_copy_, sum_, comp_;
  std::vector<long double> wide_;
  Eigen::VectorXd rhs_;
};

}  // namespace numen::detail
