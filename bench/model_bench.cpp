// The model compiler and the tapes: compile time of a generated chain, and the cost of one f and one Jacobian
// evaluation of fluid_poppet, interpreted and compiled to machine code (expr/jit.h). The same source runs natively
// and in wasm (bench/harness.h).
#include "harness.h"

#include <chrono>
#include <cmath>
#include <thread>

#include "chain_model.h"
#include "compile/model_problem.h"
#include "expr/tape.h"
#include "numen/numen.h"
#include "problems/heat_rod.h"

namespace {

void BM_CompileChain(benchmark::State& state) {
  const std::string text = numen::bench::chain_model(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    numen::Model m = numen::Model::compile(text, "chain.yaml");
    benchmark::DoNotOptimize(m);
  }
  state.counters["states"] = 2.0 * static_cast<double>(state.range(0));
}
BENCHMARK(BM_CompileChain)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

// The same chain with no unit anywhere: nothing is checked, so the ratio to BM_CompileChain is the cost of the
// dimension check (issue 11: under 10 %).
void BM_CompileChainWithoutUnits(benchmark::State& state) {
  const std::string text = numen::bench::chain_model(static_cast<int>(state.range(0)), false);
  for (auto _ : state) {
    numen::Model m = numen::Model::compile(text, "chain.yaml");
    benchmark::DoNotOptimize(m);
  }
  state.counters["states"] = 2.0 * static_cast<double>(state.range(0));
}
BENCHMARK(BM_CompileChainWithoutUnits)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

// fluid_poppet in its chattering phase (t = 75 ms), where a solve spends its time. Its f and Jacobian tapes are
// run until compiled (natively the compile runs on a background thread), so "compiled" timings are warm.
struct Poppet {
  numen::Model model = numen::Model::compile(numen::bench::read_file("models/fluid_poppet.yaml"), "fluid_poppet.yaml");
  std::vector<double> x;
  Poppet() {
    numen::SolveOptions o = model.simulate();
    o.t1 = 0.075;
    o.n_save_points = 2;
    const numen::Solution s = numen::solve(model, o);
    for (int i = 0; i < s.n_states; ++i) x.push_back(s.state(i, 1));
    const auto& m = numen::detail::compiled(model);
    numen::detail::ModelProblem problem(m, model.parameter_values(), {}, {});
    std::vector<double> out(static_cast<std::size_t>(std::max<int>(m.jacobian_pattern.nnz(), s.n_states)));
    for (int k = 0; k <= numen::expr::Program::kJitAfterCalls; ++k) {
      problem.rhs(0.075, x.data(), out.data());
      problem.jacobian(0.075, x.data(), out.data());
    }
    for (int wait = 0; wait < 5000 && numen::expr::jit_enabled() &&
                       !(m.program.is_compiled(m.rhs_tape) && m.program.is_compiled(m.jacobian_tape));
         ++wait)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
};

/// Runs a benchmark with tape compilation on or off, restoring it after.
struct JitMode {
  explicit JitMode(bool on) : previous(numen::expr::jit_enabled()) { numen::expr::set_jit_enabled(on); }
  ~JitMode() { numen::expr::set_jit_enabled(previous); }
  bool previous;
};

void fluid_poppet_rhs(benchmark::State& state, bool compiled) {
  static Poppet poppet;
  JitMode mode(compiled);
  const auto& m = numen::detail::compiled(poppet.model);
  numen::detail::ModelProblem problem(m, poppet.model.parameter_values(), {}, {});
  std::vector<double> dx(poppet.x.size());
  for (auto _ : state) {
    problem.rhs(0.075, poppet.x.data(), dx.data());
    benchmark::DoNotOptimize(dx.data());
  }
  state.counters["instructions"] = poppet.model.stats().rhs_instructions;
}

void fluid_poppet_jacobian(benchmark::State& state, bool compiled) {
  static Poppet poppet;
  JitMode mode(compiled);
  const auto& m = numen::detail::compiled(poppet.model);
  numen::detail::ModelProblem problem(m, poppet.model.parameter_values(), {}, {});
  std::vector<double> values(static_cast<std::size_t>(m.jacobian_pattern.nnz()));
  for (auto _ : state) {
    problem.jacobian(0.075, poppet.x.data(), values.data());
    benchmark::DoNotOptimize(values.data());
  }
  state.counters["instructions"] = poppet.model.stats().jacobian_instructions;
  state.counters["nonzeros"] = m.jacobian_pattern.nnz();
}

// A warm solve of fluid_poppet with the original benchmark's settings (rtol 1e-8, atol 1e-10, 150 ms, 3000 points).
void fluid_poppet_solve(benchmark::State& state, const char* method, bool compiled) {
  static Poppet poppet;
  JitMode mode(compiled);
  numen::SolveOptions o = poppet.model.simulate();
  o.method = method;
  numen::Solution s;
  for (auto _ : state) {
    s = numen::solve(poppet.model, o);
    benchmark::DoNotOptimize(s.x.data());
  }
  state.counters["steps"] = static_cast<double>(s.stats.accepted_steps);
  state.counters["rejected"] = static_cast<double>(s.stats.rejected_steps);
  state.counters["f_evals"] = static_cast<double>(s.stats.rhs_evals);
  state.counters["jacobians"] = static_cast<double>(s.stats.jacobian_evals);
}

int register_poppet() {
  for (bool compiled : {false, true}) {
    const std::string mode = compiled ? "compiled" : "interpreted";
    benchmark::RegisterBenchmark(("BM_FluidPoppetRhs/" + mode).c_str(),
                                 [compiled](benchmark::State& s) { fluid_poppet_rhs(s, compiled); });
    benchmark::RegisterBenchmark(("BM_FluidPoppetJacobian/" + mode).c_str(),
                                 [compiled](benchmark::State& s) { fluid_poppet_jacobian(s, compiled); });
  }
  for (const char* method : {"Auto", "Tsit5", "Dopri5", "Vern7", "Rodas5P", "Rodas4", "BDF", "KenCarp4"})
    benchmark::RegisterBenchmark((std::string("BM_FluidPoppetSolve/") + method).c_str(), [method](benchmark::State& s) {
      fluid_poppet_solve(s, method, true);
    })->Unit(benchmark::kMillisecond);
  // The same solve on the interpreter, for the compiled/interpreted ratio.
  for (const char* method : {"Tsit5", "Rodas5P"})
    benchmark::RegisterBenchmark((std::string("BM_FluidPoppetSolveInterpreted/") + method).c_str(),
                                 [method](benchmark::State& s) { fluid_poppet_solve(s, method, false); })
        ->Unit(benchmark::kMillisecond);
  return 0;
}
const int poppet_registered = register_poppet();

// The heat rod (tests/problems/heat_rod.h) as a model, a warm BDF solve with its tapes compiled, in both builds: the
// banded LU (solve/banded.h) runs in wasm too. bench/heat_bench.cpp compares the native solve with CVODE.
void BM_HeatRodSolve(benchmark::State& state) {
  numen::problems::HeatRodSpec spec;
  spec.n = static_cast<int>(state.range(0));
  const numen::Model model = numen::Model::compile(numen::problems::heat_rod_model(spec), "heat_rod.yaml");
  const numen::SolveOptions o = model.simulate();
  // Warm-up: f runs 150 times per solve, so it compiles during the seventh (the Jacobian, evaluated once per solve,
  // stays interpreted, as it does for a user).
  numen::Solution s = numen::solve(model, o);
  for (int k = 0; k < 7; ++k) s = numen::solve(model, o);
  const auto& m = numen::detail::compiled(model);
  for (int wait = 0; wait < 20000 && numen::expr::jit_enabled() && !m.program.is_compiled(m.rhs_tape); ++wait)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  for (auto _ : state) {
    s = numen::solve(model, o);
    benchmark::DoNotOptimize(s.x.data());
  }
  const std::vector<double> exact = spec.exact(spec.t_end);
  double error = 0.0;
  for (int i = 0; i < s.n_states; ++i)
    error = std::max(error, std::fabs(s.state(i, 1) - exact[static_cast<std::size_t>(i)]));
  state.counters["error"] = error;
  state.counters["steps"] = static_cast<double>(s.stats.accepted_steps);
  state.counters["compiled_tapes"] = model.stats().compiled_tapes;
}
BENCHMARK(BM_HeatRodSolve)->Arg(1000)->Arg(4000)->Arg(16000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
