#pragma once
// Linear invariants watched during a Rosenbrock solve. A conservation law c^T x = const (c^T f = 0 for every x,
// so c^T J = 0) holds for the exact solution, but a Rosenbrock method solves its stages with the Jacobian, whose
// rounding (c^T J = eps |J|, not 0) it amplifies by up to h gamma along c. On the Test Set's E5 that moved
// y2 - y3 - y4 from 0 to 1e-20 while y2 and y3 end near 1e-22: the answer was wrong, with no error estimate to
// see it (both embedded solutions carry the same drift). Newton-based methods are immune, their residuals use f.
// The watch finds such laws from J's left null space at the start (dense ODEs of modest size), keeps a law only
// while J and f keep confirming it, and measures the drift of c^T x against the tolerances.
#include <string>
#include <vector>

#include <Eigen/Dense>

namespace numen::detail {

class InvariantWatch {
 public:
  /// Candidates from J (n x n, column-major as Eigen stores it) at x with f = f(x): left singular vectors of J with
  /// singular values below 1e-12 of the largest, which f also satisfies.
  void find(const Eigen::MatrixXd& jacobian, const double* x, const double* f);
  /// Drops laws that J at the current point contradicts (a coincidence of the initial values, not a law). f is not
  /// asked again: c^T f = c^T f(x0) + integral of c^T J dx stays 0 while c^T J does, and near an equilibrium f's
  /// terms cancel, so its rounding says nothing.
  void confirm(const Eigen::MatrixXd& jacobian);
  /// The largest drift |c^T x - c^T x0| over the laws kept and confirmed at a second point, in units of the
  /// tolerance of c^T x (sum |c_i| (atol_i + rtol |x_i|)); 0 when there is none. (At the start J's null space can be
  /// larger than the laws': Robertson's y2 = y3 = 0 makes y1 + y2 look conserved until y2 grows.)
  double drift(const double* x, const std::vector<double>& atol, double rtol) const;
  /// "0.577 x[1] - 0.577 x[2] - 0.577 x[3]" for the law that drifted most, with the given state names.
  std::string describe_worst(const double* x, const std::vector<double>& atol, double rtol,
                             const std::vector<std::string>& names) const;
  /// Takes each law's value c^T x anew (an event moved the state; the laws themselves are the model's).
  void rebase(const double* x);
  bool empty() const { return laws_.empty(); }

 private:
  struct Law {
    Eigen::VectorXd c;
    double value;            ///< c^T x where it was found
    bool confirmed = false;  ///< J at a second point agreed: only then is its drift measured
  };
  static bool null_for(const Eigen::VectorXd& c, const Eigen::MatrixXd& jacobian);
  double drift_of(const Law& law, const double* x, const std::vector<double>& atol, double rtol) const;
  std::vector<Law> laws_;
};

}  // namespace numen::detail
