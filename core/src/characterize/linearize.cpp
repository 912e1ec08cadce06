// Operating points and linearizations from the model's exact Jacobians (see linearize.h).
#include "characterize/linearize.h"

#include <algorithm>
#include <cmath>

#include "common/text.h"

namespace numen::characterize {

namespace {

using Complex = std::complex<double>;

constexpr int kDenseLimit = 1500;  // above this, sparse factorizations (and no eigenvalues)

Eigen::SparseMatrix<double> jacobian_matrix(const Model& model, const std::vector<double>& p,
                                            const std::vector<double>& x, const std::vector<double>& u) {
  const SparsityPattern& pattern = model.jacobian_pattern();
  std::vector<double> values(static_cast<std::size_t>(pattern.nnz()));
  model.jacobian(0.0, x.data(), p.data(), values.data(), u.empty() ? nullptr : u.data());
  std::vector<Eigen::Triplet<double>> triplets;
  triplets.reserve(values.size());
  for (int j = 0; j < pattern.n; ++j)
    for (int k = pattern.col_start[static_cast<std::size_t>(j)]; k < pattern.col_start[static_cast<std::size_t>(j) + 1];
         ++k)
      triplets.emplace_back(pattern.row_index[static_cast<std::size_t>(k)], j, values[static_cast<std::size_t>(k)]);
  Eigen::SparseMatrix<double> a(pattern.n, pattern.n);
  a.setFromTriplets(triplets.begin(), triplets.end());
  return a;
}

bool all_finite(const std::vector<double>& v) {
  return std::all_of(v.begin(), v.end(), [](double x) { return std::isfinite(x); });
}

}  // namespace

OperatingPoint find_equilibrium(const Model& model, const std::vector<double>& parameters,
                                const std::vector<double>& guess, const std::vector<double>& inputs,
                                const std::vector<double>& weights) {
  const int n = static_cast<int>(guess.size());
  const double* u = inputs.empty() ? nullptr : inputs.data();
  OperatingPoint op{guess, false, ""};
  std::vector<double> f(static_cast<std::size_t>(n)), trial(static_cast<std::size_t>(n)), f_trial(f.size());
  model.rhs(0.0, op.x.data(), parameters.data(), f.data(), u);
  if (!all_finite(f)) {
    op.note = "f is not finite at the initial values";
    return op;
  }
  // Row scales turn residuals into "state error per unit time" so rows in Pa/s and m/s compare: |f_i| is small
  // when it is small against sum_j |J_ij| w_j.
  for (int iteration = 0; iteration < 60; ++iteration) {
    const Eigen::SparseMatrix<double> jac = jacobian_matrix(model, parameters, op.x, inputs);
    Eigen::VectorXd row_scale = Eigen::VectorXd::Constant(n, 1e-300);
    for (int j = 0; j < n; ++j)
      for (Eigen::SparseMatrix<double>::InnerIterator it(jac, j); it; ++it)
        row_scale[it.row()] += std::abs(it.value()) * weights[static_cast<std::size_t>(j)];
    auto scaled_norm = [&](const std::vector<double>& r) {
      double m = 0.0;
      for (int i = 0; i < n; ++i) m = std::max(m, std::abs(r[static_cast<std::size_t>(i)]) / row_scale[i]);
      return m;
    };
    const double residual = scaled_norm(f);
    if (!std::isfinite(row_scale.sum())) {
      op.note = "the Jacobian is not finite at the operating-point guess";
      return op;
    }
    if (residual <= 1e-6) {
      op.steady = true;
      return op;
    }
    const Eigen::Map<const Eigen::VectorXd> fv(f.data(), n);
    Eigen::VectorXd step;
    if (n <= kDenseLimit) {
      // Minimum-norm least squares: singular directions (free positions) get no correction.
      Eigen::MatrixXd dense = Eigen::MatrixXd(jac);
      Eigen::CompleteOrthogonalDecomposition<Eigen::MatrixXd> cod(dense);
      cod.setThreshold(1e-12);
      step = cod.solve(-fv);
    } else {
      Eigen::SparseLU<Eigen::SparseMatrix<double>> lu(jac);
      if (lu.info() != Eigen::Success) {
        op.note = "the Jacobian is singular at the operating-point guess";
        return op;
      }
      step = lu.solve(-fv);
    }
    double lambda = 1.0;
    bool improved = false;
    for (int k = 0; k < 20; ++k, lambda *= 0.5) {
      for (int i = 0; i < n; ++i)
        trial[static_cast<std::size_t>(i)] = op.x[static_cast<std::size_t>(i)] + lambda * step[i];
      model.rhs(0.0, trial.data(), parameters.data(), f_trial.data(), u);
      if (all_finite(f_trial) && scaled_norm(f_trial) < (1.0 - 1e-4 * lambda) * residual) {
        improved = true;
        break;
      }
    }
    if (!improved) {
      // Name the row that stays large: the most useful hint for "no equilibrium" (a constant force on a free mass).
      int worst = 0;
      for (int i = 1; i < n; ++i)
        if (std::abs(f[static_cast<std::size_t>(i)]) / row_scale[i] >
            std::abs(f[static_cast<std::size_t>(worst)]) / row_scale[worst])
          worst = i;
      op.note = "no equilibrium found near the initial values: the equation of `" +
                model.states()[static_cast<std::size_t>(worst)].key + "` keeps a residual of " +
                text::format_number(f[static_cast<std::size_t>(worst)]);
      return op;
    }
    op.x = trial;
    f = f_trial;
  }
  op.note = "Newton's method did not converge in 60 iterations";
  return op;
}

Linearization::Linearization(const Model& model, const std::vector<double>& parameters, const std::vector<double>& x,
                             const std::vector<double>& inputs, int port, const Probe& probe, double scale,
                             bool check_smoothness)
    : n_(static_cast<int>(x.size())), mask_(model.differential_mask()) {
  if (model.features().mass_matrix) {
    // (j w M - A)^-1 with a general M is not built yet; a linear model with M taken as the identity would be wrong.
    problem_ =
        "the linear model of a model with der() inside its equations (a general mass matrix) is not "
        "available yet; measure it in the time domain (a stepped_sine test)";
    return;
  }
  const double* u = inputs.empty() ? nullptr : inputs.data();
  a_ = jacobian_matrix(model, parameters, x, inputs);
  if (n_ <= kDenseLimit) dense_a_ = Eigen::MatrixXd(a_);
  const auto& states = model.states();
  for (int j = 0; j < a_.outerSize() && problem_.empty(); ++j)
    for (Eigen::SparseMatrix<double>::InnerIterator it(a_, j); it; ++it)
      if (!std::isfinite(it.value())) {
        problem_ = "the Jacobian entry d(der " + states[static_cast<std::size_t>(it.row())].key + ")/d(" +
                   states[static_cast<std::size_t>(j)].key +
                   ") is not finite at the operating point (a square root or a kink exactly there, such as an "
                   "orifice law at zero pressure difference); linearize elsewhere (a dc_offset) or use a stepped sine";
        break;
      }
  if (check_smoothness && problem_.empty() && n_ <= 400) find_kinks(model, parameters, x, inputs);
  std::vector<double> dfdu(static_cast<std::size_t>(n_) * model.inputs().size());
  model.input_jacobian(0.0, x.data(), parameters.data(), dfdu.data(), u);
  b_ = Eigen::Map<const Eigen::VectorXd>(dfdu.data() + static_cast<std::size_t>(port) * static_cast<std::size_t>(n_),
                                         n_) /
       scale;
  c_.resize(n_);
  if (probe.kind == Probe::Kind::State) {
    c_.insert(probe.index) = 1.0;
  } else {
    const OutputJacobianPattern& pattern = model.output_jacobian_pattern();
    std::vector<double> values(static_cast<std::size_t>(pattern.nnz()));
    model.output_jacobian(0.0, x.data(), parameters.data(), values.data(), u);
    for (int k = pattern.row_start[static_cast<std::size_t>(probe.index)];
         k < pattern.row_start[static_cast<std::size_t>(probe.index) + 1]; ++k)
      c_.insert(pattern.col_index[static_cast<std::size_t>(k)]) = values[static_cast<std::size_t>(k)];
  }
  if (problem_.empty() && !b_.allFinite()) problem_ = "the input Jacobian is not finite at the operating point";
  if (problem_.empty())
    for (Eigen::SparseVector<double>::InnerIterator it(c_); it; ++it)
      if (!std::isfinite(it.value())) problem_ = "the output `" + probe.key + "` has a non-finite derivative there";
}

void Linearization::find_kinks(const Model& model, const std::vector<double>& parameters, const std::vector<double>& x,
                               const std::vector<double>& inputs) {
  // Compare each column with a central difference, in units scaled by the state's size, so that a Pa column
  // and an m column compare alike. Smooth functions agree to ~1e-7; a square root at zero differs by orders.
  const double* u = inputs.empty() ? nullptr : inputs.data();
  const Eigen::MatrixXd& exact = dense_a_;
  std::vector<double> xp = x, fp(x.size()), fm(x.size());
  Eigen::VectorXd row_scale = Eigen::VectorXd::Zero(n_);
  for (int j = 0; j < n_; ++j)
    for (int i = 0; i < n_; ++i)
      row_scale[i] =
          std::max(row_scale[i], std::abs(exact(i, j)) * std::max(std::abs(x[static_cast<std::size_t>(j)]), 1e-3));
  const auto& states = model.states();
  for (int j = 0; j < n_ && smoothness_.empty(); ++j) {
    const double scale = std::max(std::abs(x[static_cast<std::size_t>(j)]), 1e-3);
    const double h = 1e-7 * scale;
    xp[static_cast<std::size_t>(j)] = x[static_cast<std::size_t>(j)] + h;
    model.rhs(0.0, xp.data(), parameters.data(), fp.data(), u);
    xp[static_cast<std::size_t>(j)] = x[static_cast<std::size_t>(j)] - h;
    model.rhs(0.0, xp.data(), parameters.data(), fm.data(), u);
    xp[static_cast<std::size_t>(j)] = x[static_cast<std::size_t>(j)];
    for (int i = 0; i < n_; ++i) {
      const double quotient = (fp[static_cast<std::size_t>(i)] - fm[static_cast<std::size_t>(i)]) / (2 * h);
      const double a = exact(i, j) * scale, b = quotient * scale;
      if (std::isfinite(b) && std::abs(a - b) > 1e-3 * std::max(row_scale[i], std::abs(b))) {
        smoothness_ = "the model is not smooth at the operating point: d(der " +
                      states[static_cast<std::size_t>(i)].key + ")/d(" + states[static_cast<std::size_t>(j)].key +
                      ") is " + text::format_number(exact(i, j)) + " exactly, but a difference quotient gives " +
                      text::format_number(quotient) +
                      " (a kink or a square root there, such as an orifice at zero pressure difference); the "
                      "linearization describes one side only, and small motions may behave differently";
        break;
      }
    }
  }
}

Eigen::VectorXcd Linearization::state_response(double omega) const {
  if (!ok()) return {};
  const Complex jw(0.0, omega);
  Eigen::VectorXcd rhs = b_.cast<Complex>();
  Eigen::VectorXcd x;
  if (n_ <= kDenseLimit) {
    Eigen::MatrixXcd k = -dense_a_.cast<Complex>();
    for (int i = 0; i < n_; ++i)
      if (mask_.empty() || mask_[static_cast<std::size_t>(i)]) k(i, i) += jw;
    Eigen::FullPivLU<Eigen::MatrixXcd> lu(k);
    if (!lu.isInvertible()) return {};
    x = lu.solve(rhs);
  } else {
    Eigen::SparseMatrix<Complex> k = -a_.cast<Complex>();
    for (int i = 0; i < n_; ++i)
      if (mask_.empty() || mask_[static_cast<std::size_t>(i)]) k.coeffRef(i, i) += jw;
    k.makeCompressed();
    Eigen::SparseLU<Eigen::SparseMatrix<Complex>> lu(k);
    if (lu.info() != Eigen::Success) return {};
    x = lu.solve(rhs);
  }
  if (!x.allFinite()) return {};
  return x;
}

std::complex<double> Linearization::transfer(double omega) const {
  const Eigen::VectorXcd x = state_response(omega);
  if (x.size() == 0) return {std::nan(""), std::nan("")};
  Complex h = 0.0;
  for (Eigen::SparseVector<double>::InnerIterator it(c_); it; ++it) h += it.value() * x[it.index()];
  return h;
}

std::vector<std::complex<double>> Linearization::poles() const {
  if (!ok() || n_ > kDenseLimit) return {};
  const Eigen::MatrixXd& a = dense_a_;
  std::vector<int> d, g;
  for (int i = 0; i < n_; ++i) (mask_.empty() || mask_[static_cast<std::size_t>(i)] ? d : g).push_back(i);
  Eigen::MatrixXd reduced(d.size(), d.size());
  for (std::size_t r = 0; r < d.size(); ++r)
    for (std::size_t c = 0; c < d.size(); ++c) reduced(r, c) = a(d[r], d[c]);
  if (!g.empty()) {
    // A_dd - A_dg A_gg^-1 A_gd: the dynamics with the algebraic variables eliminated.
    Eigen::MatrixXd a_dg(d.size(), g.size()), a_gg(g.size(), g.size()), a_gd(g.size(), d.size());
    for (std::size_t r = 0; r < d.size(); ++r)
      for (std::size_t c = 0; c < g.size(); ++c) a_dg(r, c) = a(d[r], g[c]);
    for (std::size_t r = 0; r < g.size(); ++r) {
      for (std::size_t c = 0; c < g.size(); ++c) a_gg(r, c) = a(g[r], g[c]);
      for (std::size_t c = 0; c < d.size(); ++c) a_gd(r, c) = a(g[r], d[c]);
    }
    Eigen::FullPivLU<Eigen::MatrixXd> lu(a_gg);
    if (!lu.isInvertible()) return {};
    reduced -= a_dg * lu.solve(a_gd);
  }
  if (reduced.size() == 0) return {};
  Eigen::EigenSolver<Eigen::MatrixXd> solver(reduced, false);
  if (solver.info() != Eigen::Success) return {};
  std::vector<Complex> out(solver.eigenvalues().data(), solver.eigenvalues().data() + solver.eigenvalues().size());
  // A stable order (by frequency, then decay) so results do not depend on the eigen solver's internals.
  std::sort(out.begin(), out.end(), [](Complex a, Complex b) {
    return std::abs(a.imag()) != std::abs(b.imag()) ? std::abs(a.imag()) < std::abs(b.imag()) : a.real() > b.real();
  });
  return out;
}

double slowest_decay_rate(const std::vector<std::complex<double>>& poles) {
  double slowest = 0.0;
  for (const Complex& p : poles)
    if (p.real() < 0 && (slowest == 0.0 || -p.real() < slowest)) slowest = -p.real();
  return slowest;
}

double fastest_oscillation_hz(const std::vector<std::complex<double>>& poles) {
  double fastest = 0.0;
  for (const Complex& p : poles) {
    const double mag = std::abs(p);
    if (mag == 0.0 || -p.real() / mag >= 0.7) continue;
    fastest = std::max(fastest, std::abs(p.imag()) / (2 * M_PI));
  }
  return fastest;
}

}  // namespace numen::characterize
