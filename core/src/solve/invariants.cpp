#include "solve/invariants.h"

#include <cmath>
#include <cstdio>

namespace numen::detail {

bool InvariantWatch::null_for(const Eigen::VectorXd& c, const Eigen::MatrixXd& jacobian) {
  // c^T J = 0 to well above J's own rounding.
  return (jacobian.transpose() * c).norm() <= 1e-12 * jacobian.norm();
}

// A law of the model at x: c^T J = 0 and c^T f = 0 to f's rounding (c^T f = const != 0 is a forcing, not a law).
static bool law_at(const Eigen::VectorXd& c, const Eigen::MatrixXd& jacobian, const double* f, bool null) {
  const Eigen::Index n = c.size();
  if (!null) return false;
  double sum = 0.0, size = 0.0;
  for (Eigen::Index i = 0; i < n; ++i) {
    sum += c[i] * f[i];
    size += std::fabs(c[i] * f[i]);
  }
  return size > 0 && std::fabs(sum) <= 1e-10 * size;  // f = 0 everywhere says nothing
}

void InvariantWatch::find(const Eigen::MatrixXd& jacobian, const double* x, const double* f) {
  laws_.clear();
  const Eigen::Index n = jacobian.rows();
  if (n < 2 || !jacobian.allFinite()) return;
  const Eigen::JacobiSVD<Eigen::MatrixXd> svd(jacobian, Eigen::ComputeFullU);
  const Eigen::VectorXd& sigma = svd.singularValues();
  if (!(sigma[0] > 0)) return;
  Eigen::Index k = 0;  // the left null space of J: U's last columns
  while (k < n && !(sigma[n - 1 - k] > 1e-12 * sigma[0])) ++k;
  if (k == 0) return;
  const Eigen::MatrixXd null_space = svd.matrixU().rightCols(k);
  // Within it, the laws are the c with c^T f = 0 too (a forcing has c^T f != 0): the complement of N^T f.
  const Eigen::VectorXd g = null_space.transpose() * Eigen::Map<const Eigen::VectorXd>(f, n);
  Eigen::MatrixXd basis = Eigen::MatrixXd::Identity(k, k);
  if (g.norm() > 0) {
    const Eigen::JacobiSVD<Eigen::MatrixXd> along(g.transpose(), Eigen::ComputeFullV);
    basis = along.matrixV().rightCols(k - 1);
  }
  for (Eigen::Index j = 0; j < basis.cols(); ++j) {
    Eigen::VectorXd c = null_space * basis.col(j);
    // The SVD's rounding leaves entries of 1e-16 where the law has none; times a large state (E5's y1 is 1e-3, the
    // law's components 1e-22) they would be all that c^T x measures.
    for (Eigen::Index i = 0; i < n; ++i)
      if (std::fabs(c[i]) < 1e-8) c[i] = 0.0;
    c.normalize();
    for (Eigen::Index i = 0; i < n; ++i)  // one sign for messages: the first entry positive
      if (c[i] != 0) {
        if (c[i] < 0) c = -c;
        break;
      }
    if (!law_at(c, jacobian, f, null_for(c, jacobian))) continue;
    laws_.push_back(Law{c, c.dot(Eigen::Map<const Eigen::VectorXd>(x, n))});
  }
}

void InvariantWatch::confirm(const Eigen::MatrixXd& jacobian) {
  std::vector<Law> kept;
  for (Law& law : laws_)
    if (null_for(law.c, jacobian)) {
      law.confirmed = true;
      kept.push_back(std::move(law));
    }
  laws_ = std::move(kept);
}

void InvariantWatch::rebase(const double* x) {
  for (Law& law : laws_) law.value = law.c.dot(Eigen::Map<const Eigen::VectorXd>(x, law.c.size()));
}

double InvariantWatch::drift_of(const Law& law, const double* x, const std::vector<double>& atol, double rtol) const {
  double value = 0.0, tolerance = 0.0;
  for (Eigen::Index i = 0; i < law.c.size(); ++i) {
    value += law.c[i] * x[i];
    const double a = atol.size() == 1 ? atol[0] : atol[static_cast<std::size_t>(i)];
    tolerance += std::fabs(law.c[i]) * (a + rtol * std::fabs(x[i]));
  }
  return std::fabs(value - law.value) / tolerance;
}

double InvariantWatch::drift(const double* x, const std::vector<double>& atol, double rtol) const {
  double worst = 0.0;
  for (const Law& law : laws_)
    if (law.confirmed) worst = std::max(worst, drift_of(law, x, atol, rtol));
  return worst;
}

std::string InvariantWatch::describe_worst(const double* x, const std::vector<double>& atol, double rtol,
                                           const std::vector<std::string>& names) const {
  const Law* worst = nullptr;
  double most = -1;
  for (const Law& law : laws_) {
    if (!law.confirmed) continue;
    const double d = drift_of(law, x, atol, rtol);
    if (d > most) most = d, worst = &law;
  }
  if (!worst) return "";
  std::string out;
  for (Eigen::Index i = 0; i < worst->c.size(); ++i) {
    const double ci = worst->c[i];
    if (std::fabs(ci) < 1e-8) continue;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3g", std::fabs(ci));
    out += (out.empty() ? (ci < 0 ? "-" : "") : (ci < 0 ? " - " : " + ")) + std::string(buf) + " " +
           names[static_cast<std::size_t>(i)];
  }
  return out;
}

}  // namespace numen::detail
