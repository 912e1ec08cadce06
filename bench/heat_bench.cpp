// The heat rod against SUNDIALS CVODE (issue 16): u_t = alpha u_xx on n nodes, ends held at u = 0, BDF at rtol 1e-6,
// atol 1e-8 over 0.1 s (tests/problems/heat_rod.h). Three solves of the same rod at each size:
//   model: the rod written in the model language, compiled by numen (exact Jacobian by the compiler, tapes compiled
//          to machine code: warm, as every solve after the first of a session), solved by numen's BDF, the path a
//          user takes (`numen run`, the workbench);
//   cpp:   numen's BDF on the hand-written C++ right-hand side and tridiagonal Jacobian, the solver alone;
//   CVODE: SUNDIALS 6.4's BDF on that same C++ right-hand side, with the exact Jacobian in a SUNBandMatrix and its
//          banded direct solver (SUNLinSol_Band).
// Counters: steps, f and Jacobian evaluations, LU factorizations, the largest error of the final state against the
// exact solution of the discretized rod (`error`, K), and the largest difference from CVODE's final state
// (`vs_cvode`, K). bench/heat_rod.mjs prints the table (medians of repetitions).
#include <benchmark/benchmark.h>

#include <cvode/cvode.h>
#include <nvector/nvector_serial.h>
#include <sundials/sundials_context.h>
#include <sunlinsol/sunlinsol_band.h>
#include <sunmatrix/sunmatrix_band.h>
#include <chrono>
#include <cmath>
#include <map>
#include <thread>

#include "compile/model_problem.h"
#include "expr/tape.h"
#include "numen/numen.h"
#include "problems/heat_rod.h"
#include "solve/linear.h"

namespace {

using numen::problems::HeatRod;
using numen::problems::HeatRodSpec;

constexpr double kRtol = 1e-6, kAtol = 1e-8;

HeatRodSpec spec_of(int n) {
  HeatRodSpec s;
  s.n = n;
  return s;
}

int cvode_rhs(sunrealtype t, N_Vector y, N_Vector ydot, void* data);
const std::vector<double>& cvode_final(int n);

// Final states of the CVODE runs, by size, for the difference between solvers.
std::map<int, std::vector<double>>& cvode_finals() {
  static std::map<int, std::vector<double>> finals;
  return finals;
}

double max_diff(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return -1.0;
  double worst = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::fabs(a[i] - b[i]));
  return worst;
}

void report(benchmark::State& state, const HeatRodSpec& spec, const std::vector<double>& final, long steps,
            long f_evals, long jacobians, long lus) {
  state.counters["n"] = spec.n;
  state.counters["steps"] = static_cast<double>(steps);
  state.counters["f_evals"] = static_cast<double>(f_evals);
  state.counters["jacobians"] = static_cast<double>(jacobians);
  state.counters["lu"] = static_cast<double>(lus);
  state.counters["error"] = max_diff(final, spec.exact(spec.t_end));
  state.counters["vs_cvode"] = max_diff(final, cvode_final(spec.n));
}

std::vector<double> final_state(const numen::Solution& s) {
  std::vector<double> y(static_cast<std::size_t>(s.n_states));
  for (int i = 0; i < s.n_states; ++i) y[static_cast<std::size_t>(i)] = s.state(i, s.t.size() - 1);
  return y;
}

int cvode_rhs(sunrealtype t, N_Vector y, N_Vector ydot, void* data) {
  static_cast<HeatRod*>(data)->rhs(t, N_VGetArrayPointer(y), N_VGetArrayPointer(ydot));
  return 0;
}

// The exact Jacobian into CVODE's band storage (the same values HeatRod::jacobian gives).
int cvode_band_jac(sunrealtype, N_Vector, N_Vector, SUNMatrix J, void* data, N_Vector, N_Vector, N_Vector) {
  const auto* p = static_cast<HeatRod*>(data);
  const sunindextype n = p->size();
  const double g = p->g();
  for (sunindextype j = 0; j < n; ++j) {
    double* col = SUNBandMatrix_Column(J, j);
    if (j > 0) SM_COLUMN_ELEMENT_B(col, j - 1, j) = g;
    SM_COLUMN_ELEMENT_B(col, j, j) = -2.0 * g;
    if (j + 1 < n) SM_COLUMN_ELEMENT_B(col, j + 1, j) = g;
  }
  return 0;
}

struct CvodeRun {
  std::vector<double> final;
  long steps = 0, nfe = 0, nje = 0, nsetups = 0;
  bool ok = false;
};

// One CVODE solve of the rod: BDF, the exact Jacobian in band storage, the banded direct solver.
CvodeRun cvode_run(HeatRod& rod, SUNContext ctx) {
  const HeatRodSpec& spec = rod.spec();
  const sunindextype n = spec.n;
  const std::vector<double> u0 = spec.exact(0.0);
  CvodeRun run;
  N_Vector y = N_VNew_Serial(n, ctx);
  std::copy(u0.begin(), u0.end(), N_VGetArrayPointer(y));
  void* mem = CVodeCreate(CV_BDF, ctx);
  CVodeInit(mem, cvode_rhs, 0.0, y);
  CVodeSStolerances(mem, kRtol, kAtol);
  CVodeSetUserData(mem, &rod);
  CVodeSetMaxNumSteps(mem, 1000000);
  SUNMatrix A = SUNBandMatrix(n, 1, 1, ctx);
  SUNLinearSolver LS = SUNLinSol_Band(y, A, ctx);
  CVodeSetLinearSolver(mem, LS, A);
  CVodeSetJacFn(mem, cvode_band_jac);
  double t = 0.0;
  run.ok = CVode(mem, spec.t_end, y, &t, CV_NORMAL) >= 0;
  run.final.assign(N_VGetArrayPointer(y), N_VGetArrayPointer(y) + n);
  CVodeGetNumSteps(mem, &run.steps);
  CVodeGetNumRhsEvals(mem, &run.nfe);
  CVodeGetNumJacEvals(mem, &run.nje);
  CVodeGetNumLinSolvSetups(mem, &run.nsetups);
  CVodeFree(&mem);
  SUNLinSolFree(LS);
  SUNMatDestroy(A);
  N_VDestroy(y);
  return run;
}

// CVODE's final state at size n, solved once (untimed) for whichever benchmark asks first: the benchmarks may run in
// any order (--benchmark_enable_random_interleaving).
const std::vector<double>& cvode_final(int n) {
  auto& finals = cvode_finals();
  auto it = finals.find(n);
  if (it != finals.end()) return it->second;
  HeatRod rod(spec_of(n));
  SUNContext ctx;
  SUNContext_Create(nullptr, &ctx);
  std::vector<double> final = cvode_run(rod, ctx).final;
  SUNContext_Free(&ctx);
  return finals.emplace(n, std::move(final)).first->second;
}

void cvode_band(benchmark::State& state) {
  const HeatRodSpec spec = spec_of(static_cast<int>(state.range(0)));
  HeatRod rod(spec);
  SUNContext ctx;
  SUNContext_Create(nullptr, &ctx);
  CvodeRun run;
  for (auto _ : state) {
    run = cvode_run(rod, ctx);
    benchmark::DoNotOptimize(run.final.data());
  }
  SUNContext_Free(&ctx);
  if (!run.ok) state.SkipWithError("CVODE failed");
  cvode_finals()[spec.n] = run.final;
  report(state, spec, run.final, run.steps, run.nfe, run.nje, run.nsetups);
}

numen::SolveOptions options(const HeatRodSpec& spec) {
  numen::SolveOptions o;
  o.method = "BDF";
  o.t1 = spec.t_end;
  o.rtol = kRtol;
  o.atol = {kAtol};
  o.n_save_points = 2;
  return o;
}

void numen_cpp(benchmark::State& state) {
  const HeatRodSpec spec = spec_of(static_cast<int>(state.range(0)));
  HeatRod rod(spec);
  const numen::SolveOptions o = options(spec);
  const std::vector<double> u0 = spec.exact(0.0);
  numen::Solution s;
  for (auto _ : state) {
    s = numen::solve(rod, u0, o);
    benchmark::DoNotOptimize(s.x.data());
  }
  if (!s.ok()) state.SkipWithError(s.message.c_str());
  report(state, spec, final_state(s), s.stats.accepted_steps, s.stats.rhs_evals, s.stats.jacobian_evals,
         s.stats.lu_decompositions);
}

// The compiled model, with its tapes run until they are machine code (natively LLVM compiles them on a background
// thread once they have run kJitAfterCalls times), so the timed solves are warm.
const numen::Model& rod_model(int n) {
  static std::map<int, numen::Model> models;
  auto it = models.find(n);
  if (it != models.end()) return it->second;
  numen::Model model = numen::Model::compile(numen::problems::heat_rod_model(spec_of(n)), "heat_rod.yaml");
  const auto& m = numen::detail::compiled(model);
  numen::detail::ModelProblem problem(m, model.parameter_values(), {}, {});
  const std::vector<double> x = model.initial_state();
  std::vector<double> out(static_cast<std::size_t>(std::max<int>(m.jacobian_pattern.nnz(), n)));
  for (int k = 0; k <= numen::expr::Program::kJitAfterCalls; ++k) {
    problem.rhs(0.0, x.data(), out.data());
    problem.jacobian(0.0, x.data(), out.data());
  }
  for (int wait = 0; wait < 60000 && numen::tape_compilation() &&
                     !(m.program.is_compiled(m.rhs_tape) && m.program.is_compiled(m.jacobian_tape));
       ++wait)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return models.emplace(n, std::move(model)).first->second;
}

// banded = false: the Newton matrix goes to Eigen's SparseLU, as before the banded LU (the "before" of the table).
void numen_model(benchmark::State& state, bool banded) {
  const HeatRodSpec spec = spec_of(static_cast<int>(state.range(0)));
  const bool previous = numen::detail::banded_lu_enabled();
  numen::detail::set_banded_lu(banded);
  const numen::Model& model = rod_model(spec.n);
  const numen::SolveOptions o = model.simulate();
  numen::Solution s;
  for (auto _ : state) {
    s = numen::solve(model, o);
    benchmark::DoNotOptimize(s.x.data());
  }
  numen::detail::set_banded_lu(previous);
  if (!s.ok()) state.SkipWithError(s.message.c_str());
  report(state, spec, final_state(s), s.stats.accepted_steps, s.stats.rhs_evals, s.stats.jacobian_evals,
         s.stats.lu_decompositions);
  state.counters["compiled_tapes"] = model.stats().compiled_tapes;
}

// The model's tapes on the interpreter: a first solve (`numen run`) runs so, the tapes compile only once they have
// run 1000 times (more than this solve's 150 f evaluations).
void numen_model_interpreted(benchmark::State& state) {
  const HeatRodSpec spec = spec_of(static_cast<int>(state.range(0)));
  const numen::Model& model = rod_model(spec.n);
  const numen::SolveOptions o = model.simulate();
  numen::set_tape_compilation(false);
  numen::Solution s;
  for (auto _ : state) {
    s = numen::solve(model, o);
    benchmark::DoNotOptimize(s.x.data());
  }
  numen::set_tape_compilation(true);
  if (!s.ok()) state.SkipWithError(s.message.c_str());
  report(state, spec, final_state(s), s.stats.accepted_steps, s.stats.rhs_evals, s.stats.jacobian_evals,
         s.stats.lu_decompositions);
}

// Compiling the model text (parse, layout, unit check, exact Jacobian, tapes): the rest of a cold `numen run`.
void numen_compile(benchmark::State& state) {
  const std::string text = numen::problems::heat_rod_model(spec_of(static_cast<int>(state.range(0))));
  for (auto _ : state) {
    numen::Model m = numen::Model::compile(text, "heat_rod.yaml");
    benchmark::DoNotOptimize(m);
  }
}

void register_all() {
  for (int n : {1000, 4000, 16000}) {
    benchmark::RegisterBenchmark(("heat/" + std::to_string(n) + "/CVODE").c_str(), cvode_band)
        ->Arg(n)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("heat/" + std::to_string(n) + "/model").c_str(),
                                 [](benchmark::State& s) { numen_model(s, true); })
        ->Arg(n)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("heat/" + std::to_string(n) + "/model-SparseLU").c_str(),
                                 [](benchmark::State& s) { numen_model(s, false); })
        ->Arg(n)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("heat/" + std::to_string(n) + "/model-interpreted").c_str(), numen_model_interpreted)
        ->Arg(n)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("heat/" + std::to_string(n) + "/compile").c_str(), numen_compile)
        ->Arg(n)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("heat/" + std::to_string(n) + "/cpp").c_str(), numen_cpp)
        ->Arg(n)
        ->Unit(benchmark::kMillisecond);
  }
}

}  // namespace

int main(int argc, char** argv) {
  register_all();
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
