#include "solve/stepper.h"

#include <algorithm>
#include <limits>

#include "common/text.h"
#include "numen/methods.h"

namespace numen::detail {

Integration::Integration(OdeProblem& p, const SolveOptions& o, SolveStats& s)
    : problem(p), options(o), stats(s), n(p.size()), rtol(o.rtol), t_end(o.t1) {
  atol.assign(static_cast<std::size_t>(n), o.atol.empty() ? 1e-8 : o.atol[0]);
  if (static_cast<int>(o.atol.size()) == n) atol = o.atol;
  mask = p.differential_mask();
  mass = p.mass_pattern();
  if (mass) {
    mass_varies = p.mass_varies();
    mass_values.resize(static_cast<std::size_t>(mass->nnz()));
    const std::vector<double> x(static_cast<std::size_t>(n), 0.0);  // a constant M reads neither; a varying one is
    p.mass_matrix(o.t0, x.data(), mass_values.data());              // evaluated again where it is used
    if (mask.empty()) mask.assign(static_cast<std::size_t>(n), 0);
    constraint_rows.assign(static_cast<std::size_t>(n), 1);
    for (int k = 0; k < mass->nnz(); ++k)
      if (mass_varies || mass_values[static_cast<std::size_t>(k)] != 0.0)
        constraint_rows[static_cast<std::size_t>(mass->row_index[static_cast<std::size_t>(k)])] = 0;
  } else if (std::find(mask.begin(), mask.end(), 0) != mask.end()) {
    constraint_rows.resize(mask.size());
    for (std::size_t i = 0; i < mask.size(); ++i) constraint_rows[i] = mask[i] ? 0 : 1;
  }
}

double Integration::error_norm(const double* err, const double* a, const double* b) const {
  double sum = 0.0;
  for (int i = 0; i < n; ++i) {
    const double scale = atol[static_cast<std::size_t>(i)] + rtol * std::max(std::fabs(a[i]), std::fabs(b[i]));
    const double r = err[i] / scale;
    sum += r * r;
  }
  return n > 0 ? std::sqrt(sum / n) : 0.0;
}

double Integration::norm(const double* v, const double* x) const {
  double sum = 0.0;
  for (int i = 0; i < n; ++i) {
    const double r = v[i] / (atol[static_cast<std::size_t>(i)] + rtol * std::fabs(x[i]));
    sum += r * r;
  }
  return n > 0 ? std::sqrt(sum / n) : 0.0;
}

bool Integration::fail(SolveStatus status, std::string message) {
  failure = status;
  failure_message = std::move(message);
  return false;
}

std::string Integration::describe_non_finite(double t, const double* x) {
  for (int i = 0; i < n; ++i)
    if (!std::isfinite(x[i]))
      return "state " + problem.state_name(i) + " is " + text::format_number(x[i]) +
             " at t = " + text::format_number(t);
  std::vector<double> dx(static_cast<std::size_t>(n));
  f(t, x, dx.data());
  for (int i = 0; i < n; ++i)
    if (!std::isfinite(dx[static_cast<std::size_t>(i)]))
      return non_finite_message(t, i, dx[static_cast<std::size_t>(i)]);
  return "";
}

std::string Integration::non_finite_message(double t, int state, double value) const {
  return "the equation for " + problem.state_name(state) + " gives " + text::format_number(value) +
         " at t = " + text::format_number(t) + " (check divisions, sqrt, log and powers of its arguments there)";
}

namespace {
// Two stiff methods to suggest after `failed` gave up, never `failed` itself.
std::string other_stiff_methods(const std::string& failed) {
  std::string out;
  int named = 0;
  for (const char* m : {"Rodas5P", "BDF", "KenCarp4"}) {
    if (named == 2 || text::iequals(m, failed)) continue;
    out += named++ ? std::string(" or ") + m : std::string(m);
  }
  return out;
}
}  // namespace

bool Integration::fail_step_size(double t, double h, const std::string& method) {
  const MethodInfo* info = find_method(method);
  const bool stiff = info && info->stiff;
  const std::string where = "step size underflow in " + method + " at t = " + text::format_number(t) +
                            " (h = " + text::format_number(h) +
                            "): the solution may blow up or be discontinuous here, ";
  if (!stiff)
    return fail(SolveStatus::StepSizeTooSmall,
                where + "or the problem is stiff (try " + other_stiff_methods(method) +
                    "), or the tolerances are tighter than the model's arithmetic allows");
  return fail(SolveStatus::StepSizeTooSmall,
              where +
                  "or the tolerances are tighter than the model's arithmetic allows, or the Jacobian is wrong; "
                  "another stiff method may get through (try " +
                  other_stiff_methods(method) + ")");
}

double Stepper::initial_step(double t, const double* x, const double* f0, int order) {
  // Hairer, Norsett & Wanner, Solving ODEs I, section II.4: make the first step's error estimate plausible.
  const double d0 = ig_.norm(x, x), d1 = ig_.norm(f0, x);
  double h0 = (d0 < 1e-5 || d1 < 1e-5) ? 1e-6 : 0.01 * d0 / d1;
  const double span = ig_.t_end - t;
  h0 = std::min({h0, span, ig_.options.dtmax});
  std::vector<double> x1(static_cast<std::size_t>(n_)), f1(static_cast<std::size_t>(n_));
  for (int i = 0; i < n_; ++i) x1[static_cast<std::size_t>(i)] = x[i] + h0 * f0[i];
  ig_.f(t + h0, x1.data(), f1.data());
  for (int i = 0; i < n_; ++i) f1[static_cast<std::size_t>(i)] -= f0[i];
  const double d2 = ig_.norm(f1.data(), x) / h0;
  const double dmax = std::max(d1, d2);
  const double h1 = dmax <= 1e-15 ? std::max(1e-6, h0 * 1e-3) : std::pow(0.01 / dmax, 1.0 / (order + 1));
  double h = std::min({100 * h0, h1, span, ig_.options.dtmax});
  if (!(h > 0) || !std::isfinite(h)) h = std::min(1e-6, span);
  return h;
}

double Stepper::clip(double h, double t_limit) const {
  h = std::min(h, ig_.options.dtmax);
  const double remaining = t_limit - t_;
  if (h >= remaining || t_ + 1.01 * h >= t_limit) return remaining;  // land exactly, leave no sliver
  return h;
}

}  // namespace numen::detail
