#pragma once
// Solver options: the same names in a model's `simulate` block, on the CLI (`--rtol`), and in the JS API ({rtol}).
#include <limits>
#include <string>
#include <vector>

namespace numen {

struct SolveOptions {
  double t0 = 0.0;
  double t1 = 1.0;
  std::string method = "Auto";  ///< a name or alias from numen::methods(), case-insensitive
  double rtol = 1e-6;
  std::vector<double> atol = {1e-8};  ///< one value for every state, or one per state in layout order

  // Where to save. At most one of these; with none, every accepted step is saved.
  int n_save_points = 0;       ///< that many points evenly spaced over [t0, t1], both ends included
  double dtsave = 0.0;         ///< t0, t0 + dtsave, ... up to t1
  std::vector<double> t_eval;  ///< exactly these times (ascending, inside [t0, t1])

  double dt = 0.0;   ///< step of fixed-step methods (required by them)
  double dt0 = 0.0;  ///< first step of adaptive methods (0: chosen automatically)
  double dtmax =
      std::numeric_limits<double>::infinity();  ///< largest step of adaptive methods (fixed-step ones take dt)
  long max_steps = 1000000;
  int max_order = 5;           ///< highest order BDF may use (1 to 5)
  std::vector<double> tstops;  ///< times the integrator must step onto exactly (discontinuities)
  bool dense = false;          ///< keep the dense output so Solution::interpolate works at any t
  /// DAEs: compute consistent algebraic values at the start and after every event (Newton on the algebraic
  /// equations with the differential states held); false: only check them, and fail if they are inconsistent.
  bool initialize_algebraic = true;
};

/// Throws numen::Error (file "options") naming the bad option and what to do. n_states = 0 skips per-state checks.
void validate(const SolveOptions& options, int n_states);

}  // namespace numen
