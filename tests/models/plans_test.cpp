// The test plans shipped in models/plans: each is clean, and the reference plans find what the physics says.
#include <filesystem>

#include "characterize/plan_support.h"

namespace numen::test {
namespace {

ojson run_shipped(const std::string& name) {
  return run_plan(Plan::compile(read_text("models/plans/" + name), "models/plans/" + name, repo_loader()));
}

TEST(ShippedPlans, EveryPlanIsClean) {
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(source_path("models/plans"))) {
    const std::string name = entry.path().filename().string();
    const auto diagnostics = check_plan(read_text("models/plans/" + name), "models/plans/" + name, repo_loader());
    for (const Diagnostic& d : diagnostics) ADD_FAILURE() << d.format();
    ++count;
  }
  EXPECT_GE(count, 3);
}

// Reference model 4: the air spring 2 p A / (half stroke + clearance) = 2996 N/m on 0.5 kg rings at 12.3 Hz when
// the vents are nearly closed; wide vents let the air out and the resonance disappears into a mass line.
TEST(ShippedPlans, PneumaticDashpotFindsTheAirSpringAndAFiveMemberOrificeFamily) {
  const ojson doc = run_shipped("pneumatic_dashpot.plan.yaml");
  const ojson& family = test_result(doc, "orifice_family");
  ASSERT_EQ(family["status"], "ok") << family["messages"];
  ASSERT_EQ(family["family"].size(), 5u);
  const auto area = column(family, "metrics", "vents.vent.area"), f0 = column(family, "metrics", "f0");
  const double air_spring_hz = std::sqrt(2 * 101325 * M_PI * 0.02 * 0.02 / 0.085 / 0.5) / (2 * M_PI);
  EXPECT_EQ(area.front(), 1e-7);
  EXPECT_NEAR(f0.front(), air_spring_hz, 0.02 * air_spring_hz);
  for (std::size_t i = 1; i < 5; ++i) EXPECT_LT(f0[i], 0.25 * air_spring_hz) << area[i];
  // The linearization at rest sees the sealed air spring, and says that the vents make it one-sided.
  const ojson& lin = test_result(doc, "linearized");
  EXPECT_NEAR(lin["metrics"]["f0"].get<double>(), air_spring_hz, 0.01 * air_spring_hz);
  ASSERT_EQ(lin["messages"].size(), 1u);
  EXPECT_NE(lin["messages"][0].get<std::string>().find("not smooth"), std::string::npos);
  for (const char* test : {"chirp", "stepped_sine", "amplitude_at_resonance", "random_vibration"})
    EXPECT_EQ(test_result(doc, test)["status"], "ok") << test;
}

// Reference model 5: small-signal |H(1 Hz)| = 1 / (c0 w) = 1.5915, Q = w / c0 = 62.8; larger drives damp it more.
TEST(ShippedPlans, NonlinearOscillatorShowsItsLinearResonanceAndItsAmplitudeDependence) {
  const ojson doc = run_shipped("nonlinear_oscillator.plan.yaml");
  const ojson& lin = test_result(doc, "linearized");
  EXPECT_NEAR(lin["metrics"]["peak_gain"].get<double>(), 1.0 / (0.1 * 2 * M_PI), 1e-4);
  EXPECT_NEAR(lin["metrics"]["q"].get<double>(), 2 * M_PI / 0.1, 0.1);
  const auto gain = column(test_result(doc, "amplitude_at_1hz"), "amplitude_response", "magnitude");
  EXPECT_NEAR(gain.front(), 1.5915, 0.01);
  EXPECT_LT(gain.back(), 0.5 * gain.front());
  for (const auto& t : doc["tests"]) EXPECT_EQ(t["status"], "ok") << t["name"] << t["messages"];
}

}  // namespace
}  // namespace numen::test
