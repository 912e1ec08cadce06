#pragma once
// Hand-written test problems with known solutions (the solver layer knows nothing about models).
#include <cmath>
#include <functional>
#include <vector>

#include "numen/problem.h"

namespace numen::test {

/// An OdeProblem from a lambda; optional events and periodic updates are added by the tests that need them.
class LambdaProblem : public OdeProblem {
 public:
  using Rhs = std::function<void(double, const double*, double*)>;
  LambdaProblem(int n, Rhs f) : n_(n), f_(std::move(f)) {}
  int size() const override { return n_; }
  void rhs(double t, const double* x, double* dx) override { f_(t, x, dx); }

 private:
  int n_;
  Rhs f_;
};

/// x' = cos(t) x, x(0) = 1: x = exp(sin t). Smooth, non-autonomous.
inline LambdaProblem exp_sin() {
  return LambdaProblem(1, [](double t, const double* x, double* dx) { dx[0] = std::cos(t) * x[0]; });
}

/// Harmonic oscillator q' = p, p' = -q: energy (q^2 + p^2)/2 is conserved.
inline LambdaProblem harmonic() {
  return LambdaProblem(2, [](double, const double* x, double* dx) {
    dx[0] = x[1];
    dx[1] = -x[0];
  });
}

/// The Kepler problem: q'' = -q / |q|^3 in the plane, x = (q1, q2, p1, p2).
inline LambdaProblem kepler() {
  return LambdaProblem(4, [](double, const double* x, double* dx) {
    const double r3 = std::pow(x[0] * x[0] + x[1] * x[1], 1.5);
    dx[0] = x[2];
    dx[1] = x[3];
    dx[2] = -x[0] / r3;
    dx[3] = -x[1] / r3;
  });
}

}  // namespace numen::test
