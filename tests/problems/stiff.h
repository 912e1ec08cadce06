#pragma once
// Classic stiff test problems with hand-written right-hand sides and exact dense Jacobians, and their reference
// solutions from the Test Set for IVP Solvers (F. Mazzia, C. Magherini et al., Bari; reference values computed
// with RADAU5 in extended precision). Shared by the solver tests and the benchmarks against CVODE, which run the
// very same C++ functions.
#include <array>
#include <string>
#include <vector>

#include "numen/problem.h"

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
  std::vector<double> reference() const override { return {0.2083340149701255e-7, 0.8333360770334713e-13, 0.9999999791665050}; }
  double atol_scale() const override { return 1e-14; }  // y2 lives near 1e-13 at the end
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

}  // namespace numen::problems
