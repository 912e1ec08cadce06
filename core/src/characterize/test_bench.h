#pragma once
// The test bench: a compiled model with its excitation port and measured output, the plan's solver settings and
// parameter values. Tests ask it for runs (a drive signal in, uniformly sampled responses out), operating points,
// linearizations and steady-state sine responses. Const and thread-safe: every run builds its own problem.
#include <complex>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/json.h"

#include "characterize/linearize.h"
#include "numen/model.h"
#include "numen/solve.h"

namespace numen::characterize {

struct Excitation {
  std::string port_key;  ///< entity.component.port
  int port = 0;
  Probe output;
  std::optional<int> scale_parameter;  ///< the signal is divided by this parameter before entering the port
  std::string scale_key;
  int target_state = -1;  ///< the state whose derivative the port drives (-1: none found)
  std::optional<double> amplitude, frequency, dc_offset;  ///< plan-wide defaults
};

/// The excitation settings a sweep can set (sweep keys excitation.amplitude, .frequency, .dc_offset).
enum class ExcitationKey { Amplitude, Frequency, DcOffset };

/// What sweeps impose on the runs of the tests they contain: values by key, outermost first.
struct Overrides {
  std::vector<std::pair<std::string, double>> set;  ///< parameters and initial values
  std::optional<double> amplitude, frequency, dc_offset;
  /// Returns a copy with one more swept value (a parameter, an initial value or an excitation.* key).
  Overrides with(const std::string& key, double value) const;
};

/// The device under test for one run: parameters and initial state after the plan's and the sweeps' settings.
struct Setup {
  std::vector<double> parameters, initial_state;
  double scale = 1.0;  ///< the scale_by parameter's value (1 without one)
};

/// A run sampled at requested times.
struct Record {
  std::vector<double> t, y;                ///< times and the measured output
  std::vector<std::vector<double>> extra;  ///< further probes, in the order requested
  bool ok = true;
  std::string message;  ///< why the solve stopped early
};

/// Settling and measuring of periodic tests.
struct SettleSpec {
  bool automatic = true;
  double periods = 0.0;     ///< fixed settling (automatic = false)
  double tolerance = 1e-6;  ///< automatic: relative error estimate of the measured phasor
  int max_periods = 2000;
  int measure_periods = 5;
  int samples_per_period = 128;
  bool linearized_start = true;
};

/// Steady-state response to u = dc + amplitude sin(2 pi f t).
struct SteadyResponse {
  bool ok = false;
  std::string message;
  std::vector<std::complex<double>> harmonics;  ///< output phasor (I + jQ, y = I sin + Q cos) per requested harmonic
  double mean = 0.0;                            ///< output mean over the measured periods
  double settle_periods = 0.0;
  bool settled = true;
  double settle_error = 0.0;  ///< automatic settling: estimated relative error left in the fundamental
  bool warm_start = false;    ///< started on the linearized periodic steady state
  std::string start_note;     ///< why not, when a linearized start was asked for
};

class TestBench {
 public:
  TestBench(Model model, Excitation excitation, SolveOptions options, std::vector<std::pair<std::string, double>> set);

  const Model& model() const { return model_; }
  const Excitation& excitation() const { return excitation_; }
  const SolveOptions& options() const { return options_; }

  /// Parameters and initial state with the plan's settings, then the overrides. Throws numen::Error for an unknown
  /// key (plans are validated before they run, so this is a bug guard).
  Setup setup(const Overrides& overrides) const;

  /// A state or observed output by key; nullopt if neither.
  std::optional<Probe> probe(const std::string& key) const;
  std::vector<std::string> probe_keys() const;

  /// The equilibrium under constant input dc (signal units), found from the setup's initial state.
  OperatingPoint operating_point(const Setup& setup, double dc) const;
  Linearization linearize(const Setup& setup, const std::vector<double>& x, double dc,
                          bool check_smoothness = false) const;

  /// Integrates from x0 over [0, t_end] with the port driven by u(t) (signal units; divided by scale inside),
  /// sampling the measured output (and `extra` probes) at `t_eval`.
  Record run(const Setup& setup, const std::vector<double>& x0, const std::function<double(double)>& u, double t_end,
             std::vector<double> t_eval, const std::vector<Probe>& extra = {}, std::vector<double> tstops = {}) const;

  /// Initial state on the linearized periodic steady state of dc + sum_k a_k sin(2 pi f_k t) (tones: (f, a)).
  /// Falls back to the setup's initial state (warm = false, note says why).
  struct Start {
    std::vector<double> x;
    bool warm = false;
    std::string note;
  };
  Start periodic_start(const Setup& setup, double dc, const std::vector<std::pair<double, double>>& tones) const;

  /// Steady-state sine response, measured by lock-in over whole periods at the requested harmonics of f.
  SteadyResponse steady_sine(const Setup& setup, double frequency, double amplitude, double dc,
                             const SettleSpec& settle, const std::vector<int>& harmonics = {1}) const;

  /// Per-state weights atol + rtol |x| of the plan's tolerances.
  std::vector<double> weights(const std::vector<double>& x) const;

 private:
  std::vector<double> inputs(double dc, const Setup& setup) const;
  Model model_;
  Excitation excitation_;
  SolveOptions options_;
  std::vector<std::pair<std::string, double>> set_;
};

}  // namespace numen::characterize
