// Operating points and linearizations from the exact Jacobians.
#include "characterize/linearize.h"

#include <cmath>

#include "support.h"

namespace numen::characterize {
namespace {

// A mass on a spring and damper, optionally with the spring force as an algebraic variable (an index-1 DAE
// with the same dynamics), and a free mass with only damping.
const char* kMsd = R"(model: msd
components:
  body:
    states: { x: { value: 0.3 }, v: { value: 0 } }
    params: { m: { value: 2 }, k: { value: 800 }, c: { value: 4 } }
    ports: { force: { targets: v } }
systems:
  dynamics:
    slots: [b: body]
    equations:
      - der(b.x) += b.v
      - der(b.v) += -(b.k * b.x + b.c * b.v) / b.m
entities: { mass: { body: {} } }
)";

const char* kMsdDae = R"(model: msd_dae
components:
  body:
    states: { x: { value: 0.3 }, v: { value: 0 } }
    algebraics: { spring: { value: 0 } }
    params: { m: { value: 2 }, k: { value: 800 }, c: { value: 4 } }
    ports: { force: { targets: v } }
systems:
  dynamics:
    slots: [b: body]
    equations:
      - der(b.x) += b.v
      - der(b.v) += -(b.spring + b.c * b.v) / b.m
      - 0 = b.spring - b.k * b.x
entities: { mass: { body: {} } }
)";

const char* kFreeMass = R"(model: free
components:
  body:
    states: { x: { value: 3 }, v: { value: 0.5 } }
    params: { c: { value: 2 } }
    ports: { force: { targets: v } }
systems:
  dynamics:
    slots: [b: body]
    equations:
      - der(b.x) += b.v
      - der(b.v) += -b.c * b.v
entities: { mass: { body: {} } }
)";

std::vector<double> weights(const Model& m) { return std::vector<double>(m.states().size(), 1e-10); }

TEST(Equilibrium, SolvesForTheStaticDeflectionUnderADcInput) {
  const Model m = Model::compile(kMsd);
  const OperatingPoint op = find_equilibrium(m, m.parameter_values(), m.initial_state(), {5.0}, weights(m));
  ASSERT_TRUE(op.steady) << op.note;
  EXPECT_NEAR(op.x[0], 5.0 * 2 / 800, 1e-14);  // m u / k
  EXPECT_NEAR(op.x[1], 0.0, 1e-14);
}

TEST(Equilibrium, KeepsFreeDirectionsAndExplainsMissingEquilibria) {
  const Model m = Model::compile(kFreeMass);
  OperatingPoint op = find_equilibrium(m, m.parameter_values(), m.initial_state(), {0.0}, weights(m));
  ASSERT_TRUE(op.steady) << op.note;
  EXPECT_DOUBLE_EQ(op.x[0], 3.0);  // any position is an equilibrium: the guess stays
  EXPECT_NEAR(op.x[1], 0.0, 1e-14);
  // A constant force on a damped free mass: v settles, x never does.
  op = find_equilibrium(m, m.parameter_values(), m.initial_state(), {1.0}, weights(m));
  EXPECT_FALSE(op.steady);
  EXPECT_NE(op.note.find("`mass.body.x`"), std::string::npos) << op.note;
}

TEST(Linearization, TransferAndPolesOfAMassSpringDamper) {
  const Model m = Model::compile(kMsd);
  const Probe x{Probe::Kind::State, 0, "mass.body.x"};
  const Linearization lin(m, m.parameter_values(), {0, 0}, {0}, 0, x, 1.0, /*check_smoothness=*/true);
  ASSERT_TRUE(lin.ok()) << lin.problem();
  EXPECT_TRUE(lin.smoothness_warning().empty());
  for (double w : {0.1, 10.0, 20.0, 100.0}) {
    const std::complex<double> exact = 1.0 / std::complex<double>(400.0 - w * w, 2.0 * w);  // per unit acceleration
    EXPECT_LT(std::abs(lin.transfer(w) / exact - 1.0), 1e-12) << w;
  }
  const auto poles = lin.poles();
  ASSERT_EQ(poles.size(), 2u);
  EXPECT_NEAR(poles[0].real(), -1.0, 1e-12);
  EXPECT_NEAR(std::abs(poles[0].imag()), std::sqrt(399.0), 1e-12);
  EXPECT_NEAR(slowest_decay_rate(poles), 1.0, 1e-12);
  EXPECT_NEAR(fastest_oscillation_hz(poles), std::sqrt(399.0) / (2 * M_PI), 1e-12);
}

// The DAE's algebraic spring force is eliminated exactly: same transfer function, same two poles.
TEST(Linearization, AnIndexOneDaeLinearizesLikeItsOde) {
  const Model ode = Model::compile(kMsd), dae = Model::compile(kMsdDae);
  const Probe x{Probe::Kind::State, 0, "mass.body.x"};
  const Linearization a(ode, ode.parameter_values(), {0, 0}, {0}, 0, x, 1.0);
  const Linearization b(dae, dae.parameter_values(), {0, 0, 0}, {0}, 0, x, 1.0);
  ASSERT_TRUE(b.ok()) << b.problem();
  for (double w : {0.5, 19.9, 60.0}) EXPECT_LT(std::abs(b.transfer(w) / a.transfer(w) - 1.0), 1e-12) << w;
  const auto pa = a.poles(), pb = b.poles();
  ASSERT_EQ(pb.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) EXPECT_LT(std::abs(pa[i] - pb[i]), 1e-10);
}

}  // namespace
}  // namespace numen::characterize
