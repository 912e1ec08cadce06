// Compiled tapes (expr/jit.h) against the interpreter, their reference: the
// same bits for every tape of every example model at random states, for every
// operation on the awkward values (NaN, signed zeros, infinities), and through
// the lazy, background compile a solve goes through. Natively this is LLVM's
// JIT; the WebAssembly compiler is checked the same way on every model in
// tests/wasm/codegen.test.mjs. Builds without LLVM report the compiled-code
// tests as skipped, with the reason, and one test holds a build configured
// with LLVM to having it.
#include "expr/jit.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <random>
#include <thread>

#include "chain_model.h"
#include "compile/compiled_model.h"
#include "problems/heat_rod.h"
#include "support.h"

namespace numen::expr {
namespace {

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0 || (std::isnan(a) && std::isnan(b)); }

bool uses_tables(const Tape& tape) {
  for (const Instr& in : tape.code)
    if (in.op == Op::Interp || in.op == Op::InterpSlope) return true;
  return false;
}

class JitEveryModel : public ::testing::TestWithParam<std::string> {};

// Every tape of the model, compiled, gives the interpreter's results bit for bit at the initial state and at
// random states around it. Returns the longest tape's length.
std::size_t expect_compiled_bits(const Model& model, const std::string& label) {
  const detail::CompiledModel& m = detail::compiled(model);
  const Program& program = m.program;
  std::vector<double> ws = program.make_workspace();
  program.load_parameters(ws.data(), model.parameter_values().data());
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> factor(-2.0, 2.0);
  const std::vector<double> x0 = model.initial_state();
  std::size_t longest = 0;
  for (int t = 0; t < program.tape_count(); ++t) {
    const Tape& tape = program.tape(t);
    const std::unique_ptr<CompiledTape> code = compile_tape(tape, TapeContext{program.layout(), program.constants()});
    if (uses_tables(tape)) continue;  // left to the interpreter by design
    EXPECT_TRUE(code) << "tape " << t << " of " << label << " did not compile";
    if (!code) continue;
    longest = std::max(longest, tape.code.size());
    std::vector<double> want(tape.outputs.size()), got(tape.outputs.size());
    for (int trial = 0; trial < 20; ++trial) {
      ws[program.layout().time] = 0.1 * trial;
      for (std::size_t i = 0; i < x0.size(); ++i)
        ws[program.layout().x + i] = trial == 0 ? x0[i] : x0[i] * factor(rng) + 1e-3 * factor(rng);
      program.run_interpreted(t, ws.data(), want.data());
      code->function()(ws.data(), got.data());
      for (std::size_t k = 0; k < want.size(); ++k)
        if (!same_bits(want[k], got[k])) {
          ADD_FAILURE() << label << " tape " << t << " output " << k << ": " << want[k] << " vs " << got[k];
          return longest;
        }
    }
  }
  return longest;
}

// CMake defines NUMEN_LLVM_JIT for this file when it built jit_llvm.cpp into the core: a JIT that then says it is
// unavailable would turn every test below into a skip, so that is a failure here.
TEST(Jit, TheBuildHasTheTapeCompilerItWasConfiguredWith) {
#ifdef NUMEN_LLVM_JIT
  EXPECT_TRUE(jit_available()) << "the core was built with LLVM's JIT, but it reports no tape compiler";
#else
  EXPECT_FALSE(jit_available());
  GTEST_SKIP() << "built without LLVM (NUMEN_JIT off, or no llvm-14-dev): the JIT tests are skipped and the "
                  "interpreter runs every tape";
#endif
}

TEST_P(JitEveryModel, CompiledTapesGiveTheInterpretersBits) {
  if (!jit_available()) GTEST_SKIP() << "this build has no tape compiler";
  expect_compiled_bits(test::load_model(GetParam()), GetParam());
}

// A large model's tapes compile as chains of short functions that pass their temporaries through the
// workspace (jit_llvm.cpp), and branches must not be cut: a chain with a contact branch in every spring.
TEST(Jit, LargeTapesCompileInLinksThatGiveTheInterpretersBits) {
  if (!jit_available()) GTEST_SKIP() << "this build has no tape compiler";
  std::string text = bench::chain_model(300);
  const std::string force = "F = s.k * ((b.x - a.x) - s.L)";
  text.replace(text.find(force), force.size(),
               "F = if(b.x - a.x < 0.5[m], 1e4[N/m^2] * (b.x - a.x - 0.5[m])^2, 0) + s.k * ((b.x - a.x) - s.L)");
  const Model model = Model::compile(text, "chain.yaml");
  EXPECT_GT(expect_compiled_bits(model, "chain of 300"), 2000u);  // many links long
}

// A tape with thousands of outputs copies them from the workspace in a loop: the heat rod's Jacobian is a short
// tape whose 12,000 outputs are a few values (g, -2 g), and unrolled it made LLVM's compile quadratic.
TEST(Jit, TapesWithManyOutputsCompileAndGiveTheInterpretersBits) {
  if (!jit_available()) GTEST_SKIP() << "this build has no tape compiler";
  problems::HeatRodSpec spec;
  spec.n = 4000;
  const Model model = Model::compile(problems::heat_rod_model(spec), "heat_rod.yaml");
  const detail::CompiledModel& m = detail::compiled(model);
  EXPECT_GT(m.program.tape(m.jacobian_tape).outputs.size(), 2000u);
  expect_compiled_bits(model, "heat rod of 4000");
}

// The browser's code generator runs natively too (it only writes bytes): every
// tape of every model must encode, or throw nothing, so that the first solve in
// the browser, the one in which tapes get compiled, is not the one that fails.
TEST_P(JitEveryModel, EveryTapeEncodesAsWebAssembly) {
  const Model model = test::load_model(GetParam());
  const Program& program = detail::compiled(model).program;
  for (int t = 0; t < program.tape_count(); ++t) {
    const Tape& tape = program.tape(t);
    WasmImports imports;
    std::vector<std::uint8_t> bytes;
    ASSERT_NO_THROW(bytes = tape_to_wasm(tape, TapeContext{program.layout(), program.constants()}, &imports))
        << GetParam() << " tape " << t;
    if (uses_tables(tape)) continue;  // left to the interpreter by design
    EXPECT_FALSE(bytes.empty()) << GetParam() << " tape " << t << " was not encoded";
  }
}

INSTANTIATE_TEST_SUITE_P(Models, JitEveryModel, ::testing::ValuesIn(test::model_names()));

// Every operation on the values where a careless translation differs: min/max
// and comparisons on NaN, the sign of zero, 0 * inf in the chain rule's guarded
// product, negative integer powers, and both sides of an if().
TEST(Jit, EveryOperationOnAwkwardValuesGivesTheInterpretersBits) {
  if (!jit_available()) GTEST_SKIP() << "this build has no tape compiler";
  Graph g;
  const NodeId a = g.variable(Op::State, 0), b = g.variable(Op::State, 1);
  std::vector<NodeId> outputs;
  for (Op op : {Op::Neg, Op::Sqrt, Op::Exp, Op::Log, Op::Log10, Op::Sin, Op::Cos, Op::Tan, Op::Asin, Op::Acos, Op::Atan,
                Op::Sinh, Op::Cosh, Op::Tanh, Op::Abs, Op::Sign, Op::Floor, Op::Not})
    outputs.push_back(g.unary(op, a));
  for (Op op : {Op::Add, Op::Sub, Op::Mul, Op::Div, Op::Pow, Op::Atan2, Op::Min, Op::Max, Op::Hypot, Op::Lt, Op::Le,
                Op::Gt, Op::Ge, Op::Eq, Op::Ne, Op::And, Op::Or, Op::GuardMul})
    outputs.push_back(g.binary(op, a, b));
  for (double e : {2.0, 3.0, -1.0, -4.0, 7.0, 0.0})  // strength-reduced to Square and PowInt
    outputs.push_back(g.binary(Op::Pow, a, g.constant(e)));
  // An if() whose branches are long enough to be jumped over, nested in
  // another.
  NodeId inner = g.select(g.binary(Op::Gt, b, g.constant(0.5)), g.mul(g.unary(Op::Exp, b), g.add(a, b)),
                          g.mul(g.unary(Op::Sin, b), g.sub(a, b)));
  outputs.push_back(g.select(g.binary(Op::Lt, a, b), g.mul(g.unary(Op::Cos, a), inner), g.mul(g.unary(Op::Log, b), a)));
  Program program(2, 0, 0, 0);
  const int tape = program.add_tape(g, outputs);
  program.finalize(g);
  const std::unique_ptr<CompiledTape> code =
      compile_tape(program.tape(tape), TapeContext{program.layout(), program.constants()});
  ASSERT_TRUE(code);
  const double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> values = {0.0, -0.0, 1.0, -1.0, 0.3, 0.7, -2.5, 1e300, -1e-300, inf, -inf, nan};
  std::vector<double> ws = program.make_workspace(), want(outputs.size()), got(outputs.size());
  for (double va : values) {
    for (double vb : values) {
      ws[program.layout().x] = va;
      ws[program.layout().x + 1] = vb;
      program.run_interpreted(tape, ws.data(), want.data());
      code->function()(ws.data(), got.data());
      for (std::size_t k = 0; k < outputs.size(); ++k)
        ASSERT_TRUE(same_bits(want[k], got[k]))
            << "output " << k << " at a = " << va << ", b = " << vb << ": " << want[k] << " vs " << got[k];
    }
  }
}

// The path a solve takes: interpreted first, compiled once hot (natively on a
// background thread), the same numbers after the switch, and from several
// threads at once.
TEST(Jit, HotTapesSwitchToCompiledCodeWithTheSameResults) {
  if (!jit_available()) GTEST_SKIP() << "this build has no tape compiler";
  const Model model = test::load_model("fluid_poppet");
  const detail::CompiledModel& m = detail::compiled(model);
  const Program& program = m.program;
  auto run_many = [&](std::vector<double>* last) {
    std::vector<double> ws = program.make_workspace(), dx(model.states().size());
    program.load_parameters(ws.data(), model.parameter_values().data());
    const std::vector<double> x0 = model.initial_state();
    for (int k = 0; k < 2 * Program::kJitAfterCalls; ++k) {
      ws[program.layout().time] = 0.0;
      for (std::size_t i = 0; i < x0.size(); ++i) ws[program.layout().x + i] = x0[i] * (1.0 + 1e-4 * (k % 7));
      program.run(m.rhs_tape, ws.data(), dx.data());
    }
    *last = dx;
  };
  std::vector<double> a, b;
  std::thread other([&] { run_many(&b); });
  run_many(&a);
  other.join();
  EXPECT_EQ(a, b);
  for (int wait = 0; wait < 10000 && !program.is_compiled(m.rhs_tape); ++wait)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  ASSERT_TRUE(program.is_compiled(m.rhs_tape));
  std::vector<double> compiled;
  run_many(&compiled);
  EXPECT_EQ(compiled, a);
  // A solve on the compiled tapes is the interpreted solve, bit for bit.
  const Solution fast = solve(model, model.simulate());
  set_tape_compilation(false);
  const Solution reference = solve(model, model.simulate());
  set_tape_compilation(true);
  EXPECT_EQ(fast.x, reference.x);
  EXPECT_EQ(fast.stats.accepted_steps, reference.stats.accepted_steps);
}

}  // namespace
}  // namespace numen::expr
