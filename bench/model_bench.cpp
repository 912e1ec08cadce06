// The model compiler and the tapes: compile time of a generated chain, and the cost of one f and one Jacobian
// evaluation of fluid_poppet. The same source runs natively and in wasm (bench/harness.h).
#include "harness.h"

#include "chain_model.h"
#include "compile/model_problem.h"
#include "numen/numen.h"

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

// fluid_poppet in its chattering phase (t = 75 ms), where a solve spends its time.
struct Poppet {
  numen::Model model = numen::Model::compile(numen::bench::read_file("models/fluid_poppet.yaml"), "fluid_poppet.yaml");
  std::vector<double> x;
  Poppet() {
    numen::SolveOptions o = model.simulate();
    o.t1 = 0.075;
    o.n_save_points = 2;
    const numen::Solution s = numen::solve(model, o);
    for (int i = 0; i < s.n_states; ++i) x.push_back(s.state(i, 1));
  }
};

void BM_FluidPoppetRhs(benchmark::State& state) {
  static Poppet poppet;
  const auto& m = poppet.model.compiled();
  numen::detail::ModelProblem problem(m, poppet.model.parameter_values(), {}, {});
  std::vector<double> dx(poppet.x.size());
  for (auto _ : state) {
    problem.rhs(0.075, poppet.x.data(), dx.data());
    benchmark::DoNotOptimize(dx.data());
  }
  state.counters["instructions"] = poppet.model.stats().rhs_instructions;
}
BENCHMARK(BM_FluidPoppetRhs);

void BM_FluidPoppetJacobian(benchmark::State& state) {
  static Poppet poppet;
  const auto& m = poppet.model.compiled();
  numen::detail::ModelProblem problem(m, poppet.model.parameter_values(), {}, {});
  std::vector<double> values(static_cast<std::size_t>(m.jacobian_pattern.nnz()));
  for (auto _ : state) {
    problem.jacobian(0.075, poppet.x.data(), values.data());
    benchmark::DoNotOptimize(values.data());
  }
  state.counters["instructions"] = poppet.model.stats().jacobian_instructions;
  state.counters["nonzeros"] = m.jacobian_pattern.nnz();
}
BENCHMARK(BM_FluidPoppetJacobian);

// A warm solve of fluid_poppet with the original benchmark's settings (rtol 1e-8, atol 1e-10, 150 ms, 3000 points).
void fluid_poppet_solve(benchmark::State& state, const char* method) {
  static Poppet poppet;
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
  for (const char* method : {"Auto", "Tsit5", "Dopri5", "Vern7", "Rodas5P", "Rodas4", "BDF", "KenCarp4"})
    benchmark::RegisterBenchmark((std::string("BM_FluidPoppetSolve/") + method).c_str(),
                                 [method](benchmark::State& s) { fluid_poppet_solve(s, method); })
        ->Unit(benchmark::kMillisecond);
  return 0;
}
const int poppet_registered = register_poppet();

}  // namespace

BENCHMARK_MAIN();
