#pragma once
// Hand-written test problems with known solutions (the solver layer knows nothing about models).
#include <algorithm>
#include <cmath>
#include <functional>
#include <utility>
#include <vector>

#include <string>
#include "numen/problem.h"
#include "numen/solve.h"

namespace numen::test {

/// An OdeProblem from a lambda, with an optional exact dense Jacobian (J[i * n + j] = df_i/dx_j); without one,
/// implicit methods difference f. Events and periodic updates are added by the tests that need them.
class LambdaProblem : public OdeProblem {
 public:
  using Rhs = std::function<void(double, const double*, double*)>;
  LambdaProblem(int n, Rhs f, Rhs jacobian = nullptr)
      : n_(n), f_(std::move(f)), j_(std::move(jacobian)), pattern_(SparsityPattern::dense(n)),
        dense_(static_cast<std::size_t>(n * n)) {}
  int size() const override { return n_; }
  void rhs(double t, const double* x, double* dx) override { f_(t, x, dx); }
  const SparsityPattern* jacobian_pattern() const override { return j_ ? &pattern_ : nullptr; }
  void jacobian(double t, const double* x, double* values) override {
    j_(t, x, dense_.data());
    for (int j = 0; j < n_; ++j)
      for (int i = 0; i < n_; ++i) values[j * n_ + i] = dense_[static_cast<std::size_t>(i * n_ + j)];
  }

 private:
  int n_;
  Rhs f_, j_;
  SparsityPattern pattern_;
  std::vector<double> dense_;
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

/// The Kepler problem: q'' = -q / |q|^3 in the plane, x = (q1, q2, p1, p2), with its exact Jacobian.
inline LambdaProblem kepler() {
  return LambdaProblem(
      4,
      [](double, const double* x, double* dx) {
        const double r3 = std::pow(x[0] * x[0] + x[1] * x[1], 1.5);
        dx[0] = x[2];
        dx[1] = x[3];
        dx[2] = -x[0] / r3;
        dx[3] = -x[1] / r3;
      },
      [](double, const double* x, double* J) {
        const double r2 = x[0] * x[0] + x[1] * x[1], r3 = std::pow(r2, 1.5), r5 = r3 * r2;
        std::fill(J, J + 16, 0.0);
        J[0 * 4 + 2] = 1;
        J[1 * 4 + 3] = 1;
        J[2 * 4 + 0] = -1 / r3 + 3 * x[0] * x[0] / r5;
        J[2 * 4 + 1] = 3 * x[0] * x[1] / r5;
        J[3 * 4 + 0] = 3 * x[0] * x[1] / r5;
        J[3 * 4 + 1] = -1 / r3 + 3 * x[1] * x[1] / r5;
      });
}

/// Van der Pol with mu = 1 (non-stiff, nonlinear), exact Jacobian.
inline LambdaProblem van_der_pol_1() {
  return LambdaProblem(
      2,
      [](double, const double* y, double* f) {
        f[0] = y[1];
        f[1] = (1 - y[0] * y[0]) * y[1] - y[0];
      },
      [](double, const double* y, double* J) {
        J[0] = 0, J[1] = 1, J[2] = -2 * y[0] * y[1] - 1, J[3] = 1 - y[0] * y[0];
      });
}

/// Kepler orbit with eccentricity 0.5, started at perihelion: after one period 2 pi it is back at its start.
inline std::vector<double> kepler_start() {
  const double e = 0.5;
  return {1 - e, 0, 0, std::sqrt((1 + e) / (1 - e))};
}
inline double kepler_return_error(const Solution& s) {
  const std::size_t last = s.size() - 1;
  return std::hypot(s.state(0, last) - 0.5, s.state(1, last));
}

/// Least-squares slope of log(error) against log(steps) over adaptive solves at several tolerances: -p for a
/// method of order p once the tolerances are in its asymptotic range.
inline double work_precision_slope(const std::string& method, const std::vector<double>& tolerances,
                                   int max_order = 5) {
  std::vector<double> lx, ly;
  for (double tol : tolerances) {
    LambdaProblem p = kepler();
    SolveOptions o;
    o.method = method;
    o.t1 = 2 * M_PI;
    o.rtol = tol;
    o.atol = {tol};
    o.n_save_points = 2;
    o.max_order = max_order;
    const Solution s = solve(p, kepler_start(), o);
    lx.push_back(std::log(static_cast<double>(s.stats.accepted_steps)));
    ly.push_back(std::log(kepler_return_error(s)));
  }
  const double n = static_cast<double>(lx.size());
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (std::size_t i = 0; i < lx.size(); ++i) {
    sx += lx[i];
    sy += ly[i];
    sxx += lx[i] * lx[i];
    sxy += lx[i] * ly[i];
  }
  return (n * sxy - sx * sy) / (n * sxx - sx * sx);
}

// A ball dropped from 1 m, restitution 0.8: bounce k happens at t1 (1 + 2 sum_{i<k} e^i), t1 = sqrt(2 h / g).
class BouncingBall : public LambdaProblem {
 public:
  BouncingBall()
      : LambdaProblem(2, [](double, const double* x, double* dx) {
          dx[0] = x[1];
          dx[1] = -9.81;
        }) {}
  int event_count() const override { return 1; }
  void event_functions(double, const double* x, double* g) override { g[0] = x[0]; }
  Crossing event_crossing(int) const override { return Crossing::Falling; }
  bool apply_event(int, double, double* x) override {
    x[1] = -0.8 * x[1];
    return false;
  }
};

// x' = -x + z,   0 = z^3 + z - (s^3 + s) with s = sin t   =>   z = sin t,  x = (e^-t + sin t - cos t) / 2.
// The algebraic equation is nonlinear in z (Newton has work to do) and dg/dz = 3 z^2 + 1 never vanishes: index 1.
class KnownDae : public LambdaProblem {
 public:
  KnownDae()
      : LambdaProblem(2, [](double t, const double* y, double* f) {
          const double s = std::sin(t);
          f[0] = -y[0] + y[1];
          f[1] = y[1] * y[1] * y[1] + y[1] - (s * s * s + s);
        }) {}
  std::vector<std::uint8_t> differential_mask() const override { return {1, 0}; }
  static double x(double t) { return (std::exp(-t) + std::sin(t) - std::cos(t)) / 2; }
};

/// x'' = -x as the separable system q' = p, p' = -q, with its (position, velocity) pair declared for the
/// symplectic methods.
class SeparableOscillator : public LambdaProblem {
 public:
  SeparableOscillator()
      : LambdaProblem(2, [](double, const double* x, double* dx) {
          dx[0] = x[1];
          dx[1] = -x[0];
        }) {}
  std::vector<std::pair<int, int>> second_order_pairs() const override { return {{0, 1}}; }
};

}  // namespace numen::test
