#pragma once
// Linearization of a compiled model about an operating point, from its exact Jacobians:
//   M dx/dt = A dx + B du,  dy = C dx,   H(jw) = C (jw M - A)^-1 B.
// Used by linearized_frf, by the warm start of periodic tests (start on the linear periodic steady state, so that
// settling is short) and by the automatic chirp tail and free-decay sample rate (time constants of the poles).
#include <complex>
#include <cstdint>
#include <string>
#include <vector>

#include <Eigen/Dense>
#include <Eigen/Sparse>

#include "numen/model.h"

namespace numen::characterize {

/// What a test measures: a state or an observed output.
struct Probe {
  enum class Kind { State, Output } kind = Kind::State;
  int index = 0;
  std::string key;
};

struct OperatingPoint {
  std::vector<double> x;
  bool steady = false;  ///< f(x, u) = 0 was solved; otherwise x is the guess and `note` says why
  std::string note;
};

/// Solves f(x, u) = 0 (differential and algebraic rows alike) by damped Newton from `guess`. Steps are minimum-norm
/// least-squares solutions, so directions the equilibrium leaves free (a position with no restoring force) keep their
/// guessed values. `weights` (atol + rtol |x| per state) scale the convergence test.
OperatingPoint find_equilibrium(const Model& model, const std::vector<double>& parameters,
                                const std::vector<double>& guess, const std::vector<double>& inputs,
                                const std::vector<double>& weights);

class Linearization {
 public:
  /// Linearizes at (t = 0, x, u) for input port `port` (its column divided by `scale`) and measured `probe`.
  /// check_smoothness compares the Jacobian with difference quotients (2n evaluations of f; up to 400 states).
  Linearization(const Model& model, const std::vector<double>& parameters, const std::vector<double>& x,
                const std::vector<double>& inputs, int port, const Probe& probe, double scale,
                bool check_smoothness = false);

  /// Empty when usable; otherwise what is wrong (a non-finite Jacobian entry and where).
  const std::string& problem() const { return problem_; }
  /// Empty when f is smooth at the point (or it was not checked); otherwise the Jacobian entry that disagrees with a
  /// central difference quotient (a kink or a square root exactly there: the linearization then describes one side
  /// only).
  const std::string& smoothness_warning() const { return smoothness_; }
  bool ok() const { return problem_.empty(); }
  int size() const { return n_; }

  /// State phasor per unit input at angular frequency omega: X = (j omega M - A)^-1 B. Empty if singular.
  Eigen::VectorXcd state_response(double omega) const;
  /// H(j omega) = C X (NaN if singular).
  std::complex<double> transfer(double omega) const;
  /// Eigenvalues of the differential dynamics (for DAEs, of the Schur complement on the differential states).
  /// Empty above 1500 states or when the algebraic block is singular.
  std::vector<std::complex<double>> poles() const;

 private:
  void find_kinks(const Model& model, const std::vector<double>& parameters, const std::vector<double>& x,
                  const std::vector<double>& inputs);
  int n_ = 0;
  Eigen::SparseMatrix<double> a_;
  Eigen::MatrixXd dense_a_;  ///< a_ as a dense matrix (up to kDenseLimit states), made once for every frequency
  Eigen::VectorXd b_;
  Eigen::SparseVector<double> c_;
  std::vector<std::uint8_t> mask_;
  std::string problem_, smoothness_;
};

/// The slowest decay rate among the poles (smallest -Re, over poles with Re < 0), or 0 if there are none.
double slowest_decay_rate(const std::vector<std::complex<double>>& poles);
/// The highest |Im| / 2 pi among poles whose damping ratio is below 0.7 (lightly damped modes), or 0.
double fastest_oscillation_hz(const std::vector<std::complex<double>>& poles);

}  // namespace numen::characterize
