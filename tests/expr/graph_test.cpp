#include "expr/graph.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "expr/tape.h"

namespace numen::expr {
namespace {

// Evaluates a node at states x through a one-output tape (the same path the solver uses).
double evaluate(const Graph& g, NodeId root, const std::vector<double>& x) {
  Program program(static_cast<int>(x.size()), 0, 0, 0);
  const int tape = program.add_tape(g, {root});
  program.finalize(g);
  std::vector<double> ws = program.make_workspace();
  std::copy(x.begin(), x.end(), ws.begin() + program.layout().x);
  double out = 0;
  program.run(tape, ws.data(), &out);
  return out;
}

TEST(Graph, EqualExpressionsShareOneNode) {
  Graph g;
  const NodeId x = g.variable(Op::State, 0), y = g.variable(Op::State, 1);
  EXPECT_EQ(g.add(x, y), g.add(y, x));  // commutative operands are ordered
  EXPECT_EQ(g.mul(g.add(x, y), x), g.mul(x, g.add(y, x)));
  EXPECT_NE(g.sub(x, y), g.sub(y, x));
  const std::size_t before = g.size();
  g.unary(Op::Sin, g.add(x, y));
  g.unary(Op::Sin, g.add(y, x));
  EXPECT_EQ(g.size(), before + 1);
}

TEST(Graph, ConstructorsSimplify) {
  Graph g;
  const NodeId x = g.variable(Op::State, 0);
  double v = 0;
  EXPECT_TRUE(g.is_const(g.mul(g.constant(2), g.constant(3)), &v));
  EXPECT_EQ(v, 6);
  EXPECT_EQ(g.add(x, g.constant(0)), x);
  EXPECT_EQ(g.mul(x, g.constant(1)), x);
  EXPECT_TRUE(g.is_zero(g.mul(x, g.constant(0))));
  EXPECT_TRUE(g.is_zero(g.sub(x, x)));
  EXPECT_EQ(g.neg(g.neg(x)), x);
  EXPECT_EQ(g.select(g.constant(1), x, g.constant(5)), x);
  EXPECT_EQ(g.select(g.variable(Op::State, 1), x, x), x);
  EXPECT_EQ(g.binary(Op::Pow, x, g.constant(1)), x);
  EXPECT_EQ(g.binary(Op::Pow, x, g.constant(0.5)), g.unary(Op::Sqrt, x));
}

TEST(Graph, GradientMatchesCentralDifferences) {
  Graph g;
  const NodeId x = g.variable(Op::State, 0), y = g.variable(Op::State, 1), z = g.variable(Op::State, 2);
  const std::vector<NodeId> roots = {
      g.add(g.unary(Op::Sin, g.mul(x, y)), g.div(g.unary(Op::Exp, x), y)),
      g.binary(Op::Pow, g.add(g.mul(x, x), g.constant(1)), g.div(y, g.constant(3))),
      g.binary(Op::Atan2, g.unary(Op::Tanh, z), g.binary(Op::Hypot, x, y)),
      g.mul(g.unary(Op::Log, g.add(g.mul(x, x), g.constant(2))), g.unary(Op::Cosh, z)),
      g.select(g.binary(Op::Lt, x, y), g.mul(x, z), g.binary(Op::Max, y, z)),
      g.unary(Op::Sqrt, g.binary(Op::Min, g.mul(x, x), g.add(y, g.constant(3)))),
      g.unary(Op::Asin, g.div(x, g.constant(4))),
  };
  std::mt19937 rng(42);
  std::uniform_real_distribution<double> u(0.3, 1.7);
  for (NodeId root : roots) {
    std::vector<std::pair<NodeId, NodeId>> grad;
    g.gradient(root, grad);
    for (int trial = 0; trial < 20; ++trial) {
      std::vector<double> p = {u(rng), u(rng), u(rng)};
      for (int j = 0; j < 3; ++j) {
        double exact = 0;
        for (const auto& [var, d] : grad)
          if (g[var].index == j) exact = evaluate(g, d, p);
        const double h = 1e-6;
        std::vector<double> a = p, b = p;
        a[static_cast<std::size_t>(j)] += h;
        b[static_cast<std::size_t>(j)] -= h;
        const double fd = (evaluate(g, root, a) - evaluate(g, root, b)) / (2 * h);
        EXPECT_NEAR(exact, fd, 1e-6 * std::max(1.0, std::fabs(fd))) << g.to_string(root) << " d/dx" << j;
      }
    }
  }
}

TEST(Graph, InfiniteLocalDerivativesTimesZeroGiveZeroNotNaN) {
  // sqrt(max(0, u)) at u = 0 (an orifice at zero pressure difference): the max picks the constant branch, whose
  // adjoint is 0, and 0 * sqrt'(0) = 0 * inf must not poison the Jacobian with NaN.
  Graph g;
  const NodeId u = g.variable(Op::State, 0);
  const NodeId f = g.mul(g.constant(3), g.unary(Op::Sqrt, g.binary(Op::Max, g.constant(0), u)));
  std::vector<std::pair<NodeId, NodeId>> grad;
  g.gradient(f, grad);
  ASSERT_EQ(grad.size(), 1u);
  EXPECT_EQ(evaluate(g, grad[0].second, {0.0}), 0.0);
  EXPECT_NEAR(evaluate(g, grad[0].second, {4.0}), 3 * 0.5 / 2.0, 1e-15);
}

TEST(Graph, GradientOfALongSumNeedsNoDeepRecursion) {
  Graph g;
  NodeId sum = g.constant(0);
  for (int i = 0; i < 100000; ++i) sum = g.add(sum, g.mul(g.constant(i + 1.0), g.variable(Op::State, i % 7)));
  std::vector<std::pair<NodeId, NodeId>> grad;
  g.gradient(sum, grad);
  ASSERT_EQ(grad.size(), 7u);
  double total = 0;
  for (const auto& [var, d] : grad) total += evaluate(g, d, std::vector<double>(7, 0.0));
  EXPECT_DOUBLE_EQ(total, 100000.0 * 100001.0 / 2);  // every coefficient i + 1 lands on exactly one variable
}

}  // namespace
}  // namespace numen::expr
