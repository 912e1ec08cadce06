#pragma once
// Classic stiff test problems with hand-written right-hand sides and exact dense Jacobians, and their reference
// solutions from the Test Set for IVP Solvers (F. Mazzia, C. Magherini et al., Bari; reference values computed
// with RADAU5 in extended precision). Shared by the solver tests and the benchmarks against CVODE, which run the
// very same C++ functions.
#include <algorithm>
#include <array>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "numen/problem.h"
#include "numen/solve.h"

namespace numen::problems {

/// A problem with a dense exact Jacobian given row-major by jacobian_dense().
class DenseProblem : public OdeProblem {
 public:
  explicit DenseProblem(int n) : n_(n), pattern_(SparsityPattern::dense(n)), jac_(static_cast<std::size_t>(n * n)) {}
  int size() const override { return n_; }
  const SparsityPattern* jacobian_pattern() const override { return &pattern_; }
  bool autonomous() const override { return true; }
  void jacobian(double t, const double* x, double* values) override {
    jacobian_dense(t, x, jac_.data());
    for (int j = 0; j < n_; ++j)  // column-major, as the dense pattern lists it
      for (int i = 0; i < n_; ++i) values[j * n_ + i] = jac_[static_cast<std::size_t>(i * n_ + j)];
  }
  /// J[i * n + j] = d f_i / d x_j
  virtual void jacobian_dense(double t, const double* x, double* J) = 0;

  virtual std::string name() const = 0;
  virtual std::vector<double> initial() const = 0;
  virtual double t_end() const = 0;
  virtual std::vector<double> reference() const = 0;
  /// Absolute tolerance scale suited to the problem's magnitudes (the Test Set's recommendations).
  virtual double atol_scale() const { return 1.0; }
  /// The tolerances the accuracy table (bench/stiff_accuracy.cpp) runs at: the defaults of the Test Set's own
  /// drivers as packaged in deTestSet (R), unless a problem says otherwise.
  virtual double testset_rtol() const { return 1e-6; }
  virtual double testset_atol() const { return 1e-6; }
  /// The state in the variables the published reference is given in (problems solved in transformed variables
  /// map back here; the others are the identity).
  virtual std::vector<double> published_variables(const double* x) const { return std::vector<double>(x, x + size()); }

 private:
  int n_;
  SparsityPattern pattern_;
  std::vector<double> jac_;
};

/// Robertson's chemical kinetics, t in [0, 1e11]: stiffness ratio ~1e13, components spanning 13 decades.
class Robertson final : public DenseProblem {
 public:
  Robertson() : DenseProblem(3) {}
  std::string name() const override { return "ROBER"; }
  void rhs(double, const double* y, double* dy) override {
    dy[0] = -0.04 * y[0] + 1e4 * y[1] * y[2];
    dy[2] = 3e7 * y[1] * y[1];
    dy[1] = -dy[0] - dy[2];
  }
  void jacobian_dense(double, const double* y, double* J) override {
    J[0] = -0.04, J[1] = 1e4 * y[2], J[2] = 1e4 * y[1];
    J[6] = 0, J[7] = 6e7 * y[1], J[8] = 0;
    J[3] = 0.04, J[4] = -1e4 * y[2] - 6e7 * y[1], J[5] = -1e4 * y[1];
  }
  std::vector<double> initial() const override { return {1, 0, 0}; }
  double t_end() const override { return 1e11; }
  std::vector<double> reference() const override {
    return {0.2083340149701255e-7, 0.8333360770334713e-13, 0.9999999791665050};
  }
  double atol_scale() const override { return 1e-14; }  // y2 lives near 1e-13 at the end
  double testset_rtol() const override { return 1e-10; }
  double testset_atol() const override { return 1e-14; }
};

/// Van der Pol with mu = 1000 on [0, 2000] (the Test Set's VDPOL): relaxation oscillations with sharp turns.
class VanDerPol final : public DenseProblem {
 public:
  VanDerPol() : DenseProblem(2) {}
  std::string name() const override { return "VDPOL"; }
  void rhs(double, const double* y, double* dy) override {
    dy[0] = y[1];
    dy[1] = kMu * (1 - y[0] * y[0]) * y[1] - y[0];
  }
  void jacobian_dense(double, const double* y, double* J) override {
    J[0] = 0, J[1] = 1;
    J[2] = -2 * kMu * y[0] * y[1] - 1, J[3] = kMu * (1 - y[0] * y[0]);
  }
  std::vector<double> initial() const override { return {2, 0}; }
  double t_end() const override { return 2000; }
  std::vector<double> reference() const override { return {0.1706167732170469e1, -0.8928097010248125e-3}; }

 private:
  static constexpr double kMu = 1000;
};

/// HIRES: "High Irradiance RESponse" of plant morphogenesis, 8 species, t in [0, 321.8122].
class Hires final : public DenseProblem {
 public:
  Hires() : DenseProblem(8) {}
  std::string name() const override { return "HIRES"; }
  void rhs(double, const double* y, double* dy) override {
    dy[0] = -1.71 * y[0] + 0.43 * y[1] + 8.32 * y[2] + 0.0007;
    dy[1] = 1.71 * y[0] - 8.75 * y[1];
    dy[2] = -10.03 * y[2] + 0.43 * y[3] + 0.035 * y[4];
    dy[3] = 8.32 * y[1] + 1.71 * y[2] - 1.12 * y[3];
    dy[4] = -1.745 * y[4] + 0.43 * y[5] + 0.43 * y[6];
    dy[5] = -280 * y[5] * y[7] + 0.69 * y[3] + 1.71 * y[4] - 0.43 * y[5] + 0.69 * y[6];
    dy[6] = 280 * y[5] * y[7] - 1.81 * y[6];
    dy[7] = -dy[6];
  }
  void jacobian_dense(double, const double* y, double* J) override {
    std::fill(J, J + 64, 0.0);
    auto at = [J](int i, int j) -> double& { return J[i * 8 + j]; };
    at(0, 0) = -1.71, at(0, 1) = 0.43, at(0, 2) = 8.32;
    at(1, 0) = 1.71, at(1, 1) = -8.75;
    at(2, 2) = -10.03, at(2, 3) = 0.43, at(2, 4) = 0.035;
    at(3, 1) = 8.32, at(3, 2) = 1.71, at(3, 3) = -1.12;
    at(4, 4) = -1.745, at(4, 5) = 0.43, at(4, 6) = 0.43;
    at(5, 3) = 0.69, at(5, 4) = 1.71, at(5, 5) = -0.43 - 280 * y[7], at(5, 6) = 0.69, at(5, 7) = -280 * y[5];
    at(6, 5) = 280 * y[7], at(6, 6) = -1.81, at(6, 7) = 280 * y[5];
    at(7, 5) = -280 * y[7], at(7, 6) = 1.81, at(7, 7) = -280 * y[5];
  }
  std::vector<double> initial() const override { return {1, 0, 0, 0, 0, 0, 0, 0.0057}; }
  double t_end() const override { return 321.8122; }
  std::vector<double> reference() const override {
    return {0.7371312573325668e-3, 0.1442485726316185e-3, 0.5888729740967575e-4, 0.1175651343283149e-2,
            0.2386356198831331e-2, 0.6238968252742796e-2, 0.2849998395185769e-2, 0.2850001604814231e-2};
  }
  double atol_scale() const override { return 1e-4; }
};

/// OREGO: the Oregonator (Belousov-Zhabotinsky reaction), t in [0, 360], components spanning 5 decades.
class Oregonator final : public DenseProblem {
 public:
  Oregonator() : DenseProblem(3) {}
  std::string name() const override { return "OREGO"; }
  void rhs(double, const double* y, double* dy) override {
    dy[0] = 77.27 * (y[1] + y[0] * (1 - 8.375e-6 * y[0] - y[1]));
    dy[1] = (y[2] - (1 + y[0]) * y[1]) / 77.27;
    dy[2] = 0.161 * (y[0] - y[2]);
  }
  void jacobian_dense(double, const double* y, double* J) override {
    J[0] = 77.27 * (1 - 2 * 8.375e-6 * y[0] - y[1]), J[1] = 77.27 * (1 - y[0]), J[2] = 0;
    J[3] = -y[1] / 77.27, J[4] = -(1 + y[0]) / 77.27, J[5] = 1 / 77.27;
    J[6] = 0.161, J[7] = 0, J[8] = -0.161;
  }
  std::vector<double> initial() const override { return {1, 2, 3}; }
  double t_end() const override { return 360; }
  std::vector<double> reference() const override {
    return {0.1000814870318523e1, 0.1228178521549917e4, 0.1320554942846706e3};
  }
};

/// E5: Hairer & Wanner's chemical pyrolysis problem (stiff DETEST E5), t in [0, 1e13]. y1 decays from 1.76e-3 to
/// ~1e-290; y2 - y3 - y4 is an exact linear invariant (f3 = f2 - f4), zero from the start. The iteration matrix
/// W = I / (h gamma) - J reaches condition ~1e12 and more, and the small components (~1e-22 at the end) are what
/// the error test must protect: the Test Set runs it with atol = 1.7e-24 (Hairer & Wanner's Atol) - rtol 1e-7 is
/// the setting of the issue that found it.
class E5 : public DenseProblem {
 public:
  E5() : DenseProblem(4) {}
  std::string name() const override { return "E5"; }
  void rhs(double, const double* y, double* dy) override {
    const double prod1 = kA * y[0], prod2 = kB * y[0] * y[2], prod3 = kCM * y[1] * y[2], prod4 = kC * y[3];
    dy[0] = -prod1 - prod2;
    dy[1] = prod1 - prod3;
    dy[3] = prod2 - prod4;
    dy[2] = dy[1] - dy[3];
  }
  void jacobian_dense(double, const double* y, double* J) override {
    J[0] = -kA - kB * y[2], J[1] = 0, J[2] = -kB * y[0], J[3] = 0;
    J[4] = kA, J[5] = -kCM * y[2], J[6] = -kCM * y[1], J[7] = 0;
    J[8] = kA - kB * y[2], J[9] = -kCM * y[2], J[10] = -kB * y[0] - kCM * y[1], J[11] = kC;
    J[12] = kB * y[2], J[13] = 0, J[14] = kB * y[0], J[15] = -kC;
  }
  std::vector<double> initial() const override { return {1.76e-3, 0, 0, 0}; }
  double t_end() const override { return 1e13; }
  // The Test Set's solut (e5.f, revision 1.3): RADAU in quadruple-ish precision (uround 1.01e-19, rtol 1.1e-18,
  // atol 1.1e-40). y4 is published as exactly 0 (it is ~1e-306 there); y1 ~ 1e-290 and y4 are below the Test Set's
  // 1e-200 floor, so its relative scd is taken over y2 and y3 only.
  std::vector<double> reference() const override {
    return {0.1152903278711829e-290, 0.8867655517642120e-22, 0.8854814626268838e-22, 0.0};
  }
  double atol_scale() const override { return 1.7e-24 / 1e-7; }  // atol 1.7e-24 at rtol 1e-7
  double testset_rtol() const override { return 1e-7; }
  double testset_atol() const override { return 1.7e-24; }

 private:
  static constexpr double kA = 7.89e-10, kB = 1.1e7, kCM = 1.13e9, kC = 1.13e3;
};

/// TRANSAMP: the Test Set's transistor amplifier, an index-1 DAE of 8 equations on [0, 0.2] (revision 1.3 of
/// transamp.f). The published form is M y' = f(t, y) with node potentials y and a mass matrix that couples the
/// nodes joined by capacitors C1 (y1, y2), C3 (y4, y5) and C5 (y7, y8):
///   rows 1, 2:  C1 (-y1' + y2') = f1,   C1 (y1' - y2') = f2      rows 4, 5 the same with C3, y4, y5, f4, f5
///   row 3:      -C2 y3' = f3            row 6: -C4 y6' = f6      rows 7, 8 the same with C5, y7, y8, f7, f8
/// M is singular but not diagonal, and OdeProblem only takes a diagonal 0/1 mass matrix. So the problem is solved
/// in the capacitor voltages: the change of variables y = T u with
///   u = (y1 - y2, y2, y3, y4 - y5, y5, y6, y7 - y8, y8),   i.e.  y1 = u1 + u2, y4 = u4 + u5, y7 = u7 + u8,
/// and the row combinations L (each coupled pair: the first row divided by -C, and the sum of the two rows; the
/// rows of C2 and C4 divided by -C) make L M T = diag(1, 0, 1, 1, 0, 1, 1, 0):
///   u1' = -f1 / C1,  0 = f1 + f2,  u3' = -f3 / C2,  u4' = -f4 / C3,  0 = f4 + f5,  u6' = -f6 / C4,
///   u7' = -f7 / C5,  0 = f7 + f8.
/// The solutions are the same (T and L are invertible), and the exact Jacobian is L (df/dy) T. The reference is
/// compared in the published y = T u (published_variables).
class TransistorAmplifier final : public DenseProblem {
 public:
  TransistorAmplifier() : DenseProblem(8) {}
  std::string name() const override { return "TRANSAMP"; }
  bool autonomous() const override { return false; }
  bool has_time_derivative() const override { return true; }
  std::vector<std::uint8_t> differential_mask() const override { return {1, 0, 1, 1, 0, 1, 1, 0}; }

  static std::array<double, 8> to_y(const double* u) {
    return {u[0] + u[1], u[1], u[2], u[3] + u[4], u[4], u[5], u[6] + u[7], u[7]};
  }
  void rhs(double t, const double* u, double* g) override {
    const std::array<double, 8> y = to_y(u);
    double f[8];
    published_rhs(t, y.data(), f);
    combine_rows(f, g);
  }
  void time_derivative(double t, const double*, double* gt) override {
    double ft[8] = {-kUeAmplitude * kOmega * std::cos(kOmega * t) / kR0, 0, 0, 0, 0, 0, 0, 0};
    combine_rows(ft, gt);
  }
  void jacobian_dense(double, const double* u, double* J) override {
    const std::array<double, 8> y = to_y(u);
    double fy[64] = {};  // df/dy of the published f, row-major
    auto at = [&fy](int i, int j) -> double& { return fy[i * 8 + j]; };
    const double g1 = kBeta * std::exp((y[1] - y[2]) / kUf) / kUf, g2 = kBeta * std::exp((y[4] - y[5]) / kUf) / kUf;
    at(0, 0) = 1 / kR0;
    at(1, 1) = 1 / kR1 + 1 / kR2 + (1 - kAlpha) * g1, at(1, 2) = -(1 - kAlpha) * g1;
    at(2, 1) = -g1, at(2, 2) = 1 / kR3 + g1;
    at(3, 1) = kAlpha * g1, at(3, 2) = -kAlpha * g1, at(3, 3) = 1 / kR4;
    at(4, 4) = 1 / kR5 + 1 / kR6 + (1 - kAlpha) * g2, at(4, 5) = -(1 - kAlpha) * g2;
    at(5, 4) = -g2, at(5, 5) = 1 / kR7 + g2;
    at(6, 4) = kAlpha * g2, at(6, 5) = -kAlpha * g2, at(6, 6) = 1 / kR8;
    at(7, 7) = 1 / kR9;
    // (df/dy) T: column j of T is dy/du_j; u1, u4, u7 enter y1, y4, y7 only, u2, u5, u8 enter both nodes of a pair.
    double ft[64];
    for (int i = 0; i < 8; ++i)
      for (int j = 0; j < 8; ++j) {
        double v = at(i, j);
        if (j == 1 || j == 4 || j == 7) v += at(i, j - 1);
        ft[i * 8 + j] = v;
      }
    for (int j = 0; j < 8; ++j) {  // then L, one column at a time
      double col[8], out[8];
      for (int i = 0; i < 8; ++i) col[i] = ft[i * 8 + j];
      combine_rows(col, out);
      for (int i = 0; i < 8; ++i) J[i * 8 + j] = out[i];
    }
  }
  std::vector<double> initial() const override {
    const double y2 = kUb / (kR2 / kR1 + 1), y5 = kUb / (kR6 / kR5 + 1);  // the Test Set's consistent y(0)
    const double y[8] = {0, y2, y2, kUb, y5, y5, kUb, 0};
    return {y[0] - y[1], y[1], y[2], y[3] - y[4], y[4], y[5], y[6] - y[7], y[7]};
  }
  double t_end() const override { return 0.2; }
  // The Test Set's solut: PSIDE on a Cray C90 at rtol = atol = 1e-14, in the published variables y.
  std::vector<double> reference() const override {
    return {-0.5562145012262709e-002, 0.3006522471903042e+001, 0.2849958788608128e+001, 0.2926422536206241e+001,
            0.2704617865010554e+001,  0.2761837778393145e+001, 0.4770927631616772e+001, 0.1236995868091548e+001};
  }
  std::vector<double> published_variables(const double* u) const override {
    const std::array<double, 8> y = to_y(u);
    return std::vector<double>(y.begin(), y.end());
  }

 private:
  // f of the Test Set's feval (currents, in A).
  static void published_rhs(double t, const double* y, double* f) {
    const double ue = kUeAmplitude * std::sin(kOmega * t);
    const double fac1 = kBeta * (std::exp((y[1] - y[2]) / kUf) - 1), fac2 = kBeta * (std::exp((y[4] - y[5]) / kUf) - 1);
    f[0] = (y[0] - ue) / kR0;
    f[1] = y[1] / kR1 + (y[1] - kUb) / kR2 + (1 - kAlpha) * fac1;
    f[2] = y[2] / kR3 - fac1;
    f[3] = (y[3] - kUb) / kR4 + kAlpha * fac1;
    f[4] = y[4] / kR5 + (y[4] - kUb) / kR6 + (1 - kAlpha) * fac2;
    f[5] = y[5] / kR7 - fac2;
    f[6] = (y[6] - kUb) / kR8 + kAlpha * fac2;
    f[7] = y[7] / kR9;
  }
  // g = L f: the row combinations that make the mass matrix diag(1, 0, 1, 1, 0, 1, 1, 0) (see the class comment).
  static void combine_rows(const double* f, double* g) {
    g[0] = -f[0] / kC1, g[1] = f[0] + f[1];
    g[2] = -f[2] / kC2;
    g[3] = -f[3] / kC3, g[4] = f[3] + f[4];
    g[5] = -f[5] / kC4;
    g[6] = -f[6] / kC5, g[7] = f[6] + f[7];
  }
  static constexpr double kUb = 6, kUf = 0.026, kAlpha = 0.99, kBeta = 1e-6, kR0 = 1000, kR1 = 9000, kR2 = 9000,
                          kR3 = 9000, kR4 = 9000, kR5 = 9000, kR6 = 9000, kR7 = 9000, kR8 = 9000, kR9 = 9000,
                          kC1 = 1e-6, kC2 = 2e-6, kC3 = 3e-6, kC4 = 4e-6, kC5 = 5e-6;
  static constexpr double kUeAmplitude = 0.1, kOmega = 200 * 3.1415926535897931086244;
};

/// The Test Set's scd (report.f, getscd): -log10 of the largest relative error at the end over the components whose
/// reference is at least 1e-200 in magnitude (smaller ones, like E5's y1 and y4, are left out). mescd: the mixed
/// error -log10 max |err_i| / (atol / rtol + |ref_i|), over all components.
struct Digits {
  double scd, mescd;
};
inline Digits significant_digits(const DenseProblem& p, const double* x, double rtol, double atol) {
  const std::vector<double> y = p.published_variables(x), ref = p.reference();
  double rel = 0, mixed = 0;
  for (std::size_t i = 0; i < ref.size(); ++i) {
    const double err = std::fabs(ref[i] - y[i]);
    if (std::fabs(ref[i]) >= 1e-200) rel = std::max(rel, err / std::fabs(ref[i]));
    mixed = std::max(mixed, err / (atol / rtol + std::fabs(ref[i])));
  }
  if (!(rel == rel) || !(mixed == mixed)) return {-99, -99};  // NaN: no digits
  return {-std::log10(rel > 0 ? rel : 1e-16), -std::log10(mixed > 0 ? mixed : 1e-16)};
}

/// The six problems above, in the order of the Test Set tables.
inline std::vector<std::unique_ptr<DenseProblem>> test_set_problems() {
  std::vector<std::unique_ptr<DenseProblem>> all;
  all.emplace_back(new Robertson);
  all.emplace_back(new VanDerPol);
  all.emplace_back(new Hires);
  all.emplace_back(new Oregonator);
  all.emplace_back(new E5);
  all.emplace_back(new TransistorAmplifier);
  return all;
}

/// A solve at the Test Set's tolerances to the problem's end, saving the start and the end.
inline Solution solve_at_testset_settings(DenseProblem& p, const char* method) {
  SolveOptions o;
  o.method = method;
  o.t1 = p.t_end();
  o.rtol = p.testset_rtol();
  o.atol = {p.testset_atol()};
  o.n_save_points = 2;
  return solve(p, p.initial(), o);
}

}  // namespace numen::problems
