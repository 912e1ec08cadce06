// Work-precision benchmarks with the same hand-written C++ right-hand sides and exact Jacobians for every solver:
//   stiff:     our Rodas5P and BDF against SUNDIALS CVODE (BDF, dense direct solver) on ROBER, VDPOL, HIRES, OREGO;
//   non-stiff: our Tsit5, Dopri5, DP8, Vern7 against Boost.Odeint's controlled runge_kutta_dopri5 on a Kepler orbit
//              (scipy's RK45 and DOP853 are measured by bench/scipy_nonstiff.py).
// Each benchmark is one full solve at one tolerance; counters carry the achieved error, so bench/work_precision.mjs
// can compare times at equal accuracy.
#include <benchmark/benchmark.h>

#include <cvode/cvode.h>
#include <nvector/nvector_serial.h>
#include <sundials/sundials_context.h>
#include <sunlinsol/sunlinsol_dense.h>
#include <sunmatrix/sunmatrix_dense.h>
#include <boost/numeric/odeint.hpp>
#include <cmath>
#include <memory>

#include "numen/solve.h"
#include "problems/stiff.h"

namespace {

using numen::problems::DenseProblem;

std::unique_ptr<DenseProblem> make(const std::string& name) {
  if (name == "ROBER") return std::make_unique<numen::problems::Robertson>();
  if (name == "VDPOL") return std::make_unique<numen::problems::VanDerPol>();
  if (name == "HIRES") return std::make_unique<numen::problems::Hires>();
  return std::make_unique<numen::problems::Oregonator>();
}

// Error measure of the Test Set: largest relative error of the final state, components below the absolute
// tolerance scale compared at that scale.
double final_error(const DenseProblem& p, const double* y, double atol_over_rtol) {
  const std::vector<double> ref = p.reference();
  double worst = 0;
  for (std::size_t i = 0; i < ref.size(); ++i)
    worst = std::max(worst, std::fabs(y[i] - ref[i]) / std::max(std::fabs(ref[i]), atol_over_rtol));
  return worst;
}

void report(benchmark::State& state, double error, long steps, long f_evals, long jacobians) {
  state.counters["error"] = error;
  state.counters["steps"] = static_cast<double>(steps);
  state.counters["f_evals"] = static_cast<double>(f_evals);
  state.counters["jacobians"] = static_cast<double>(jacobians);
}

void numen_stiff(benchmark::State& state, const std::string& problem, const std::string& method, double rtol) {
  auto p = make(problem);
  numen::SolveOptions o;
  o.method = method;
  o.t1 = p->t_end();
  o.rtol = rtol;
  o.atol = {rtol * p->atol_scale()};
  o.n_save_points = 2;
  numen::Solution s;
  for (auto _ : state) {
    s = numen::solve(*p, p->initial(), o);
    benchmark::DoNotOptimize(s.x.data());
  }
  std::vector<double> y(p->initial().size());
  for (int i = 0; i < s.n_states; ++i) y[static_cast<std::size_t>(i)] = s.state(i, 1);
  report(state, s.ok() ? final_error(*p, y.data(), p->atol_scale()) : 1.0, s.stats.accepted_steps, s.stats.rhs_evals,
         s.stats.jacobian_evals);
}

// CVODE with the same right-hand side and Jacobian through C callbacks.
int cvode_rhs(sunrealtype t, N_Vector y, N_Vector ydot, void* data) {
  static_cast<DenseProblem*>(data)->rhs(t, N_VGetArrayPointer(y), N_VGetArrayPointer(ydot));
  return 0;
}

int cvode_jac(sunrealtype t, N_Vector y, N_Vector, SUNMatrix J, void* data, N_Vector, N_Vector, N_Vector) {
  auto* p = static_cast<DenseProblem*>(data);
  const int n = p->size();
  std::vector<double> row_major(static_cast<std::size_t>(n * n));
  p->jacobian_dense(t, N_VGetArrayPointer(y), row_major.data());
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < n; ++i) SM_ELEMENT_D(J, i, j) = row_major[static_cast<std::size_t>(i * n + j)];
  return 0;
}

void cvode_stiff(benchmark::State& state, const std::string& problem, double rtol) {
  auto p = make(problem);
  const int n = p->size();
  SUNContext ctx;
  SUNContext_Create(nullptr, &ctx);
  double error = 1.0;
  long steps = 0, f_evals = 0, jacobians = 0;
  for (auto _ : state) {
    N_Vector y = N_VNew_Serial(n, ctx);
    const std::vector<double> y0 = p->initial();
    std::copy(y0.begin(), y0.end(), N_VGetArrayPointer(y));
    void* mem = CVodeCreate(CV_BDF, ctx);
    CVodeInit(mem, cvode_rhs, 0.0, y);
    CVodeSStolerances(mem, rtol, rtol * p->atol_scale());
    CVodeSetUserData(mem, p.get());
    CVodeSetMaxNumSteps(mem, 1000000);
    CVodeSetErrHandlerFn(
        mem, [](int, const char*, const char*, char*, void*) {}, nullptr);  // failures count as
                                                                            // error 1 below
    SUNMatrix A = SUNDenseMatrix(n, n, ctx);
    SUNLinearSolver LS = SUNLinSol_Dense(y, A, ctx);
    CVodeSetLinearSolver(mem, LS, A);
    CVodeSetJacFn(mem, cvode_jac);
    double t = 0.0;
    const int flag = CVode(mem, p->t_end(), y, &t, CV_NORMAL);
    error = flag >= 0 ? final_error(*p, N_VGetArrayPointer(y), p->atol_scale()) : 1.0;
    long nfe = 0, nje = 0;
    CVodeGetNumSteps(mem, &steps);
    CVodeGetNumRhsEvals(mem, &nfe);
    CVodeGetNumJacEvals(mem, &nje);
    f_evals = nfe;
    jacobians = nje;
    CVodeFree(&mem);
    SUNLinSolFree(LS);
    SUNMatDestroy(A);
    N_VDestroy(y);
  }
  SUNContext_Free(&ctx);
  report(state, error, steps, f_evals, jacobians);
}

// The non-stiff problem: ten revolutions of a Kepler orbit (eccentricity 0.5), back at its start.
struct Kepler {
  void operator()(const std::vector<double>& x, std::vector<double>& dx, double) const {
    const double r3 = std::pow(x[0] * x[0] + x[1] * x[1], 1.5);
    dx[0] = x[2];
    dx[1] = x[3];
    dx[2] = -x[0] / r3;
    dx[3] = -x[1] / r3;
  }
};
const std::vector<double> kKeplerStart = {0.5, 0.0, 0.0, std::sqrt(3.0)};
const double kKeplerEnd = 20 * M_PI;

double kepler_error(const double* x) { return std::hypot(x[0] - 0.5, x[1]); }

// The same arithmetic as Kepler above, on raw arrays.
class KeplerProblem final : public numen::OdeProblem {
 public:
  int size() const override { return 4; }
  void rhs(double, const double* x, double* dx) override {
    const double r3 = std::pow(x[0] * x[0] + x[1] * x[1], 1.5);
    dx[0] = x[2];
    dx[1] = x[3];
    dx[2] = -x[0] / r3;
    dx[3] = -x[1] / r3;
  }
};

void numen_nonstiff(benchmark::State& state, const std::string& method, double tol) {
  KeplerProblem p;
  numen::SolveOptions o;
  o.method = method;
  o.t1 = kKeplerEnd;
  o.rtol = tol;
  o.atol = {tol};
  o.n_save_points = 2;
  numen::Solution s;
  for (auto _ : state) {
    s = numen::solve(p, kKeplerStart, o);
    benchmark::DoNotOptimize(s.x.data());
  }
  const double x[2] = {s.state(0, 1), s.state(1, 1)};
  report(state, kepler_error(x), s.stats.accepted_steps, s.stats.rhs_evals, 0);
}

void boost_dopri5(benchmark::State& state, double tol) {
  namespace odeint = boost::numeric::odeint;
  using State = std::vector<double>;
  std::vector<double> x;
  long f_evals = 0;
  for (auto _ : state) {
    x = kKeplerStart;
    f_evals = 0;
    auto counted = [&f_evals](const State& in, State& out, double t) {
      ++f_evals;
      Kepler{}(in, out, t);
    };
    odeint::integrate_adaptive(odeint::make_controlled(tol, tol, odeint::runge_kutta_dopri5<State>()), counted, x, 0.0,
                               kKeplerEnd, 1e-3);
    benchmark::DoNotOptimize(x.data());
  }
  report(state, kepler_error(x.data()), 0, f_evals, 0);
}

void register_all() {
  for (const char* problem : {"ROBER", "VDPOL", "HIRES", "OREGO"}) {
    for (int k = 4; k <= 10; ++k) {
      const double rtol = std::pow(10.0, -k);
      for (const char* method : {"Rodas5P", "BDF"})
        benchmark::RegisterBenchmark((std::string("stiff/") + problem + "/" + method + "/" + std::to_string(k)).c_str(),
                                     [=](benchmark::State& s) { numen_stiff(s, problem, method, rtol); })
            ->Unit(benchmark::kMillisecond);
      benchmark::RegisterBenchmark((std::string("stiff/") + problem + "/CVODE/" + std::to_string(k)).c_str(),
                                   [=](benchmark::State& s) { cvode_stiff(s, problem, rtol); })
          ->Unit(benchmark::kMillisecond);
    }
  }
  for (int k = 4; k <= 12; ++k) {
    const double tol = std::pow(10.0, -k);
    for (const char* method : {"Tsit5", "Dopri5", "DP8", "Vern7"})
      benchmark::RegisterBenchmark((std::string("nonstiff/Kepler/") + method + "/" + std::to_string(k)).c_str(),
                                   [=](benchmark::State& s) { numen_nonstiff(s, method, tol); })
          ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("nonstiff/Kepler/BoostDopri5/" + std::to_string(k)).c_str(),
                                 [=](benchmark::State& s) { boost_dopri5(s, tol); })
        ->Unit(benchmark::kMicrosecond);
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
