// Language features end to end: each compiles to the intended f, Jacobian and events.
#include <gtest/gtest.h>

#include <cmath>

#include "support.h"

namespace numen {
namespace {

// Evaluates f at x (defaults for parameters) with inputs u.
std::vector<double> rhs(const Model& m, std::vector<double> x, double t = 0, std::vector<double> u = {}) {
  std::vector<double> p = m.parameter_values(), dx(x.size());
  m.rhs(t, x.data(), p.data(), dx.data(), u.empty() ? nullptr : u.data());
  return dx;
}

TEST(Language, VectorFieldsActElementwiseAndReduce) {
  const Model m = Model::compile(R"Y(model: v
components:
  body:
    states: { q: { value: [1, 2, 3], unit: m }, w: { size: 3, value: 0 } }
    params: { k: [10, 20, 30], c: 0.5 }
    outputs: { energy: J, speed: m/s }
systems:
  s:
    slots: [b: body]
    equations:
      - der(b.q) += b.w
      - der(b.w) += -b.k * b.q - b.c * b.w
      - der(b.w[0]) += 1
      - b.energy = 0.5 * dot(b.k, b.q^2) + 0.5 * sum(b.w^2)
      - b.speed = norm(b.w)
entities:
  e: { body: {} }
)Y",
                                 "v.yaml");
  EXPECT_TRUE(m.features().vector_fields);
  ASSERT_EQ(m.states().size(), 6u);
  EXPECT_EQ(m.states()[0].key, "e.body.q[0]");
  EXPECT_EQ(m.states()[5].key, "e.body.w[2]");
  const auto dx = rhs(m, {1, 2, 3, 0.1, 0.2, 0.3});
  EXPECT_DOUBLE_EQ(dx[0], 0.1);
  EXPECT_DOUBLE_EQ(dx[3], -10 * 1 - 0.5 * 0.1 + 1);
  EXPECT_DOUBLE_EQ(dx[5], -30 * 3 - 0.5 * 0.3);
  SolveOptions o;
  o.t1 = 1e-9;
  o.n_save_points = 2;
  const Solution s = solve(m, o);
  EXPECT_DOUBLE_EQ(s.output(0, 0), 0.5 * (10 * 1 + 20 * 4 + 30 * 9));
}

TEST(Language, LibraryOrificeFlowFollowsTheIsoFormula) {
  // orifice_mdot against the formula of reference-models.md, choked and unchoked.
  const Model m = Model::compile(R"Y(model: o
components:
  c:
    states: { pu: 3e5, pd: 1e5, out: 0 }
    params: { T: 293.15, R: 287.058, Cd: 0.7, A: 2e-5, g: 1.4 }
systems:
  s:
    slots: [a: c]
    equations:
      - der(a.out) += orifice_flow(a.pu, a.pd, a.T, a.R, a.Cd, a.A, a.g)
entities:
  e: { c: {} }
)Y",
                                 "o.yaml");
  auto mdot = [](double pu, double pd) {
    const double T = 293.15, R = 287.058, Cd = 0.7, A = 2e-5, g = 1.4;
    const double beta = std::max(0.0, pd) / pu, crit = std::pow(2 / (g + 1), g / (g - 1));
    if (beta <= crit) return Cd * A * pu * std::sqrt(g / (R * T)) * std::pow(2 / (g + 1), (g + 1) / (2 * (g - 1)));
    return Cd * A * pu *
           std::sqrt(std::max(0.0, 2 * g / ((g - 1) * R * T) * (std::pow(beta, 2 / g) - std::pow(beta, (g + 1) / g))));
  };
  for (const auto& [pu, pd] :
       std::vector<std::pair<double, double>>{{3e5, 1e5}, {3e5, 2.5e5}, {1e5, 3e5}, {2e5, 2e5}}) {
    const double expected = pu >= pd ? mdot(pu, pd) : -mdot(pd, pu);
    EXPECT_NEAR(rhs(m, {pu, pd, 0})[2], expected, 1e-15) << pu << " -> " << pd;
  }
  EXPECT_EQ(rhs(m, {2e5, 2e5, 0})[2], 0.0);
}

TEST(Language, SoftpenIsAContinuouslyDifferentiableRamp) {
  const Model m = Model::compile(R"Y(model: s
components:
  c: { states: { s: 0, y: 0 }, params: { d: 1e-6 } }
systems:
  k: { slots: [a: c], equations: ["der(a.y) += softpen(a.s, a.d)"] }
entities:
  e: { c: {} }
)Y",
                                 "s.yaml");
  EXPECT_EQ(rhs(m, {-1e-3, 0})[1], 0.0);
  EXPECT_DOUBLE_EQ(rhs(m, {0.5e-6, 0})[1], 0.25e-12 / 2e-6);
  EXPECT_DOUBLE_EQ(rhs(m, {1e-3, 0})[1], 1e-3 - 0.5e-6);
  // Slope is continuous at both joints: 0 at s = 0, 1 at s = d.
  std::vector<double> values(static_cast<std::size_t>(m.jacobian_pattern().nnz()));
  const std::vector<double> p = m.parameter_values();
  for (const auto& [s, slope] : std::vector<std::pair<double, double>>{{0.0, 0.0}, {1e-6, 1.0}, {0.5e-6, 0.5}}) {
    const std::vector<double> x = {s, 0};
    m.jacobian(0, x.data(), p.data(), values.data());
    EXPECT_NEAR(values[0], slope, 1e-12) << "s = " << s;
  }
}

TEST(Language, FunctionsTablesLocalsAndOutputsCompose) {
  const Model m = Model::compile(R"Y(model: f
functions:
  sq(x): x * x
  spring(k, x): -k * sq(x) * sign(x)
tables:
  gain: { x: [0, 1, 2], y: [0, 10, 0] }
components:
  c:
    states: { x: 0.5, y: 0 }
    params: { k: 3 }
    outputs: { force: N, doubled: N }
systems:
  a:
    slots: [p: c]
    equations:
      - p.force = spring(p.k, p.x)
      - der(p.y) += p.doubled + interp(p.x, gain)
  b:
    slots: [p: c]
    equations:
      - p.doubled = 2 * p.force
entities:
  e: { c: {} }
)Y",
                                 "f.yaml");
  const auto dx = rhs(m, {0.5, 0});
  EXPECT_DOUBLE_EQ(dx[1], 2 * (-3 * 0.25) + 5.0);
}

TEST(Language, PortsAddTheirGainTimesTheInputToTheTarget) {
  const Model m = Model::compile(R"Y(model: p
components:
  mass:
    states: { x: 0, v: 0 }
    params: { m: 2 }
    ports: { force: { targets: v, type: effort, unit: N, gain: "1/m" } }
systems:
  s: { slots: [a: mass], equations: ["der(a.x) += a.v", "der(a.v) += -a.x"] }
entities:
  e: { mass: {} }
)Y",
                                 "p.yaml");
  ASSERT_EQ(m.inputs().size(), 1u);
  EXPECT_EQ(m.inputs()[0].key, "e.mass.force");
  EXPECT_TRUE(m.features().inputs);
  EXPECT_DOUBLE_EQ(rhs(m, {1, 0}, 0, {4.0})[1], -1 + 4.0 / 2);
  std::vector<double> b(2);
  const std::vector<double> x = {1, 0}, p = m.parameter_values();
  m.input_jacobian(0, x.data(), p.data(), b.data());
  EXPECT_EQ(b, (std::vector<double>{0, 0.5}));
  // Driving it through a solve: a constant unit force from rest gives x = (1 - cos t) / 2 with m = 2.
  RunSettings run;
  run.inputs.push_back({"e.mass.force", [](double) { return 1.0; }});
  SolveOptions o;
  o.t1 = 2;
  o.rtol = 1e-10;
  o.atol = {1e-12};
  o.n_save_points = 3;
  const Solution s = solve(m, o, run);
  EXPECT_NEAR(s.x[2], (1 - std::cos(2.0)) / 2, 1e-9);
}

TEST(Language, AlgebraicEquationsAreMatchedToTheirUnknowns) {
  // A voltage divider node: C v' = (u - v)/R1 - (v - w)/R2 and 0 = (v - w)/R2 - w/R3 determines w.
  const Model m = Model::compile(R"Y(model: d
components:
  rc:
    states: { v: 0 }
    algebraics: { w: 0 }
    params: { u: 10, R1: 1, R2: 2, R3: 3, C: 0.5 }
systems:
  circuit:
    slots: [c: rc]
    equations:
      - der(c.v) += ((c.u - c.v)/c.R1 - (c.v - c.w)/c.R2) / c.C
      - (c.v - c.w)/c.R2 = c.w/c.R3
entities:
  e: { rc: {} }
)Y",
                                 "d.yaml");
  EXPECT_TRUE(m.features().algebraic);
  EXPECT_EQ(m.differential_mask(), (std::vector<std::uint8_t>{1, 0}));
  // The algebraic row holds the residual: zero at the consistent w = v R3 / (R2 + R3).
  EXPECT_NEAR(rhs(m, {5, 3})[1], 0.0, 1e-15);
  EXPECT_NE(rhs(m, {5, 2})[1], 0.0);
}

TEST(Language, FeaturesAreDetected) {
  const Model m = Model::compile(R"Y(model: ev
components:
  ball:
    states: { h: 1, v: 0 }
    params: { g: 9.81, e: 0.8 }
    discrete: { bounces: 0 }
systems:
  fall:
    slots: [b: ball]
    equations: ["der(b.h) += b.v", "der(b.v) += -b.g + 0 * sin(t)"]
    events:
      - { when: b.h < 0, do: ["b.v = -b.e * b.v", "b.bounces += 1"] }
      - { every: 0.5, do: ["b.bounces += 0"] }
entities:
  x: { ball: {} }
)Y",
                                 "ev.yaml");
  const ModelFeatures f = m.features();
  EXPECT_TRUE(f.events);
  EXPECT_TRUE(f.periodic);
  EXPECT_TRUE(f.discrete);
  EXPECT_FALSE(f.algebraic);
  EXPECT_FALSE(f.time_dependent);  // 0 * sin(t) folds away
  EXPECT_EQ(m.second_order_pairs(), (std::vector<std::pair<int, int>>{{0, 1}}));
}

}  // namespace
}  // namespace numen
