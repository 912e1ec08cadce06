#include "compile/compiler.h"

#include <gtest/gtest.h>

#include "support.h"

namespace numen {
namespace {

const char* kChain = R"(model: chain
components:
  mass: { states: { x: 0 m, v: 0 m/s }, params: { m: 1 kg } }
  spring: { params: { k: 10 N/m, L: 1 m } }
systems:
  kinematics: { slots: [a: mass], equations: ["der(a.x) += a.v"] }
  spring_force:
    slots: [a: mass, s: spring, b: mass]
    equations:
      - F = s.k * ((b.x - a.x) - s.L)
      - der(a.v) += F / a.m
      - der(b.v) -= F / b.m
entities:
  m1: { mass: {} }
  m2: { mass: { x: 1 } }
  m3: { mass: { x: 3, m: 2 } }
  s1: { spring: {} }
  s2: { spring: { k: 20 } }
world:
  kinematics: auto
  spring_force: [[m1, s1, m2], [m2, s2, m3]]
)";

TEST(Compiler, LayoutFollowsEntityComponentFieldOrder) {
  Model m = Model::compile(kChain, "chain.yaml");
  std::vector<std::string> keys;
  for (const Variable& v : m.states()) keys.push_back(v.key);
  EXPECT_EQ(keys,
            (std::vector<std::string>{"m1.mass.x", "m1.mass.v", "m2.mass.x", "m2.mass.v", "m3.mass.x", "m3.mass.v"}));
  EXPECT_EQ(m.initial_state(), (std::vector<double>{0, 0, 1, 0, 3, 0}));
  EXPECT_EQ(m.parameters().at(static_cast<std::size_t>(*m.find_parameter("m3.mass.m"))).value, 2);
  EXPECT_EQ(m.parameters().at(static_cast<std::size_t>(*m.find_parameter("s2.spring.k"))).value, 20);
  EXPECT_EQ(m.states()[0].unit, "m");
}

TEST(Compiler, RightHandSideAndExactJacobianOfTheChain) {
  Model m = Model::compile(kChain, "chain.yaml");
  const std::vector<double> x = {0.1, 0.2, 1.3, -0.4, 2.9, 0.5};
  std::vector<double> p = m.parameter_values();
  std::vector<double> dx(6);
  m.rhs(0.0, x.data(), p.data(), dx.data());
  const double F1 = 10 * ((1.3 - 0.1) - 1), F2 = 20 * ((2.9 - 1.3) - 1);
  EXPECT_DOUBLE_EQ(dx[0], 0.2);
  EXPECT_DOUBLE_EQ(dx[1], F1 / 1);
  EXPECT_DOUBLE_EQ(dx[3], -F1 / 1 + F2 / 1);
  EXPECT_DOUBLE_EQ(dx[5], -F2 / 2);
  // Pattern: x' = v (3 entries), v1' on x1,x2; v2' on x1,x2,x3; v3' on x2,x3: 3 + 2 + 3 + 2 = 10 nonzeros.
  const SparsityPattern& pat = m.jacobian_pattern();
  EXPECT_EQ(pat.nnz(), 10);
  std::vector<double> values(static_cast<std::size_t>(pat.nnz()));
  m.jacobian(0.0, x.data(), p.data(), values.data());
  auto entry = [&](int row, int col) {
    for (int k = pat.col_start[static_cast<std::size_t>(col)]; k < pat.col_start[static_cast<std::size_t>(col) + 1];
         ++k)
      if (pat.row_index[static_cast<std::size_t>(k)] == row) return values[static_cast<std::size_t>(k)];
    return 0.0;
  };
  EXPECT_DOUBLE_EQ(entry(0, 1), 1.0);
  EXPECT_DOUBLE_EQ(entry(1, 0), -10.0);
  EXPECT_DOUBLE_EQ(entry(3, 2), -10.0 - 20.0);
  EXPECT_DOUBLE_EQ(entry(5, 4), -20.0 / 2);
  EXPECT_EQ(m.second_order_pairs().size(), 3u);  // x' = v, v' depends on positions only
}

TEST(Compiler, ErrorsNameThePlaceAndTheFix) {
  std::string bad = kChain;
  bad.replace(bad.find("b.x - a.x"), 9, "b.x - a.xx");
  Diagnostic d = test::first_error(bad);
  EXPECT_EQ(d.pos.line, 10);
  EXPECT_NE(d.message.find("no field `xx`"), std::string::npos);
  EXPECT_NE(d.message.find("did you mean `x`?"), std::string::npos);
}

}  // namespace
}  // namespace numen
