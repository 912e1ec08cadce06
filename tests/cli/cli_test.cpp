// The CLI contract of `numen run`, `validate`, `characterize` (whole, and in shards merged by `numen merge`) and
// `--version`, through the real executable.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace {

struct Result {
  int code;
  std::string out, err;
};

Result numen(const std::string& args) {
  // One file per test process: ctest -j runs the CLI tests in parallel, and a shared file mixed their stderr.
  const std::string err_file = ::testing::TempDir() + "numen_cli_stderr_" + std::to_string(getpid()) + ".txt";
  const std::string command = std::string(NUMEN_CLI) + " " + args + " 2>" + err_file;
  Result r{0, "", ""};
  FILE* pipe = popen(command.c_str(), "r");
  std::array<char, 4096> buf{};
  while (std::size_t n = fread(buf.data(), 1, buf.size(), pipe)) r.out.append(buf.data(), n);
  const int status = pclose(pipe);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(err_file);
  std::ostringstream ss;
  ss << in.rdbuf();
  r.err = ss.str();
  return r;
}

double test_oscillator_x(double t, double zeta, double omega = 2 * M_PI) {
  const double wd = omega * std::sqrt(1 - zeta * zeta);
  return std::exp(-zeta * omega * t) * (std::cos(wd * t) + zeta / std::sqrt(1 - zeta * zeta) * std::sin(wd * t));
}

std::string model(const std::string& name) { return std::string(NUMEN_SOURCE_DIR) + "/models/" + name; }

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

TEST(Cli, RunPrintsCsvMatchingTheAnalyticSolution) {
  Result r = numen("run " + model("oscillator.yaml") + " --rtol 1e-10 --atol 1e-12");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto rows = lines(r.out);
  ASSERT_EQ(rows.front(), "t,osc.oscillator.x [m],osc.oscillator.v [m/s]");  // each column in its declared unit
  ASSERT_EQ(rows.size(), 502u);                                              // header + the model's 501 save points
  const std::string& last = rows.back();
  const double t = std::stod(last.substr(0, last.find(',')));
  const double x = std::stod(last.substr(last.find(',') + 1));
  const double omega = 2 * M_PI, zeta = 0.05, wd = omega * std::sqrt(1 - zeta * zeta);
  const double exact =
      std::exp(-zeta * omega * 5) * (std::cos(wd * 5) + zeta / std::sqrt(1 - zeta * zeta) * std::sin(wd * 5));
  EXPECT_EQ(t, 5.0);
  EXPECT_NEAR(x, exact, 1e-6);
}

TEST(Cli, FlagsOverrideTheSimulateBlock) {
  Result r = numen("run " + model("oscillator.yaml") + " --tspan 0,2 --n-save-points 5 --format json --stats");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("\"t\":[0.0,0.5,1.0,1.5,2.0]"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("steps"), std::string::npos);
  EXPECT_NE(r.err.find("Newton failures"), std::string::npos) << "counted apart from error-test rejections";
  EXPECT_NE(r.out.find("\"newton_failures\":0"), std::string::npos) << r.out;
}

// --set is repeatable but takes one value each time: a model path after it is not a second setting.
TEST(Cli, SetTakesOneValueEachTime) {
  Result r = numen("run --set osc.oscillator.zeta=0.5 --set osc.oscillator.x=2 " + model("oscillator.yaml") +
                   " --n-save-points 2 --rtol 1e-10 --atol 1e-12");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto rows = lines(r.out);
  ASSERT_EQ(rows.size(), 3u);
  const double x = std::stod(rows[2].substr(rows[2].find(',') + 1));
  EXPECT_NEAR(x, 2 * test_oscillator_x(5.0, 0.5), 1e-7);
}

// --set reads its value like a model file does: a whole constant expression, then optionally the field's unit.
// (It used to be std::stod, which took "0x1p-1" and "nan", and refused "1/4".)
TEST(Cli, SetReadsValuesLikeModelFiles) {
  // x(5) of the oscillator started at x0 with zeta 1/2, read from the CSV's last row.
  auto x_at_5 = [](const std::string& x0) {
    Result r = numen("run " + model("oscillator.yaml") +
                     " --set \"osc.oscillator.zeta=1/4 + 0.25\" --set \"osc.oscillator.x=" + x0 +
                     "\" --n-save-points 2 --rtol 1e-10 --atol 1e-12");
    EXPECT_EQ(r.code, 0) << r.err;
    const auto rows = lines(r.out);
    return rows.size() == 3 ? std::stod(rows[2].substr(rows[2].find(',') + 1)) : std::nan("");
  };
  EXPECT_NEAR(x_at_5("2 * 1 m"), 2 * test_oscillator_x(5.0, 0.5), 1e-7);
  // A unit of the field's dimension is converted: 200 cm is 2 m.
  EXPECT_NEAR(x_at_5("200 cm"), 2 * test_oscillator_x(5.0, 0.5), 1e-7);
  // Text after the expression that is not a unit, or a unit other than the field's, is a usage error at its column.
  Result bad = numen("run " + model("oscillator.yaml") + " --set \"osc.oscillator.x=2 m * 3\"");
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("expected a unit name, found `3`"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("column 7 of the value"), std::string::npos) << bad.err;
  // A unit of another dimension is a usage error.
  Result unit = numen("run " + model("oscillator.yaml") + " --set \"osc.oscillator.x=2 N\"");
  EXPECT_EQ(unit.code, 2);
  EXPECT_NE(unit.err.find("`N` is a force (N = kg*m/s^2), but the field is in `m`, a length"), std::string::npos)
      << unit.err;
  EXPECT_EQ(numen("run " + model("oscillator.yaml") + " --set osc.oscillator.zeta=nan").code, 2);
  EXPECT_EQ(numen("run " + model("oscillator.yaml") + " --set osc.oscillator.zeta=").code, 2);
}

TEST(Cli, MalformedModelsPrintFileLineColumnAndExit1) {
  const std::string path = ::testing::TempDir() + "broken_" + std::to_string(getpid()) + ".yaml";
  std::ofstream(path) << "model: broken\ncomponents:\n  a:\n    states: { x: 0 }\nsystems:\n  s:\n    slots: [p: a]\n"
                         "    equations: [\"der(p.x) += p.y\"]\n";
  Result r = numen("run " + path);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err.rfind(path + ":8:", 0), 0u) << r.err;
  EXPECT_NE(r.err.find(": error: "), std::string::npos);
  Result v = numen("validate " + path);
  EXPECT_EQ(v.code, 1);
  EXPECT_EQ(v.err.rfind(path + ":8:", 0), 0u) << v.err;
}

// Library files are read beside the model (and beside the library that names them); an error inside one is
// reported in its own file; a plan's model reads its libraries through the plan's folder.
TEST(Cli, ModelsReadTheirLibraryFilesBesideThemAndPlansToo) {
  const std::string dir = ::testing::TempDir() + "libs_" + std::to_string(getpid());
  ASSERT_EQ(std::system(("mkdir -p " + dir + "/parts " + dir + "/plans").c_str()), 0);
  std::ofstream(dir + "/parts/cells.yaml")
      << "library: cells\nuse: [./base.yaml]\ncomponents:\n"
         "  cell: { description: c, states: { q: 1 }, params: { k: 2 }, ports: { inflow: { targets: q } } }\n"
         "systems:\n  decay: { slots: [c: cell], equations: ['der(c.q) += -c.k * c.q'] }\n";
  std::ofstream(dir + "/parts/base.yaml") << "library: base\nfunctions:\n  half(x): x / 2\n";
  std::ofstream(dir + "/m.yaml") << "model: m\nuse: [./parts/cells.yaml, mechanical]\nentities:\n  a: { cell: {} }\n"
                                    "world:\n  decay: auto\nsimulate: { tspan: [0, 1], rtol: 1e-10, atol: 1e-12 }\n";
  Result ok = numen("validate " + dir + "/m.yaml");
  EXPECT_EQ(ok.code, 0) << ok.err;
  Result run = numen("run " + dir + "/m.yaml --n-save-points 2");
  ASSERT_EQ(run.code, 0) << run.err;
  const auto rows = lines(run.out);
  ASSERT_EQ(rows.size(), 3u) << run.out;
  EXPECT_NEAR(std::stod(rows[2].substr(rows[2].find(',') + 1)), std::exp(-2.0), 1e-8);
  std::ofstream(dir + "/plans/p.plan.yaml")
      << "model: { file: ../m.yaml }\nexcitation: { entity: a, component: cell, port: inflow, output: a.cell.q }\n"
         "tests:\n  - { name: d, type: free_decay, t_end: 1, initial_displacement: 0.5 }\n";
  Result plan = numen("validate " + dir + "/plans/p.plan.yaml");
  EXPECT_EQ(plan.code, 0) << plan.err;
  EXPECT_NE(plan.out.find("ok (plan: 1 tests"), std::string::npos) << plan.out;
  std::ofstream(dir + "/parts/base.yaml") << "library: base\nfunctions:\n  half(x): x / \n";
  Result bad = numen("validate " + dir + "/m.yaml");
  EXPECT_EQ(bad.code, 1);
  EXPECT_EQ(bad.err.rfind(dir + "/parts/base.yaml:3:", 0), 0u) << bad.err;
  Result bad_plan = numen("validate " + dir + "/plans/p.plan.yaml");
  EXPECT_EQ(bad_plan.code, 1);
  EXPECT_EQ(bad_plan.err.rfind(dir + "/parts/base.yaml:3:", 0), 0u) << bad_plan.err;
}

TEST(Cli, UsageErrorsExit2AndVersionPrints) {
  EXPECT_EQ(numen("run").code, 2);
  EXPECT_EQ(numen("frobnicate").code, 2);
  EXPECT_EQ(numen("run " + model("oscillator.yaml") + " --tspan 5").code, 2);
  EXPECT_EQ(numen("run " + model("oscillator.yaml") + " --method Nope").code, 2);
  Result v = numen("--version");
  EXPECT_EQ(v.code, 0);
  EXPECT_EQ(v.out.rfind("numen ", 0), 0u);
  EXPECT_EQ(numen("run /nonexistent/model.yaml").code, 1);
}

TEST(Cli, FunctionsListsTheFunctionsEquationsMayUse) {
  Result json = numen("functions --format json");
  EXPECT_EQ(json.code, 0) << json.err;
  EXPECT_NE(json.out.find("\"signature\":\"atan2(y, x)\""), std::string::npos) << json.out.substr(0, 400);
  EXPECT_NE(json.out.find("\"signature\":\"orifice_mdot(p_up, p_dn, T, R, Cd, A, gamma)\""), std::string::npos);
  Result text = numen("functions");
  EXPECT_EQ(text.code, 0) << text.err;
  for (const char* expected : {"The language", "clamp(x, lo, hi)", "Math", "sqrt(x)", "Engineering library",
                               "softpen(s, d)", "[units: Pa, Pa, K, J/(kg*K), 1, m^2, 1]", "Constants", "pi"})
    EXPECT_NE(text.out.find(expected), std::string::npos) << expected;
  EXPECT_EQ(numen("functions --format xml").code, 2);
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Points are independent, so the thread count changes the wall time only: byte-identical results.
TEST(Cli, CharacterizeGivesTheSameResultsOnOneAndTwoThreads) {
  const std::string plan = model("plans/nonlinear_oscillator.plan.yaml");
  const std::string one = ::testing::TempDir() + "results_j1.json", two = ::testing::TempDir() + "results_j2.json";
  const std::string csv = ::testing::TempDir() + "csv_j2";
  Result a = numen("characterize " + plan + " -o " + one + " -j 1");
  ASSERT_EQ(a.code, 0) << a.err;
  Result b = numen("characterize " + plan + " -o " + two + " -j 2 --csv " + csv);
  ASSERT_EQ(b.code, 0) << b.err;
  const std::string first = slurp(one);
  EXPECT_GT(first.size(), 1000u);
  EXPECT_EQ(first, slurp(two));
  EXPECT_NE(b.err.find("points on 2 threads"), std::string::npos) << b.err;
  EXPECT_NE(b.err.find("ETA"), std::string::npos) << b.err;
  EXPECT_NE(b.out.find("amplitude_at_1hz"), std::string::npos) << b.out;  // the summary names each test
  const std::string frf = slurp(csv + "/linearized.csv");
  EXPECT_EQ(frf.substr(0, frf.find('\n')), "frequency,magnitude,magnitude_db,phase_deg,real,imag");
  EXPECT_FALSE(slurp(csv + "/dc_family_chirp_timeseries.csv").empty());
}

// The promise: shards run as separate processes, merged, give the single run's document byte for byte.
TEST(Cli, ShardsMergedEqualOneRun) {
  const std::string plan = model("plans/linear_msd.plan.yaml");
  const std::string dir = ::testing::TempDir() + "shards_" + std::to_string(getpid()) + "/";
  ASSERT_EQ(std::system(("mkdir -p " + dir).c_str()), 0);
  Result one = numen("characterize " + plan + " -o " + dir + "one.json -j 2 --csv " + dir + "csv_one");
  ASSERT_EQ(one.code, 0) << one.err;
  const std::string reference = slurp(dir + "one.json");
  std::string parts;
  for (int i = 1; i <= 3; ++i) {
    const std::string part = dir + "part-" + std::to_string(i) + ".json";
    Result r = numen("characterize " + plan + " --shard " + std::to_string(i) + "/3 -o " + part + " -j 1");
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.err.find("shard " + std::to_string(i) + "/3: "), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty()) << "a part prints no test summary: its tests are not complete";
    parts += " " + part;
  }
  Result merged = numen("merge" + parts + " -o " + dir + "merged.json --csv " + dir + "csv_merged");
  ASSERT_EQ(merged.code, 0) << merged.err;
  EXPECT_EQ(slurp(dir + "merged.json"), reference);
  EXPECT_EQ(slurp(dir + "csv_merged/stepped_sine.csv"), slurp(dir + "csv_one/stepped_sine.csv"));
  EXPECT_NE(merged.out.find("stepped_sine"), std::string::npos) << "the summary of a whole run";
  // Explicit ranges, and a default part name next to the results file.
  Result a = numen("characterize " + plan + " --points 0:20 -o " + dir + "a.json");
  Result b = numen("characterize " + plan + " --points 20: -o " + dir + "b.json");
  ASSERT_EQ(a.code + b.code, 0) << a.err << b.err;
  EXPECT_EQ(numen("merge " + dir + "b.json " + dir + "a.json -o " + dir + "ab.json").code, 0);
  EXPECT_EQ(slurp(dir + "ab.json"), reference);
  // Without -o, a part goes next to where the results would: results.part-I-of-N.json.
  ASSERT_EQ(std::system(("mkdir -p " + dir + "sub && cp " + plan + " " + dir + "sub/p.plan.yaml && cp " +
                         model("linear_msd.yaml") + " " + dir + "linear_msd.yaml")
                            .c_str()),
            0);
  Result d = numen("characterize " + dir + "sub/p.plan.yaml --shard 2/2");
  ASSERT_EQ(d.code, 0) << d.err;
  EXPECT_FALSE(slurp(dir + "sub/results.part-2-of-2.json").empty()) << d.err;
}

TEST(Cli, MergeErrorsNameTheParts) {
  const std::string plan = model("plans/nonlinear_oscillator.plan.yaml");
  const std::string dir = ::testing::TempDir() + "merge_errors_" + std::to_string(getpid()) + "/";
  ASSERT_EQ(std::system(("mkdir -p " + dir).c_str()), 0);
  for (int i = 1; i <= 2; ++i)
    ASSERT_EQ(numen("characterize " + plan + " -q --shard " + std::to_string(i) + "/2 -o " + dir + "p" +
                    std::to_string(i) + ".json")
                  .code,
              0);
  ASSERT_EQ(numen("characterize " + plan + " -q --seed 3 --shard 2/2 -o " + dir + "seed3.json").code, 0);
  Result missing = numen("merge " + dir + "p1.json -o " + dir + "m.json");
  EXPECT_EQ(missing.code, 1);
  EXPECT_EQ(missing.err.rfind(dir + "p1.json: error: shard 2/2 of `", 0), 0u) << missing.err;
  EXPECT_NE(missing.err.find("--shard 2/2"), std::string::npos) << missing.err;
  Result twice = numen("merge " + dir + "p1.json " + dir + "p2.json " + dir + "p1.json -o " + dir + "m.json");
  EXPECT_EQ(twice.code, 1);
  EXPECT_NE(twice.err.find("shard 1/2 is given twice"), std::string::npos) << twice.err;
  Result other = numen("merge " + dir + "p1.json " + dir + "seed3.json -o " + dir + "m.json");
  EXPECT_EQ(other.code, 1);
  EXPECT_EQ(other.err.rfind(dir + "seed3.json: error: comes from another plan than " + dir + "p1.json", 0), 0u)
      << other.err;
  Result absent = numen("merge " + dir + "nope.json");
  EXPECT_EQ(absent.code, 1);
  EXPECT_NE(absent.err.find(dir + "nope.json: error: cannot read the part"), std::string::npos) << absent.err;
  EXPECT_FALSE(std::ifstream(dir + "m.json").good()) << "nothing is written when the parts do not merge";
  // Usage errors exit 2 before anything runs.
  EXPECT_EQ(numen("characterize " + plan + " --shard 0/2").code, 2);
  EXPECT_EQ(numen("characterize " + plan + " --shard two").code, 2);
  EXPECT_EQ(numen("characterize " + plan + " --points 9:3").code, 2);
  Result past = numen("characterize " + plan + " --points 100000:");
  EXPECT_EQ(past.code, 2);
  EXPECT_NE(past.err.find("reach past the plan's"), std::string::npos) << past.err;
  EXPECT_EQ(numen("characterize " + plan + " --shard 1/2 --points 0:1").code, 2);
  EXPECT_EQ(numen("characterize " + plan + " --shard 1/2 --csv " + dir + "csv").code, 2);
  EXPECT_EQ(numen("merge").code, 2);
}

TEST(Cli, BadPlansPrintFileLineColumnAndExit1) {
  const std::string path = ::testing::TempDir() + "bad.plan.yaml";
  std::ofstream(path) << "model: { file: " << model("linear_msd.yaml") << " }\n"
                      << "excitation: { entity: mass, component: body, port: force, output: mass.body.x }\n"
                      << "tests:\n  - { name: s, type: discrete_frequency_sweep, frequencies: [1], amplitud: 2 }\n";
  Result r = numen("characterize " + path);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err.rfind(path + ":4:", 0), 0u) << r.err;
  EXPECT_NE(r.err.find("did you mean `amplitude`"), std::string::npos) << r.err;
  Result v = numen("validate " + path);
  EXPECT_EQ(v.code, 1);
  Result ok = numen("validate " + model("plans/pneumatic_dashpot.plan.yaml"));
  EXPECT_EQ(ok.code, 0) << ok.err;
  EXPECT_NE(ok.out.find(": ok (plan: "), std::string::npos) << ok.out;
  EXPECT_NE(ok.out.find("model pneumatic_dashpot)"), std::string::npos) << ok.out;
  Result schema = numen("schema --plan");
  EXPECT_NE(schema.out.find("\"numen:plan.schema.json\""), std::string::npos);
}

}  // namespace
