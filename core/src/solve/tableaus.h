#pragma once
// Coefficients of every Runge-Kutta-type method: published facts, each with its source cited where it is defined.
//   tableaus_erk.cpp       explicit pairs and their continuous extensions
//   tableaus_implicit.cpp  Rosenbrock (Rodas), ESDIRK (TRBDF2, KenCarp4), Radau IIA and symplectic compositions
// Coefficients only: a method's order is written once, in its registry row (solve/registry.h), which names the
// tableau it runs; tests/solve/tableaus_test.cpp checks each tableau against its row's order. (An embedded order
// stays here: it belongs to the error estimate's coefficients, which no row describes.)
#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace numen::detail {

/// Explicit Runge-Kutta pair. Stages 0 .. stages-1 take the step; stages .. total-1 (if any) are computed only when
/// the dense output is needed. Row-major a over all stages; a stage's row uses the stages before it.
struct ErkTableau {
  std::string name;
  int stages = 0;              ///< stages of a step (for FSAL methods the last is f(t + h, x_new))
  int embedded_order = 0;      ///< order of the error estimator's companion solution
  bool fsal = false;           ///< first same as last: stage `stages - 1` is f(t + h, x_new) and b is a's last row
  double beta = 0.0;           ///< PI controller's beta (0: plain I controller)
  std::vector<double> c;       ///< nodes, one per stage including extra dense-output stages
  std::vector<double> a;       ///< total x total, row-major, strictly lower triangular
  std::vector<double> b;       ///< `stages` weights of the solution
  std::vector<double> btilde;  ///< `stages` weights of the error estimate: err = h * sum btilde_i k_i
  /// Continuous extension x(theta) = x0 + h * sum_i k_i * b_i(theta), b_i(theta) = sum_m r[i][m] theta^(m+1),
  /// for all `total` stages (rows of extra stages included), m = 0 .. dense_degree - 1. Empty r: cubic Hermite
  /// interpolation from x0, x1, f(t0, x0) and f(t1, x1).
  int dense_degree = 0;
  std::vector<double> r;
  int total_stages() const { return static_cast<int>(c.size()); }
};

/// Rosenbrock-Wanner method in Hairer's transformed form, with a diagonal mass matrix M:
///   (M / (h gamma) - J) k_i = f(t + c_i h, x + sum_{j<i} a_ij k_j) + sum_{j<i} (C_ij / h) M k_j + h d_i df/dt
///   x_new = x + sum b_i k_i,   err = sum btilde_i k_i
/// Dense output (Rodas family): with K_m = sum_i H[m][i] k_i,
///   x(theta) = (1 - theta) x0 + theta (x1 + (1 - theta)(K_0 + theta (K_1 + theta K_2 ...)))
struct RosenbrockTableau {
  std::string name;
  int stages = 0;
  int embedded_order = 0;
  double gamma = 0.0;
  std::vector<double> a;       ///< stages x stages, row-major, strictly lower
  std::vector<double> C;       ///< stages x stages, row-major, strictly lower
  std::vector<double> c;       ///< stages
  std::vector<double> d;       ///< stages (gamma_i: the df/dt coefficients)
  std::vector<double> b;       ///< stages
  std::vector<double> btilde;  ///< stages
  int dense_rows = 0;
  std::vector<double> H;  ///< dense_rows x stages, row-major
};

/// Diagonally implicit RK with an explicit first stage (ESDIRK) or not (SDIRK), solved stage by stage with Newton
/// on (M - h a_ii J). Stage i: M (Z_i) = h sum_j a_ij f(t + c_j h, x + Z_j), x_new = x + sum b_i h f_i.
struct DirkTableau {
  std::string name;
  int stages = 0;
  int embedded_order = 0;
  bool explicit_first = false;    ///< a_00 = 0: the first stage is f(t, x)
  bool stiffly_accurate = false;  ///< b equals the last row of a (x_new is the last stage value)
  std::vector<double> a;          ///< stages x stages, row-major, lower triangular including the diagonal
  std::vector<double> b;          ///< stages
  std::vector<double> btilde;     ///< stages: err = h * sum btilde_i f_i
  std::vector<double> c;          ///< stages
  /// Dense output as for ErkTableau: x(theta) = x0 + h sum_i f_i b_i(theta), b_i(theta) = sum_m r[i][m] theta^(m+1).
  /// Empty: cubic Hermite.
  int dense_degree = 0;
  std::vector<double> r;
};

/// The 3-stage Radau IIA collocation method (order 5) in the transformed form of Hairer & Wanner's RADAU5. With
/// Z_i = Y_i - x the stage increments, the stage equations M Z = h (A (x) I) F(Z) are solved for W = (TI (x) I) Z,
/// which decouples them: TI A^-1 T = [[gamma, 0, 0], [0, alpha, -beta], [0, beta, alpha]], so each Newton
/// iteration solves one real system (gamma / h M - J) and one complex one ((alpha + i beta) / h M - J).
struct RadauTableau {
  std::string name;
  std::array<double, 3> c{};       ///< nodes (c_3 = 1: stiffly accurate, x_new = x + Z_3)
  std::array<double, 9> a{};       ///< A, row-major (for checks; the stepper works with T, TI and the eigenvalues)
  std::array<double, 9> T{};       ///< row-major, columns are (real and imaginary parts of) eigenvectors of A^-1
  std::array<double, 9> TI{};      ///< T^-1, row-major
  double gamma = 0.0;              ///< the real eigenvalue of A^-1
  double alpha = 0.0, beta = 0.0;  ///< the complex pair alpha +- i beta of A^-1
  /// Error estimate (Hairer & Wanner IV.8): err = (gamma / h M - J)^-1 (f(t, x) + M sum_i e_i Z_i / h).
  std::array<double, 3> e{};
};

/// A symplectic composition for q' = v, v' = a(q, t). Stage i of a step does the kick v += h kick_i a(q, t_i),
/// then the drift q += h drift_i v (t_i advances with the drifts). Velocity Verlet: kick {1/2, 1/2}, drift {1, 0}.
struct SymplecticTableau {
  std::string name;
  std::vector<double> kick;
  std::vector<double> drift;
};

const ErkTableau* find_erk_tableau(std::string_view name);
const RosenbrockTableau* find_rosenbrock_tableau(std::string_view name);
const DirkTableau* find_dirk_tableau(std::string_view name);
const SymplecticTableau* find_symplectic_tableau(std::string_view name);
const RadauTableau* find_radau_tableau(std::string_view name);

}  // namespace numen::detail
