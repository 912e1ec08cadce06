#include "solve/dae_init.h"

#include <Eigen/Dense>
#include <algorithm>
#include <limits>

#include "common/text.h"

namespace numen::detail {
namespace {

// dg/dz: rows and columns of the algebraic variables, from the exact Jacobian or forward differences.
Eigen::MatrixXd algebraic_jacobian(Integration& ig, double t, const double* x, const std::vector<int>& alg,
                                   const std::vector<double>& f0) {
  const int m = static_cast<int>(alg.size());
  Eigen::MatrixXd Jzz = Eigen::MatrixXd::Zero(m, m);
  std::vector<int> where(static_cast<std::size_t>(ig.n), -1);
  for (int k = 0; k < m; ++k) where[static_cast<std::size_t>(alg[static_cast<std::size_t>(k)])] = k;
  ++ig.stats.jacobian_evals;
  if (const SparsityPattern* p = ig.problem.jacobian_pattern()) {
    std::vector<double> values(static_cast<std::size_t>(p->nnz()));
    ig.problem.jacobian(t, x, values.data());
    for (int k = 0; k < m; ++k) {
      const int col = alg[static_cast<std::size_t>(k)];
      for (int e = p->col_start[static_cast<std::size_t>(col)]; e < p->col_start[static_cast<std::size_t>(col) + 1];
           ++e) {
        const int row = where[static_cast<std::size_t>(p->row_index[static_cast<std::size_t>(e)])];
        if (row >= 0) Jzz(row, k) = values[static_cast<std::size_t>(e)];
      }
    }
    return Jzz;
  }
  std::vector<double> xp(x, x + ig.n), f1(static_cast<std::size_t>(ig.n));
  for (int k = 0; k < m; ++k) {
    const std::size_t col = static_cast<std::size_t>(alg[static_cast<std::size_t>(k)]);
    const double delta = std::sqrt(std::numeric_limits<double>::epsilon()) *
                         std::max(std::fabs(x[col]), std::min(1.0, ig.atol[col] / ig.rtol));
    xp[col] = x[col] + delta;
    ig.f(t, xp.data(), f1.data());
    for (int r = 0; r < m; ++r) {
      const std::size_t row = static_cast<std::size_t>(alg[static_cast<std::size_t>(r)]);
      Jzz(r, k) = (f1[row] - f0[row]) / delta;
    }
    xp[col] = x[col];
  }
  return Jzz;
}

// The full df/dx, dense.
Eigen::MatrixXd full_jacobian(Integration& ig, double t, const double* x, const std::vector<double>& f0) {
  std::vector<int> all(static_cast<std::size_t>(ig.n));
  for (int i = 0; i < ig.n; ++i) all[static_cast<std::size_t>(i)] = i;
  return algebraic_jacobian(ig, t, x, all, f0);
}

constexpr int kGeneralMassMaxSize = 2000;  // dense null spaces of M beyond this would cost more than the solve

// A general M: the constraints are the combinations N^T f = 0 (the columns of N span M's left null space: with a
// capacitor between two nodes, the sum of the nodes' equations), and the unknowns move x along V (M's null space:
// the directions in which no derivative is given). Index 1 means N^T J V is invertible.
bool initialize_general(Integration& ig, double t, double* x) {
  const int n = ig.n;
  if (n > kGeneralMassMaxSize)
    return ig.fail(SolveStatus::InitFailure, "a model with der() inside its equations and " + std::to_string(n) +
                                                 " unknowns is beyond the " + std::to_string(kGeneralMassMaxSize) +
                                                 " for which numen finds consistent initial values");
  if (ig.mass_varies) ig.problem.mass_matrix(t, x, ig.mass_values.data());  // M's null spaces where we start
  Eigen::MatrixXd M = Eigen::MatrixXd::Zero(n, n);
  for (int j = 0; j < n; ++j)
    for (int k = ig.mass->col_start[static_cast<std::size_t>(j)];
         k < ig.mass->col_start[static_cast<std::size_t>(j) + 1]; ++k)
      M(ig.mass->row_index[static_cast<std::size_t>(k)], j) += ig.mass_values[static_cast<std::size_t>(k)];
  Eigen::FullPivLU<Eigen::MatrixXd> lu(M);
  if (lu.rank() == n) return true;
  const Eigen::MatrixXd V = lu.kernel();
  const Eigen::MatrixXd N = Eigen::FullPivLU<Eigen::MatrixXd>(M.transpose()).kernel();
  const int m = static_cast<int>(V.cols());
  std::vector<double> f(static_cast<std::size_t>(n)), trial(static_cast<std::size_t>(n)),
      ft(static_cast<std::size_t>(n));
  Eigen::Map<Eigen::VectorXd> fv(f.data(), n), ftv(ft.data(), n);
  Eigen::VectorXd g(m), dx(n);
  double last_step = std::numeric_limits<double>::infinity();
  for (int iteration = 0; iteration < 50; ++iteration) {
    ig.f(t, x, f.data());
    g = N.transpose() * fv;
    if (!g.allFinite()) break;
    const Eigen::MatrixXd G = N.transpose() * full_jacobian(ig, t, x, f) * V;
    Eigen::FullPivLU<Eigen::MatrixXd> glu(G);
    if (!glu.isInvertible())
      return ig.fail(SolveStatus::InitFailure,
                     "the model's algebraic part is singular at t = " + text::format_number(t) +
                         " (the DAE is not index 1 there): the equations that give no derivative, and the sums of "
                         "equations in which the derivatives cancel, do not determine the variables whose "
                         "derivatives no equation gives");
    dx = -(V * glu.solve(g));
    double norm = 0.0;
    int worst = 0;
    double worst_r = -1.0;
    for (int i = 0; i < n; ++i) {
      const double r = dx(i) / (ig.atol[static_cast<std::size_t>(i)] + ig.rtol * std::fabs(x[i]));
      norm += r * r;
      if (std::fabs(r) > worst_r) worst_r = std::fabs(r), worst = i;
    }
    norm = std::sqrt(norm / n);
    if (!ig.options.initialize_algebraic) {
      if (norm <= 1.0) return true;
      return ig.fail(SolveStatus::InitFailure, "inconsistent initial values: " + ig.problem.state_name(worst) + " is " +
                                                   text::format_number(x[worst]) + " but the equations need about " +
                                                   text::format_number(x[worst] + dx(worst)) +
                                                   "; set `initialize_algebraic: true` to compute consistent values");
    }
    double lambda = 1.0;
    for (int damp = 0; damp < 10; ++damp) {
      for (int i = 0; i < n; ++i) trial[static_cast<std::size_t>(i)] = x[i] + lambda * dx(i);
      ig.f(t, trial.data(), ft.data());
      const Eigen::VectorXd gt = N.transpose() * ftv;
      if (gt.allFinite() && gt.norm() <= g.norm() * (1 - 1e-4 * lambda) + 1e-300) break;
      lambda *= 0.5;
    }
    std::copy(trial.begin(), trial.end(), x);
    if (norm < 1e-8 || (norm < 1e-3 && norm >= 0.5 * last_step)) return true;
    last_step = norm;
  }
  return ig.fail(SolveStatus::InitFailure, "could not find consistent initial values at t = " + text::format_number(t) +
                                               ": the equations without derivatives keep a residual of " +
                                               text::format_number(g.norm()) + "; give better initial values");
}

}  // namespace

bool initialize_algebraic(Integration& ig, double t, double* x) {
  if (ig.mass) return initialize_general(ig, t, x);
  std::vector<int> alg;
  for (int i = 0; i < static_cast<int>(ig.mask.size()); ++i)
    if (!ig.mask[static_cast<std::size_t>(i)]) alg.push_back(i);
  if (alg.empty()) return true;
  const int m = static_cast<int>(alg.size());
  std::vector<double> f(static_cast<std::size_t>(ig.n));
  Eigen::VectorXd g(m), dz(m);
  double last_step = std::numeric_limits<double>::infinity();
  for (int iteration = 0; iteration < 50; ++iteration) {
    ig.f(t, x, f.data());
    for (int k = 0; k < m; ++k) g(k) = f[static_cast<std::size_t>(alg[static_cast<std::size_t>(k)])];
    if (!g.allFinite()) break;
    const Eigen::MatrixXd Jzz = algebraic_jacobian(ig, t, x, alg, f);
    Eigen::FullPivLU<Eigen::MatrixXd> lu(Jzz);
    if (!lu.isInvertible()) {
      return ig.fail(SolveStatus::InitFailure,
                     "the algebraic equations are singular in their unknowns at t = " + text::format_number(t) +
                         " (the DAE is not index 1 there): check that each algebraic variable's equation depends "
                         "on it");
    }
    dz = -lu.solve(g);
    // Size of the step against the tolerances: far below 1 means consistent to well within the solve's accuracy.
    double norm = 0.0;
    for (int k = 0; k < m; ++k) {
      const std::size_t i = static_cast<std::size_t>(alg[static_cast<std::size_t>(k)]);
      const double r = dz(k) / (ig.atol[i] + ig.rtol * std::fabs(x[i]));
      norm += r * r;
    }
    norm = std::sqrt(norm / m);
    if (!ig.options.initialize_algebraic) {
      if (norm <= 1.0) return true;
      int worst = 0;
      dz.cwiseAbs().maxCoeff(&worst);
      const std::size_t i = static_cast<std::size_t>(alg[static_cast<std::size_t>(worst)]);
      return ig.fail(SolveStatus::InitFailure, "inconsistent initial values: algebraic variable " +
                                                   ig.problem.state_name(static_cast<int>(i)) + " is " +
                                                   text::format_number(x[i]) + " but its equation needs about " +
                                                   text::format_number(x[i] + dz(worst)) +
                                                   "; set `initialize_algebraic: true` to compute consistent values");
    }
    // Damped Newton: halve the step while it does not reduce the residual.
    double lambda = 1.0;
    std::vector<double> trial(x, x + ig.n), ft(static_cast<std::size_t>(ig.n));
    for (int damp = 0; damp < 10; ++damp) {
      for (int k = 0; k < m; ++k) {
        const std::size_t i = static_cast<std::size_t>(alg[static_cast<std::size_t>(k)]);
        trial[i] = x[i] + lambda * dz(k);
      }
      ig.f(t, trial.data(), ft.data());
      double gt = 0.0;
      bool finite = true;
      for (int k = 0; k < m; ++k) {
        const double v = ft[static_cast<std::size_t>(alg[static_cast<std::size_t>(k)])];
        finite = finite && std::isfinite(v);
        gt += v * v;
      }
      if (finite && std::sqrt(gt) <= g.norm() * (1 - 1e-4 * lambda) + 1e-300) break;
      lambda *= 0.5;
    }
    for (int k = 0; k < m; ++k) {
      const std::size_t i = static_cast<std::size_t>(alg[static_cast<std::size_t>(k)]);
      x[i] = trial[i];
    }
    if (norm < 1e-8 || (norm < 1e-3 && norm >= 0.5 * last_step)) return true;
    last_step = norm;
  }
  int worst = 0;
  g.cwiseAbs().maxCoeff(&worst);
  return ig.fail(SolveStatus::InitFailure,
                 "could not find consistent values for the algebraic variables at t = " + text::format_number(t) +
                     ": the equation of " + ig.problem.state_name(alg[static_cast<std::size_t>(worst)]) +
                     " keeps a residual of " + text::format_number(g(worst)) +
                     "; give better initial values for the algebraic variables");
}

}  // namespace numen::detail
