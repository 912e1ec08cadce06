#pragma once
// Signal processing for characterization, on uniformly sampled records (the solver's dense output resampled at a
// fixed rate). Everything here is deterministic and identical natively and in wasm: random numbers come from
// Rng (a fully specified generator and transforms), not from std::*_distribution (implementation-defined).
#include <complex>
#include <cstdint>
#include <vector>

namespace numen::dsp {

using Complex = std::complex<double>;

// ---- random numbers -----------------------------------------------------------------------------------------------

/// SplitMix64-seeded xoshiro256** generator with explicit uniform and normal transforms: the same stream on every
/// platform for the same seed.
class Rng {
 public:
  explicit Rng(std::uint64_t seed);
  std::uint64_t next();
  double uniform();  ///< in [0, 1), 53 random bits
  double normal();   ///< standard normal (Box-Muller, both values used)

 private:
  std::uint64_t s_[4];
  bool have_spare_ = false;
  double spare_ = 0.0;
};

// ---- windows and transforms ---------------------------------------------------------------------------------------

enum class Window { Rectangular, Hann, BlackmanHarris, FlatTop, Tukey10 };
std::vector<double> window(Window kind, std::size_t n);

/// Discrete Fourier transform of real data (any length; Eigen's FFT): n/2 + 1 bins, bin k at k * fs / n.
std::vector<Complex> rfft(const std::vector<double>& x);
/// Inverse of rfft for a record of length n.
std::vector<double> irfft(const std::vector<Complex>& spectrum, std::size_t n);

// ---- estimators ---------------------------------------------------------------------------------------------------

/// Lock-in over whole periods: y sampled uniformly at t[k]; returns I = (2/N) sum y sin(2 pi f t), Q likewise
/// with cos, so that y = I sin + Q cos + ...; amplitude = hypot(I, Q), phase = atan2(Q, I) relative to sin.
struct LockIn {
  double in_phase = 0.0, quadrature = 0.0;
  double amplitude() const;
  double phase() const;  ///< radians
};
LockIn lock_in(const std::vector<double>& t, const std::vector<double>& y, double frequency);

/// Least-squares fit of y = c + sum_k (a_k sin(2 pi f_k t) + b_k cos(2 pi f_k t)) for the given frequencies
/// (exact for stationary signals made of those components, whatever the record length). Returns one LockIn per
/// frequency, in order.
std::vector<LockIn> multisine_fit(const std::vector<double>& t, const std::vector<double>& y,
                                  const std::vector<double>& frequencies);

/// Welch's averaged periodogram with Hann windows, `segments` segments of equal length with 50% overlap, one-sided,
/// scaled to a density (units^2 / Hz). CSD is conj(X) * Y.
struct Spectra {
  std::vector<double> f;
  std::vector<double> pxx, pyy;   ///< power spectral densities
  std::vector<Complex> pxy;       ///< cross spectral density
  std::vector<double> coherence;  ///< |pxy|^2 / (pxx pyy)
  std::vector<Complex> h1;        ///< best linear approximation pxy / pxx
  int averages = 0;               ///< number of segments averaged (for confidence bands)
};
Spectra welch(const std::vector<double>& x, const std::vector<double>& y, double fs, int segments);

/// Analytic signal by FFT (the imaginary part is the Hilbert transform of x).
std::vector<Complex> analytic_signal(const std::vector<double>& x);

/// Butterworth band-pass of the given order (per edge), designed by the bilinear transform and applied forward and
/// backward (zero phase).
std::vector<double> bandpass(const std::vector<double>& x, double fs, double f_low, double f_high, int order);

// ---- signal synthesis ---------------------------------------------------------------------------------------------

/// Schroeder-phase multisine: n_lines equal-amplitude lines from f_start to f_end (on the frequency grid 1/T),
/// phases -pi k (k - 1) / n for a low crest factor, scaled to the requested rms. Sampled at dt for duration T.
std::vector<double> schroeder_multisine(double f_start, double f_end, int n_lines, double rms, double duration,
                                        double dt);

/// Gaussian random signal with a one-sided PSD given by breakpoints (f, psd) interpolated log-log (zero outside),
/// synthesized in the frequency domain with random phases: n = duration / dt samples, same seed -> same signal.
std::vector<double> random_from_psd(const std::vector<double>& f_breaks, const std::vector<double>& psd_breaks,
                                    double duration, double dt, std::uint64_t seed);

double rms(const std::vector<double>& x);
double crest_factor(const std::vector<double>& x);             ///< max |x| / rms
std::vector<double> unwrap(const std::vector<double>& phase);  ///< radians

}  // namespace numen::dsp
