// numen run MODEL.yaml [--method NAME] [--rtol R] [--atol A] [--tspan T0,T1] [--n-save-points N] [--dtsave DT]
//                      [--t-eval T1,T2,..] [--dt DT] [--dt0 DT] [--dtmax DT] [--max-steps N] [--tstops T1,..]
//                      [--max-order K] [--set KEY=VALUE ...] [--outputs] [--stats] [--format csv|json] [-o FILE]
#include <nlohmann/json.hpp>

#include <algorithm>
#include <iostream>
#include <sstream>

#include "commands.h"
#include "numen/json.h"

namespace numen::cli {
namespace {

struct RunArgs {
  std::string model;
  std::string method;
  std::optional<double> rtol, atol, dtsave, dt, dt0, dtmax;
  std::optional<int> max_order;
  std::string tstops, t_eval;
  std::string tspan;
  std::optional<int> n_save_points;
  std::optional<long> max_steps;
  std::vector<std::string> set;
  bool outputs = false;
  bool stats = false;
  std::string format = "csv";
  std::string output;
};

// Returns false (after printing why) when a flag's value is malformed: a usage error.
bool apply_flags(const RunArgs& a, const Model& model, SolveOptions& o, RunSettings& settings) {
  if (!a.method.empty()) o.method = a.method;
  if (a.rtol) o.rtol = *a.rtol;
  if (a.atol) o.atol = {*a.atol};
  if (a.dt) o.dt = *a.dt;
  if (a.dt0) o.dt0 = *a.dt0;
  if (a.max_order) o.max_order = *a.max_order;
  if (a.dtmax) o.dtmax = *a.dtmax;
  if (a.max_steps) o.max_steps = *a.max_steps;
  if (!a.tspan.empty()) {
    const std::size_t comma = a.tspan.find(',');
    try {
      if (comma == std::string::npos) throw std::invalid_argument("no comma");
      std::size_t used0 = 0, used1 = 0;
      const std::string first = a.tspan.substr(0, comma), second = a.tspan.substr(comma + 1);
      o.t0 = std::stod(first, &used0);
      o.t1 = std::stod(second, &used1);
      if (used0 != first.size() || used1 != second.size()) throw std::invalid_argument("trailing text");
    } catch (const std::exception&) {
      std::cerr << "numen run: --tspan expects START,END (for example --tspan 0,10), got `" << a.tspan << "`\n";
      return false;
    }
  }
  auto numbers = [](const std::string& text, const char* flag, std::vector<double>& out) {
    out.clear();
    std::stringstream ss(text);
    for (std::string item; std::getline(ss, item, ',');) {
      try {
        std::size_t used = 0;
        out.push_back(std::stod(item, &used));
        if (used != item.size()) throw std::invalid_argument("trailing text");
      } catch (const std::exception&) {
        std::cerr << "numen run: " << flag << " expects numbers separated by commas, got `" << text << "`\n";
        return false;
      }
    }
    return true;
  };
  if (!a.tstops.empty() && !numbers(a.tstops, "--tstops", o.tstops)) return false;
  // A saving flag replaces whatever saving rule the model's simulate block chose.
  if (a.n_save_points || a.dtsave || !a.t_eval.empty()) {
    o.n_save_points = a.n_save_points.value_or(0);
    o.dtsave = a.dtsave.value_or(0.0);
    o.t_eval.clear();
    if (!a.t_eval.empty() && !numbers(a.t_eval, "--t-eval", o.t_eval)) return false;
  }
  // Values are read like values in model files (numen::read_quantity): "0.1", "2*pi", "3e5 Pa".
  for (const std::string& kv : a.set) {
    const std::size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::cerr << "numen run: --set expects KEY=VALUE (for example --set osc.oscillator.zeta=0.1), got `" << kv
                << "`\n";
      return false;
    }
    const std::string key = kv.substr(0, eq), text = kv.substr(eq + 1);
    try {
      settings.set.emplace_back(key, read_setting(model, key, text));
    } catch (const Error& e) {
      const Diagnostic& d = e.diagnostics().front();
      const int column = std::max(d.pos.column, 1);
      std::cerr << "numen run: --set " << kv << ": " << d.message << " (column " << column << " of the value)\n"
                << "  " << text << "\n  " << std::string(static_cast<std::size_t>(column - 1), ' ') << "^\n";
      return false;
    }
  }
  return true;
}

std::string to_json(const Model& model, const Solution& sol) {
  nlohmann::json j = nlohmann::json::parse(solution_info_json(sol));
  j["model"] = model.name();
  j["file"] = model.file_name();
  j["t"] = sol.t;
  auto series = [&](const std::vector<Variable>& vars, const std::vector<double>& data) {
    nlohmann::json obj = nlohmann::json::object();
    const std::size_t nt = sol.t.size();
    for (std::size_t i = 0; i < vars.size(); ++i) {
      std::vector<double> values(data.begin() + static_cast<long>(i * nt),
                                 data.begin() + static_cast<long>((i + 1) * nt));
      for (double& x : values) x = vars[i].to_display(x);
      obj[vars[i].key] = std::move(values);
    }
    return obj;
  };
  j["states"] = series(model.states(), sol.x);
  j["outputs"] = series(model.outputs(), sol.y);
  nlohmann::json units = nlohmann::json::object();
  for (const auto* list : {&model.states(), &model.outputs()})
    for (const Variable& v : *list) units[v.key] = v.unit;
  j["units"] = units;
  return j.dump() + "\n";
}

void print_stats(const Solution& sol) {
  const SolveStats& s = sol.stats;
  std::cerr << "method " << sol.method << ": " << to_string(sol.status) << "\n"
            << "  steps " << s.accepted_steps << " accepted, " << s.rejected_steps << " rejected by the error test, "
            << s.newton_failures << " Newton failures\n"
            << "  f evaluations " << s.rhs_evals << ", Jacobians " << s.jacobian_evals << ", LU factorizations "
            << s.lu_decompositions << ", linear solves " << s.linear_solves << "\n"
            << "  events " << s.events << ", periodic updates " << s.periodic_updates << "\n"
            << "  wall time " << number(s.wall_ms) << " ms\n";
}

void run(const RunArgs& a) {
  auto model = load_model(a.model);
  if (!model) return set_exit_code(1);
  SolveOptions options = model->simulate();
  RunSettings settings;
  if (!apply_flags(a, *model, options, settings)) return set_exit_code(2);
  Solution sol;
  try {
    sol = solve(*model, options, settings);
  } catch (const Error& e) {
    for (const Diagnostic& d : e.diagnostics()) std::cerr << "numen run: " << d.message << "\n";
    return set_exit_code(2);
  }
  if (a.stats) print_stats(sol);
  // The CSV is streamed: at many states and points its text is several times the solution's size.
  const bool written =
      a.format == "json"
          ? write_output(a.output, to_json(*model, sol))
          : write_output(a.output, [&](std::ostream& out) { return write_solution_csv(out, *model, sol, a.outputs); });
  if (!written) return set_exit_code(1);
  if (!sol.ok()) {
    std::cerr << a.model << ": error: " << sol.message << "\n";
    return set_exit_code(1);
  }
}

}  // namespace

void add_run(CLI::App& app) {
  auto args = std::make_shared<RunArgs>();
  CLI::App* cmd = app.add_subcommand("run", "Solve a model and print its solution (CSV: t, then every state)");
  cmd->add_option("model", args->model, "model file (YAML)")->required();
  cmd->add_option("--method", args->method, "integration method (see `numen methods`)");
  cmd->add_option("--rtol", args->rtol, "relative tolerance");
  cmd->add_option("--atol", args->atol, "absolute tolerance (all states)");
  cmd->add_option("--tspan", args->tspan, "time span START,END");
  cmd->add_option("--n-save-points", args->n_save_points, "save this many evenly spaced points");
  cmd->add_option("--dtsave", args->dtsave, "save every DT from the start");
  cmd->add_option("--t-eval", args->t_eval, "save exactly at these times T1,T2,...");
  cmd->add_option("--dt", args->dt, "step size of fixed-step methods");
  cmd->add_option("--dt0", args->dt0, "first step of adaptive methods");
  cmd->add_option("--tstops", args->tstops, "times to step onto exactly T1,T2,...");
  cmd->add_option("--max-order", args->max_order, "highest BDF order (1-5)");
  cmd->add_option("--dtmax", args->dtmax, "largest step size");
  cmd->add_option("--max-steps", args->max_steps, "most steps before giving up");
  // One value per --set, so that `--set k=v MODEL` does not swallow the model path.
  cmd->add_option("--set", args->set,
                  "KEY=VALUE: a parameter or initial value, written like model-file values (0.1, \"2*pi\", "
                  "\"3e5 Pa\"); repeatable")
      ->allow_extra_args(false);
  cmd->add_flag("--outputs", args->outputs, "add the model's outputs as CSV columns");
  cmd->add_flag("--stats", args->stats, "print solver statistics to stderr");
  cmd->add_option("--format", args->format, "csv or json")->check(CLI::IsMember({"csv", "json"}));
  cmd->add_option("-o,--output", args->output, "write here instead of stdout");
  cmd->callback([args] { run(*args); });
}

void add_methods(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("methods", "List the integration methods");
  cmd->callback([] {
    std::vector<std::string> names;
    int width = 0;  // the names column fits the longest "name, alias, ..."
    for (const MethodInfo& m : methods()) {
      std::string name = m.name;
      for (const std::string& a : m.aliases) name += ", " + a;
      width = std::max(width, static_cast<int>(name.size()));
      names.push_back(name);
    }
    for (std::size_t i = 0; i < names.size(); ++i) {
      const MethodInfo& m = methods()[i];
      std::printf("%-*s order %d  %-32s %s\n", width, names[i].c_str(), m.order, to_string(m.family),
                  m.summary.c_str());
    }
  });
}

}  // namespace numen::cli
