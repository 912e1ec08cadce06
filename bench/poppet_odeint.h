#pragma once
// The anchor for fluid_poppet's solve (issue 16): the same model written by hand in C++, as an engineer would
// without numen (constants that depend on parameters computed once), solved by Boost.Odeint's dense-output
// runge_kutta_dopri5 at the same tolerances and output times. It is a reference for the benchmark only: it knows
// nothing of switching points and steps through the seat contacts on its error control alone.
//
// The equations are models/fluid_poppet.yaml's with models/lib/pneumatic.yaml's isothermal volume and orifice and
// the built-in orifice_flow (core/src/expr/builtins.cpp), state order as numen reports it: inlet_tank.p,
// inlet_pipe.p, outlet_pipe.p, outlet_tank.p, valve.x, valve.v. The benchmark compares the two solutions.
#include <algorithm>
#include <array>
#include <boost/numeric/odeint.hpp>
#include <cmath>
#include <vector>

namespace numen::bench {

struct PoppetByHand {
  using State = std::array<double, 6>;
  // Gas (every volume): T, R; orifices: Cd, gamma (all three), areas.
  static constexpr double T = 293.15, R = 287.058, Cd = 0.7, gamma = 1.4;
  static constexpr double V_tank = 1e-2, V_pipe = 5e-5, A_orifice = 2e-5;
  // Poppet.
  static constexpr double m = 0.02, k = 5000, preload = 5, A_seat = 5e-5, x_max = 3e-3, k_stop = 1e7, c_stop = 100,
                          delta = 1e-6, A_max = 5e-5;
  const double crit = std::pow(2 / (gamma + 1), gamma / (gamma - 1));
  const double choked = Cd * std::sqrt(gamma / (R * T)) * std::pow(2 / (gamma + 1), (gamma + 1) / (2 * (gamma - 1)));
  const double unchoked = 2 * gamma / ((gamma - 1) * R * T);

  static State initial() { return {3e5, 3e5, 1e5, 1e5, 0, 0}; }

  // Mass flow from up to down (>= 0), choked or not (ISO 6358 form).
  double mdot(double p_up, double p_dn, double A) const {
    if (p_up <= 0 || A <= 0) return 0;
    const double beta = std::max(0.0, p_dn) / p_up;
    if (beta <= crit) return p_up * A * choked;
    const double r = std::pow(beta, 1 / gamma);
    return p_up * Cd * A * std::sqrt(std::max(0.0, unchoked * r * (r - beta)));
  }
  double flow(double pa, double pb, double A) const { return pa >= pb ? mdot(pa, pb, A) : -mdot(pb, pa, A); }
  static double softpen(double s, double d) { return s <= 0 ? 0 : s >= d ? s - 0.5 * d : 0.5 * s * s / d; }

  void operator()(const State& y, State& dy, double /*t*/) const {
    const double x = y[4], v = y[5];
    const double q_in = flow(y[0], y[1], A_orifice);
    const double q_valve = flow(y[1], y[2], A_max * std::clamp(x / x_max, 0.0, 1.0));
    const double q_out = flow(y[2], y[3], A_orifice);
    const double seat = k_stop * softpen(-x, delta) + c_stop * std::max(0.0, -v) * std::clamp(-x / delta, 0.0, 1.0);
    const double stop =
        k_stop * softpen(x - x_max, delta) + c_stop * std::max(0.0, v) * std::clamp((x - x_max) / delta, 0.0, 1.0);
    dy[0] = -R * T / V_tank * q_in;
    dy[1] = R * T / V_pipe * (q_in - q_valve);
    dy[2] = R * T / V_pipe * (q_valve - q_out);
    dy[3] = R * T / V_tank * q_out;
    dy[4] = v;
    dy[5] = ((y[1] - y[2]) * A_seat - (k * x + preload) + seat - stop) / m;
  }

  /// Solves over [0, t1] at rtol/atol, saving at n evenly spaced times (the first and last included), into out
  /// (n x 6, row by row). Returns the number of f evaluations. `dense`: Odeint's dense-output dopri5, which steps
  /// freely and interpolates the output times (as numen does); otherwise its controlled dopri5, which steps onto
  /// every output time (what integrate_times does with a controlled stepper).
  long solve(double t1, double rtol, double atol, int n, std::vector<double>& out, bool dense = true) const {
    namespace odeint = boost::numeric::odeint;
    long calls = 0;
    auto f = [&](const State& y, State& dy, double t) {
      ++calls;
      (*this)(y, dy, t);
    };
    std::vector<double> times(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) times[static_cast<std::size_t>(i)] = t1 * i / (n - 1);
    out.resize(static_cast<std::size_t>(n) * 6);
    std::size_t row = 0;
    State y = initial();
    auto save = [&](const State& s, double) {
      std::copy(s.begin(), s.end(), out.begin() + static_cast<std::ptrdiff_t>(6 * row++));
    };
    if (dense)
      odeint::integrate_times(odeint::make_dense_output(atol, rtol, odeint::runge_kutta_dopri5<State>()), f, y,
                              times.begin(), times.end(), 1e-6, save);
    else
      odeint::integrate_times(odeint::make_controlled(atol, rtol, odeint::runge_kutta_dopri5<State>()), f, y,
                              times.begin(), times.end(), 1e-6, save);
    return calls;
  }
};

}  // namespace numen::bench
