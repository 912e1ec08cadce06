// The model compiler and the tapes: compile time of a generated chain, and the cost of one f and one Jacobian
// evaluation of fluid_poppet, interpreted and compiled to machine code (expr/jit.h). The same source runs natively
// and in wasm (bench/harness.h).
#include "harness.h"

#include <chrono>
#include <cmath>
#include <thread>

#include "chain_model.h"
#include "compile/model_problem.h"
#include "expr/jit.h"
#include "expr/tape.h"
#include "numen/numen.h"
#include "poppet_odeint.h"
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

// The browser's code generator on the chain's f (2 states per mass): the bytes it writes before the engine compiles
// them, which the first solve in wasm waits for (issue 16: it must stay small against the solve).
void BM_WasmCodegenChain(benchmark::State& state) {
  const numen::Model model =
      numen::Model::compile(numen::bench::chain_model(static_cast<int>(state.range(0))), "chain.yaml");
  const auto& m = numen::detail::compiled(model);
  const numen::expr::TapeContext context{m.program.layout(), m.program.constants()};
  std::size_t bytes = 0;
  for (auto _ : state) {
    numen::expr::WasmImports imports;
    bytes = numen::expr::tape_to_wasm(m.program.tape(m.rhs_tape), context, &imports).size();
    benchmark::DoNotOptimize(bytes);
  }
  state.counters["states"] = 2.0 * static_cast<double>(state.range(0));
  state.counters["instructions"] = static_cast<double>(m.program.tape(m.rhs_tape).code.size());
  state.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_WasmCodegenChain)->Arg(500)->Arg(2000)->Arg(8000)->Unit(benchmark::kMillisecond);

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
    for (int wait = 0; wait < 5000 && numen::tape_compilation() &&
                       !(m.program.is_compiled(m.rhs_tape) && m.program.is_compiled(m.jacobian_tape));
         ++wait)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
};

/// Runs a benchmark with tape compilation on or off, restoring it after.
struct JitMode {
  explicit JitMode(bool on) : previous(numen::tape_compilation()) { numen::set_tape_compilation(on); }
  ~JitMode() { numen::set_tape_compilation(previous); }
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

// The same f written by hand (bench/poppet_odeint.h), at the same state: what a compiled tape could reach.
void fluid_poppet_rhs_by_hand(benchmark::State& state) {
  static Poppet poppet;
  const numen::bench::PoppetByHand by_hand;
  numen::bench::PoppetByHand::State x{}, dx{};
  std::copy(poppet.x.begin(), poppet.x.end(), x.begin());
  for (auto _ : state) {
    by_hand(x, dx, 0.075);
    benchmark::DoNotOptimize(dx.data());
  }
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

// The anchor (issue 16): the same model by hand in C++ on Boost.Odeint's dense-output dopri5, same tolerances and
// output times. `max_diff` is the largest difference from numen's Tsit5 solution, per state as a fraction of that
// state's largest magnitude: both solve the same problem to the same tolerance, so it should be small.
void fluid_poppet_odeint(benchmark::State& state, bool dense) {
  static Poppet poppet;
  const numen::SolveOptions o = poppet.model.simulate();
  const numen::bench::PoppetByHand by_hand;
  std::vector<double> out;
  long calls = 0;
  for (auto _ : state) {
    calls = by_hand.solve(o.t1, o.rtol, o.atol.at(0), o.n_save_points, out, dense);
    benchmark::DoNotOptimize(out.data());
  }
  numen::SolveOptions tsit5 = o;
  tsit5.method = "Tsit5";
  const numen::Solution s = numen::solve(poppet.model, tsit5);
  double worst = 0.0;
  for (int i = 0; i < s.n_states; ++i) {
    double scale = 0.0, diff = 0.0;
    for (std::size_t j = 0; j < s.size(); ++j) {
      scale = std::max(scale, std::fabs(s.state(i, j)));
      diff = std::max(diff, std::fabs(s.state(i, j) - out[static_cast<std::size_t>(6 * j + i)]));
    }
    worst = std::max(worst, diff / scale);
  }
  state.counters["f_evals"] = static_cast<double>(calls);
  state.counters["max_diff"] = worst;
}

int register_poppet() {
  benchmark::RegisterBenchmark("BM_FluidPoppetRhs/by_hand", fluid_poppet_rhs_by_hand);
  // The anchor first: bench/report.mjs prints every poppet solve as a ratio to it.
  benchmark::RegisterBenchmark("BM_FluidPoppetSolve/Odeint_dopri5_dense_by_hand", [](benchmark::State& s) {
    fluid_poppet_odeint(s, true);
  })->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BM_FluidPoppetSolve/Odeint_dopri5_controlled_by_hand", [](benchmark::State& s) {
    fluid_poppet_odeint(s, false);
  })->Unit(benchmark::kMillisecond);
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
  for (int wait = 0; wait < 20000 && numen::tape_compilation() && !m.program.is_compiled(m.rhs_tape); ++wait)
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
