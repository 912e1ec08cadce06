#pragma once
// Butcher tableaus of the explicit Runge-Kutta pairs, with their continuous extensions (dense output).
#include <string>
#include <string_view>
#include <vector>

namespace numen::detail {

struct ErkTableau {
  std::string name;
  int stages = 0;
  int order = 0;           ///< order of the propagated solution
  int embedded_order = 0;  ///< order of the error estimator's companion solution
  bool fsal = false;       ///< the last stage is f(t + h, x_new) (first same as last)
  double beta = 0.0;       ///< PI controller's beta (0: plain I controller)
  std::vector<double> c;       ///< stages
  std::vector<double> a;       ///< stages x stages, row-major, strictly lower triangular
  std::vector<double> b;       ///< weights of the solution
  std::vector<double> btilde;  ///< weights of the error estimate: err = h * sum btilde_i k_i
  int dense_degree = 0;        ///< degree in theta of the continuous extension
  std::vector<double> r;       ///< (stages used) x dense_degree: b_i(theta) = sum_m r[i][m] theta^(m+1)
};

const ErkTableau* find_erk_tableau(std::string_view name);

}  // namespace numen::detail
