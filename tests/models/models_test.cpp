// Every model in models/: it passes the schema and the compiler, its layout is pinned, and its exact Jacobian
// agrees with central finite differences of f at random states.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <random>

#include <nlohmann/json.hpp>

#include "chain_model.h"  // bench/: the same generated chain the benchmarks compile
#include "support.h"

namespace numen {
namespace {

// The pinned layouts: a change here changes every saved CSV and every plan's parameter paths.
const std::map<std::string, std::vector<std::string>>& pinned_states() {
  static const std::map<std::string, std::vector<std::string>> layouts = {
      {"oscillator", {"osc.oscillator.x", "osc.oscillator.v"}},
      {"cruise_control", {"car.car.v", "car.car.s", "car.cruise.e_int"}},
      {"coupled_spring", {"m1.mass.x", "m1.mass.v", "m2.mass.x", "m2.mass.v", "m3.mass.x", "m3.mass.v"}},
      {"fluid_poppet",
       {"inlet_tank.volume.p", "inlet_pipe.volume.p", "outlet_pipe.volume.p", "outlet_tank.volume.p", "valve.poppet.x",
        "valve.poppet.v"}},
      {"pneumatic_dashpot", {"dashpot.piston.x", "dashpot.piston.v", "left.chamber.p", "right.chamber.p"}},
      {"pneumatic_dashpot_dae",
       {"dashpot.piston.x", "dashpot.piston.v", "left.chamber.p", "right.chamber.p", "payload.load.rod_force"}},
      {"nonlinear_oscillator", {"osc.oscillator.x", "osc.oscillator.v"}},
      {"bouncing_ball", {"ball.ball.height", "ball.ball.velocity"}},
      {"dc_motor_pi", {"motor.dc_motor.current", "motor.dc_motor.speed"}},
      {"linear_msd", {"mass.body.x", "mass.body.v"}},
      {"duffing", {"duffing.oscillator.x", "duffing.oscillator.v"}},
      {"pendulum", {"pendulum.pendulum.theta", "pendulum.pendulum.omega"}},
      {"lorenz", {"lorenz.lorenz.x", "lorenz.lorenz.y", "lorenz.lorenz.z"}},
      {"van_der_pol", {"vdp.oscillator.x", "vdp.oscillator.v"}},
      {"rlc_circuit", {"circuit.loop.v_C", "circuit.loop.i"}},
      {"quarter_car", {"body.body.z", "body.body.v", "wheel.wheel.z", "wheel.wheel.v"}},
      {"predator_prey", {"meadow.ecosystem.x", "meadow.ecosystem.y"}},
      {"thermal_rc", {"block.capacity.T", "sink.capacity.T"}},
      {"transistor_amplifier",
       {"stage.amplifier.u1", "stage.amplifier.u2", "stage.amplifier.u3", "stage.amplifier.u4", "stage.amplifier.u5",
        "stage.amplifier.u6", "stage.amplifier.u7", "stage.amplifier.u8"}},
      {"two_tank", {"upper.tank.h", "lower.tank.h"}},
      {"hydraulic_network", {"supply.volume.p", "mid.volume.p"}},
      {"diode_rectifier", {"out.node.v"}},
  };
  return layouts;
}

class EveryModel : public ::testing::TestWithParam<std::string> {};

TEST_P(EveryModel, PassesTheSchemaAndTheCompiler) {
  const std::string text = test::read_text("models/" + GetParam() + ".yaml");
  for (const Diagnostic& d : check_model(text, GetParam() + ".yaml"))
    ADD_FAILURE() << d.format();  // not even a warning in a shipped model
  const Model m = Model::compile(text, GetParam() + ".yaml");
  EXPECT_FALSE(m.description().empty()) << "the gallery shows it";
  EXPECT_NE(text.find("\ntitle: "), std::string::npos)
      << "the gallery's card shows a `title:`, not the snake_case name";
}

// A shipped model is an example of how to write one: every field says its unit (`"1"` when dimensionless), so the
// dimension check sees every equation.
TEST_P(EveryModel, EveryFieldDeclaresItsUnit) {
  const Model m = test::load_model(GetParam());
  for (const auto* list : {&m.states(), &m.parameters(), &m.discretes(), &m.outputs(), &m.inputs()})
    for (const Variable& v : *list) EXPECT_FALSE(v.unit.empty()) << v.key << " declares no unit";
}

TEST_P(EveryModel, LayoutIsPinned) {
  const Model m = test::load_model(GetParam());
  auto it = pinned_states().find(GetParam());
  ASSERT_NE(it, pinned_states().end()) << "pin the layout of the new model " << GetParam() << " here";
  std::vector<std::string> keys;
  for (const Variable& v : m.states()) keys.push_back(v.key);
  EXPECT_EQ(keys, it->second);
}

TEST_P(EveryModel, JacobianMatchesCentralDifferences) {
  const Model m = test::load_model(GetParam());
  const int n = static_cast<int>(m.states().size());
  const std::vector<double> p = m.parameter_values();
  const std::vector<double> x0 = m.initial_state();
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  for (int trial = 0; trial < 25; ++trial) {
    // Random states around the initial ones: relative spread, plus an absolute one for states starting at zero.
    // Positions stay strictly inside contact regions' smooth parts (random values almost surely avoid the kinks).
    std::vector<double> x(static_cast<std::size_t>(n));
    for (int j = 0; j < n; ++j) {
      const double base = x0[static_cast<std::size_t>(j)];
      x[static_cast<std::size_t>(j)] = base * (1 + 0.3 * u(rng)) + (base == 0 ? 1e-3 * (1.5 + u(rng)) : 0.0);
    }
    const double t = 0.1 * (1 + u(rng));
    const std::vector<double> dense = test::dense_jacobian(m, t, x, p);
    std::vector<double> fp(static_cast<std::size_t>(n)), fm(static_cast<std::size_t>(n));
    for (int j = 0; j < n; ++j) {
      std::vector<double> xp = x, xm = x;
      const double h = 1e-6 * std::max(std::fabs(x[static_cast<std::size_t>(j)]), 1e-3);
      xp[static_cast<std::size_t>(j)] += h;
      xm[static_cast<std::size_t>(j)] -= h;
      m.rhs(t, xp.data(), p.data(), fp.data());
      m.rhs(t, xm.data(), p.data(), fm.data());
      for (int i = 0; i < n; ++i) {
        const double fd = (fp[static_cast<std::size_t>(i)] - fm[static_cast<std::size_t>(i)]) / (2 * h);
        const double exact = dense[static_cast<std::size_t>(i * n + j)];
        // Central differences carry rounding of order eps |f| / h; the floor covers that, nothing more.
        const double noise =
            1e-15 * (std::fabs(fp[static_cast<std::size_t>(i)]) + std::fabs(fm[static_cast<std::size_t>(i)])) / h;
        EXPECT_NEAR(exact, fd, 1e-6 * std::max(std::fabs(exact), std::fabs(fd)) + 10 * noise)
            << GetParam() << ": df[" << m.states()[static_cast<std::size_t>(i)].key << "]/d["
            << m.states()[static_cast<std::size_t>(j)].key << "] at trial " << trial;
      }
    }
  }
}

// dy/dx of the observed outputs (C of a linearization), against central differences of y at random states.
TEST_P(EveryModel, OutputJacobianMatchesCentralDifferences) {
  const Model m = test::load_model(GetParam());
  const int n = static_cast<int>(m.states().size()), n_out = static_cast<int>(m.outputs().size());
  if (n_out == 0) GTEST_SKIP() << "no observed outputs";
  const OutputJacobianPattern& pattern = m.output_jacobian_pattern();
  ASSERT_EQ(pattern.row_start.size(), static_cast<std::size_t>(n_out) + 1);
  const std::vector<double> p = m.parameter_values(), x0 = m.initial_state();
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  for (int trial = 0; trial < 10; ++trial) {
    std::vector<double> x(static_cast<std::size_t>(n));
    for (int j = 0; j < n; ++j) {
      const double base = x0[static_cast<std::size_t>(j)];
      x[static_cast<std::size_t>(j)] = base * (1 + 0.3 * u(rng)) + (base == 0 ? 1e-3 * (1.5 + u(rng)) : 0.0);
    }
    const std::vector<double> dense = test::dense_output_jacobian(m, 0.0, x, p);
    std::vector<double> yp(static_cast<std::size_t>(n_out)), ym(yp.size());
    for (int j = 0; j < n; ++j) {
      std::vector<double> xp = x, xm = x;
      const double h = 1e-6 * std::max(std::fabs(x[static_cast<std::size_t>(j)]), 1e-3);
      xp[static_cast<std::size_t>(j)] += h;
      xm[static_cast<std::size_t>(j)] -= h;
      m.evaluate_outputs(0.0, xp.data(), p.data(), yp.data());
      m.evaluate_outputs(0.0, xm.data(), p.data(), ym.data());
      for (int i = 0; i < n_out; ++i) {
        const double fd = (yp[static_cast<std::size_t>(i)] - ym[static_cast<std::size_t>(i)]) / (2 * h);
        const double exact = dense[static_cast<std::size_t>(i * n + j)];
        const double noise =
            1e-15 * (std::fabs(yp[static_cast<std::size_t>(i)]) + std::fabs(ym[static_cast<std::size_t>(i)])) / h;
        EXPECT_NEAR(exact, fd, 1e-6 * std::max(std::fabs(exact), std::fabs(fd)) + 10 * noise)
            << GetParam() << ": d[" << m.outputs()[static_cast<std::size_t>(i)].key << "]/d["
            << m.states()[static_cast<std::size_t>(j)].key << "]";
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Models, EveryModel, ::testing::ValuesIn(test::model_names()));

// models/gallery.json orders the workbench's gallery: every model exactly once, its plan files present, and the
// default model one of them.
TEST(Gallery, ListsEveryModelOnceWithExistingPlans) {
  const auto gallery = nlohmann::json::parse(test::read_text("models/gallery.json"));
  std::map<std::string, int> listed;
  for (const auto& group : gallery["groups"])
    for (const auto& entry : group["models"]) {
      ++listed[entry["file"].get<std::string>()];
      if (entry.contains("plan")) {
        EXPECT_TRUE(std::filesystem::exists(test::source_path("models/" + entry["plan"].get<std::string>())))
            << entry["plan"];
      }
    }
  for (const auto& name : test::model_names()) EXPECT_EQ(listed[name + ".yaml"], 1) << name;
  EXPECT_EQ(listed.size(), test::model_names().size()) << "the gallery lists a file that is not in models/";
  EXPECT_EQ(listed.count(gallery["default"].get<std::string>() + ".yaml"), 1u);
}

TEST(ChainModel, SparsityIsExactlyTheTridiagonalBlocks) {
  const int n = 1000;
  const Model m = Model::compile(bench::chain_model(n), "chain.yaml");
  ASSERT_EQ(m.states().size(), 2u * n);
  // Rows: x_i' = v_i (1 entry); v_i' on x and v of i-1, i, i+1 (6 entries, 4 at the two ends).
  const SparsityPattern& p = m.jacobian_pattern();
  EXPECT_EQ(p.nnz(), n * 1 + (n - 2) * 6 + 2 * 4);
  for (int j = 0; j < p.n; ++j) {
    const int mass_j = j / 2;
    for (int k = p.col_start[static_cast<std::size_t>(j)]; k < p.col_start[static_cast<std::size_t>(j) + 1]; ++k) {
      const int row = p.row_index[static_cast<std::size_t>(k)];
      const int mass_i = row / 2;
      if (row % 2 == 0) EXPECT_EQ(j, row + 1) << "x' = v only";
      else EXPECT_LE(std::abs(mass_i - mass_j), 1) << "row " << row << " col " << j;
    }
  }
}

}  // namespace
}  // namespace numen
