// The accuracy table of bench/README.md ("Stiff accuracy against the Test Set"): every stiff method on the Test Set
// problems of tests/problems/stiff.h at the Test Set's tolerances, with the Test Set's scd / mescd of the final state
// against the published reference and the step counts. A disabled test, so that the suite does not pay for it; it
// asserts nothing (the regression tests are in stiff_methods_test.cpp). Deterministic: one build prints one table.
//   build/native/tests/numen_tests --gtest_also_run_disabled_tests --gtest_filter='StiffAccuracy.*'
// NUMEN_TABLE_PROBLEM / NUMEN_TABLE_METHOD restrict it to one problem / method; NUMEN_PRINT_STATE=1 prints the
// final states beside the references.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "numen/solve.h"
#include "problems/stiff.h"

TEST(StiffAccuracy, DISABLED_TestSetTable) {
  using namespace numen;
  const char* only_problem = std::getenv("NUMEN_TABLE_PROBLEM");
  const char* only_method = std::getenv("NUMEN_TABLE_METHOD");
  const std::vector<std::unique_ptr<problems::DenseProblem>> all = problems::test_set_problems();
  const char* methods[] = {"RadauIIA5", "Rodas5P", "Rodas4", "BDF", "KenCarp4", "TRBDF2", "Rosenbrock23", "Auto"};
  std::printf("| problem | rtol, atol | method | scd | mescd | accepted | rejected | Newton failures | status |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|\n");
  for (auto& p : all) {
    if (only_problem && p->name() != only_problem) continue;
    for (const char* m : methods) {
      if (only_method && std::strcmp(m, only_method) != 0) continue;
      SolveOptions o;
      o.method = m;
      o.t1 = p->t_end();
      o.rtol = p->testset_rtol();
      o.atol = {p->testset_atol()};
      o.n_save_points = 2;
      o.max_steps = 2000000;
      const Solution s = solve(*p, p->initial(), o);
      const std::size_t last = s.size() - 1;
      std::vector<double> x(static_cast<std::size_t>(p->size()));
      for (int i = 0; i < p->size(); ++i) x[static_cast<std::size_t>(i)] = s.state(i, last);
      const problems::Digits d = problems::significant_digits(*p, x.data(), o.rtol, o.atol[0]);
      const bool reached = s.ok() && s.t[last] == o.t1;
      std::string status = to_string(s.status);
      if (!s.ok()) status += ": " + s.message;
      if (reached)
        std::printf("| %s | %g, %g | %s | %.2f | %.2f | %ld | %ld | %ld | %s |\n", p->name().c_str(), o.rtol, o.atol[0],
                    m, d.scd, d.mescd, s.stats.accepted_steps, s.stats.rejected_steps, s.stats.newton_failures,
                    status.c_str());
      else
        std::printf("| %s | %g, %g | %s | - | - | %ld | %ld | %ld | %s |\n", p->name().c_str(), o.rtol, o.atol[0], m,
                    s.stats.accepted_steps, s.stats.rejected_steps, s.stats.newton_failures, status.c_str());
      if (std::getenv("NUMEN_PRINT_STATE")) {
        const std::vector<double> y = p->published_variables(x.data()), ref = p->reference();
        for (std::size_t i = 0; i < y.size(); ++i) std::printf("    y%zu = %.16e  ref %.16e\n", i + 1, y[i], ref[i]);
      }
      std::fflush(stdout);
    }
  }
}
