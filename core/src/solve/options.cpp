#include <cmath>

#include "common/text.h"
#include "numen/diagnostic.h"
#include "numen/methods.h"
#include "solve/option_checks.h"

namespace numen {
namespace detail {

std::vector<std::pair<std::string, std::string>> option_problems(const SolveOptions& o, int n_states) {
  std::vector<std::pair<std::string, std::string>> out;
  auto add = [&out](const char* key, std::string message) { out.emplace_back(key, std::move(message)); };
  using text::format_number;

  if (!std::isfinite(o.t0) || !std::isfinite(o.t1) || !(o.t1 > o.t0))
    add("tspan", "`tspan` must be [START, END] with END > START, got [" + format_number(o.t0) + ", " +
                     format_number(o.t1) + "]");
  const MethodInfo* method = find_method(o.method);
  if (!method) {
    std::vector<std::string> names;
    for (const MethodInfo& m : methods()) names.push_back(m.name);
    add("method", "unknown method `" + o.method + "`" + text::did_you_mean(o.method, names) +
                      "; valid methods: " + method_names());
  }
  if (!(o.rtol > 0) || !(o.rtol < 1) || !std::isfinite(o.rtol))
    add("rtol", "`rtol` must be between 0 and 1 (exclusive), got " + format_number(o.rtol));
  else if (o.rtol < 1e-15)
    add("rtol", "`rtol` " + format_number(o.rtol) + " is below what double precision can deliver; use 1e-14 or more");
  if (o.atol.empty()) add("atol", "`atol` needs a value");
  if (n_states > 0 && o.atol.size() != 1 && static_cast<int>(o.atol.size()) != n_states)
    add("atol", "`atol` has " + std::to_string(o.atol.size()) + " values; give one, or one per state (" +
                    std::to_string(n_states) + ")");
  for (double a : o.atol)
    if (!(a >= 0) || !std::isfinite(a)) {
      add("atol", "`atol` values must be finite and not negative, got " + format_number(a));
      break;
    }
  const int saving = (o.n_save_points > 0) + (o.dtsave > 0) + (!o.t_eval.empty());
  if (saving > 1) add("n_save_points", "give at most one of `n_save_points`, `dtsave` and `t_eval`");
  if (o.n_save_points < 0 || o.n_save_points == 1)
    add("n_save_points",
        "`n_save_points` must be at least 2 (both ends of tspan), got " + std::to_string(o.n_save_points));
  if (o.n_save_points > 10000000) add("n_save_points", "`n_save_points` above 10,000,000 is not supported");
  if (o.dtsave < 0 || !std::isfinite(o.dtsave)) add("dtsave", "`dtsave` must be positive");
  if (o.dtsave > 0 && std::isfinite(o.t1 - o.t0) && (o.t1 - o.t0) / o.dtsave > 1e7)
    add("dtsave", "`dtsave` " + format_number(o.dtsave) + " gives more than 10,000,000 points; use a larger one");
  for (std::size_t i = 0; i < o.t_eval.size(); ++i) {
    const double t = o.t_eval[i];
    if (!(t >= o.t0 && t <= o.t1)) {
      add("t_eval", "`t_eval` time " + format_number(t) + " is outside tspan [" + format_number(o.t0) + ", " +
                        format_number(o.t1) + "]");
      break;
    }
    if (i > 0 && !(t > o.t_eval[i - 1])) {
      add("t_eval", "`t_eval` times must increase strictly");
      break;
    }
  }
  if (!(o.dt >= 0) || !std::isfinite(o.dt)) add("dt", "`dt` must be a positive step size");
  if (method && !method->adaptive && method->family != MethodFamily::Auto && !(o.dt > 0))
    add("dt", "method `" + method->name +
                  "` uses a fixed step: give `dt` (for example dt: " + format_number((o.t1 - o.t0) / 1000) + ")");
  if (o.dt > 0 && std::isfinite(o.t1 - o.t0) && (o.t1 - o.t0) / o.dt > 1e9)
    add("dt", "`dt` " + format_number(o.dt) + " would take more than 1e9 steps");
  if (!(o.dt0 >= 0) || !std::isfinite(o.dt0)) add("dt0", "`dt0` must be positive (or 0 for automatic)");
  if (!(o.dtmax > 0)) add("dtmax", "`dtmax` must be positive");
  if (o.max_steps < 1) add("max_steps", "`max_steps` must be at least 1");
  if (o.max_order < 1 || o.max_order > 5) add("max_order", "`max_order` must be between 1 and 5 (BDF's orders)");
  for (double t : o.tstops)
    if (!std::isfinite(t)) {
      add("tstops", "`tstops` must be finite times");
      break;
    }
  return out;
}

}  // namespace detail

void validate(const SolveOptions& options, int n_states) {
  std::vector<Diagnostic> diagnostics;
  for (const auto& [key, message] : detail::option_problems(options, n_states))
    diagnostics.push_back(Diagnostic{Diagnostic::Severity::Error, "options", SourcePos{}, message, {}});
  if (!diagnostics.empty()) throw Error(std::move(diagnostics));
}

}  // namespace numen
