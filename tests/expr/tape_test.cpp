#include "expr/tape.h"

#include <gtest/gtest.h>

#include <cmath>

namespace numen::expr {
namespace {

TEST(Tape, RunsSeveralTapesOnOneWorkspace) {
  Graph g;
  const NodeId t = g.variable(Op::Time, 0), x = g.variable(Op::State, 0), p = g.variable(Op::Param, 0);
  Program program(1, 1, 0, 0);
  const int f = program.add_tape(g, {g.mul(p, g.unary(Op::Sin, g.mul(x, t))), x, g.constant(7)});
  const int j = program.add_tape(g, {g.mul(p, g.mul(t, g.unary(Op::Cos, g.mul(x, t))))});
  program.finalize(g);
  std::vector<double> ws = program.make_workspace();
  ws[program.layout().time] = 0.5;
  ws[program.layout().x] = 2.0;
  const double p_value = 3.0;
  program.load_parameters(ws.data(), &p_value);
  double out[3];
  program.run(f, ws.data(), out);
  EXPECT_DOUBLE_EQ(out[0], 3.0 * std::sin(1.0));
  EXPECT_DOUBLE_EQ(out[1], 2.0);  // an output that is a state reads its register directly
  EXPECT_DOUBLE_EQ(out[2], 7.0);
  program.run(j, ws.data(), out);
  EXPECT_DOUBLE_EQ(out[0], 3.0 * 0.5 * std::cos(1.0));
}

TEST(Tape, TemporariesAreReusedSoLongChainsStaySmall) {
  Graph g;
  NodeId acc = g.variable(Op::State, 0);
  for (int i = 0; i < 5000; ++i) acc = g.add(g.unary(Op::Sin, acc), g.variable(Op::State, 1));
  Program program(2, 0, 0, 0);
  program.add_tape(g, {acc});
  program.finalize(g);
  EXPECT_EQ(program.tape(0).code.size(), 10000u);
  EXPECT_LE(program.layout().size - program.layout().temps, 2u);
}

TEST(Tape, ConstantExponentsAreStrengthReducedExactly) {
  Graph g;
  const NodeId x = g.variable(Op::State, 0);
  std::vector<NodeId> outs;
  for (double e : {2.0, 3.0, -1.0, -3.0, 10.0, 2.5}) outs.push_back(g.binary(Op::Pow, x, g.constant(e)));
  Program program(1, 0, 0, 0);
  program.add_tape(g, outs);
  program.finalize(g);
  EXPECT_EQ(program.tape(0).code[0].op, Op::Square);
  std::vector<double> ws = program.make_workspace();
  ws[program.layout().x] = -1.7;
  std::vector<double> out(outs.size());
  program.run(0, ws.data(), out.data());
  const double expected[] = {std::pow(-1.7, 2), std::pow(-1.7, 3), 1 / -1.7, std::pow(-1.7, -3), std::pow(-1.7, 10)};
  for (int i = 0; i < 5; ++i)
    EXPECT_NEAR(out[static_cast<std::size_t>(i)], expected[i], 1e-13 * std::fabs(expected[i]));
  EXPECT_TRUE(std::isnan(out[5]));  // (-1.7)^2.5 is not real
}

TEST(Tape, ParameterOnlySubexpressionsAreComputedOncePerSolve) {
  Graph g;
  const NodeId x = g.variable(Op::State, 0), a = g.variable(Op::Param, 0), b = g.variable(Op::Param, 1);
  const NodeId invariant = g.binary(Op::Pow, g.div(a, b), g.add(a, g.constant(1)));  // (a/b)^(a+1)
  Program program(1, 2, 0, 0);
  program.add_tape(g, {g.mul(invariant, x)});
  program.finalize(g);
  EXPECT_EQ(program.tape(0).code.size(), 1u);  // only the product is left per call
  std::vector<double> ws = program.make_workspace();
  const double p[] = {2.0, 4.0};
  program.load_parameters(ws.data(), p);
  ws[program.layout().x] = 3.0;
  double out;
  program.run(0, ws.data(), &out);
  EXPECT_DOUBLE_EQ(out, std::pow(0.5, 3.0) * 3.0);
  const double q[] = {3.0, 1.0};  // new parameters, new invariants
  program.load_parameters(ws.data(), q);
  program.run(0, ws.data(), &out);
  EXPECT_DOUBLE_EQ(out, 81.0 * 3.0);
}

TEST(Tape, TablesInterpolateAndHoldTheirEnds) {
  Graph g;
  const int table = g.add_table({0.0, 1.0, 3.0}, {10.0, 20.0, 0.0});
  const NodeId x = g.variable(Op::State, 0);
  Program program(1, 0, 0, 0);
  program.add_tape(g, {g.interp(table, x), g.interp(table, x, true)});
  program.finalize(g);
  std::vector<double> ws = program.make_workspace();
  auto at = [&](double v) {
    ws[program.layout().x] = v;
    std::vector<double> out(2);
    program.run(0, ws.data(), out.data());
    return out;
  };
  EXPECT_DOUBLE_EQ(at(0.5)[0], 15.0);
  EXPECT_DOUBLE_EQ(at(0.5)[1], 10.0);
  EXPECT_DOUBLE_EQ(at(2.0)[0], 10.0);
  EXPECT_DOUBLE_EQ(at(2.0)[1], -10.0);
  EXPECT_DOUBLE_EQ(at(-5.0)[0], 10.0);
  EXPECT_DOUBLE_EQ(at(9.0)[0], 0.0);
  EXPECT_DOUBLE_EQ(at(9.0)[1], 0.0);
}

}  // namespace
}  // namespace numen::expr
