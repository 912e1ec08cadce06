#include "characterize/dsp.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <unsupported/Eigen/FFT>

// Conventions (the header gives the contracts; these are the choices behind them):
//  - Windows are periodic ("DFT-even"): the symmetric window of n + 1 points without its last point, as
//    scipy.signal.get_window (fftbins=True). Periodic windows are the right ones for spectral analysis (Welch).
//  - rfft is unscaled, X_k = sum_j x_j exp(-2 pi i k j / n); irfft divides by n (numpy.fft conventions).
//  - Only sqrt, log, sin, cos, tan, atan, exp and pow of libm are used; everything else is plain IEEE arithmetic
//    in a fixed order, so native and wasm builds agree to the last bit or, where libm differs, to an ulp.

namespace numen::dsp {

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kTwoPi = 2.0 * kPi;

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

void require(bool condition, const std::string& message) {
  if (!condition) throw std::invalid_argument(message);
}

/// Sum-of-cosines window a0 - a1 cos(x) + a2 cos(2x) - ..., x = 2 pi k / n (periodic).
std::vector<double> cosine_sum(std::initializer_list<double> coefficients, std::size_t n) {
  std::vector<double> w(n);
  for (std::size_t k = 0; k < n; ++k) {
    const double x = kTwoPi * static_cast<double>(k) / static_cast<double>(n);
    double sum = 0.0, sign = 1.0;
    int harmonic = 0;
    for (double a : coefficients) {
      sum += sign * a * std::cos(harmonic * x);
      sign = -sign;
      ++harmonic;
    }
    w[k] = sum;
  }
  return w;
}

/// Tukey window with taper fraction alpha (cosine tapers of alpha / 2 of the length at each end), periodic: the
/// formula of scipy.signal.windows.tukey for n + 1 points, first n kept.
std::vector<double> tukey(double alpha, std::size_t n) {
  std::vector<double> w(n, 1.0);
  const double span = static_cast<double>(n);  // (M - 1) with M = n + 1 points before truncation
  const std::size_t width = static_cast<std::size_t>(std::floor(alpha * span / 2.0));
  for (std::size_t k = 0; k < n; ++k) {
    const double j = static_cast<double>(k);
    if (k <= width) w[k] = 0.5 * (1.0 + std::cos(kPi * (-1.0 + 2.0 * j / alpha / span)));
    else if (k + width >= n) w[k] = 0.5 * (1.0 + std::cos(kPi * (-2.0 / alpha + 1.0 + 2.0 * j / alpha / span)));
  }
  return w;
}

/// Full complex spectrum of real data (n bins).
std::vector<Complex> full_fft(const std::vector<double>& x) {
  std::vector<Complex> spectrum(x.size());
  if (x.size() <= 1) {  // Eigen's kissfft crashes on a single point; the transform is the identity there
    if (!x.empty()) spectrum[0] = x[0];
    return spectrum;
  }
  Eigen::FFT<double> fft;
  fft.fwd(spectrum.data(), x.data(), static_cast<Eigen::Index>(x.size()));
  return spectrum;
}

/// Inverse complex DFT with the 1/n factor.
std::vector<Complex> full_ifft(const std::vector<Complex>& spectrum) {
  if (spectrum.size() <= 1) return spectrum;
  std::vector<Complex> x(spectrum.size());
  Eigen::FFT<double> fft;
  fft.inv(x.data(), spectrum.data(), static_cast<Eigen::Index>(spectrum.size()));
  return x;
}

// ---- Butterworth band-pass as second-order sections ----

/// Transposed direct form II section, a0 = 1 (as scipy.signal.sosfilt).
struct Section {
  double b0, b1, b2, a1, a2;
  double s1 = 0.0, s2 = 0.0;

  double step(double x) {
    const double y = b0 * x + s1;
    s1 = b1 * x - a1 * y + s2;
    s2 = b2 * x - a2 * y;
    return y;
  }
  double dc_gain() const { return (b0 + b1 + b2) / (1.0 + a1 + a2); }
  /// State in steady state under the constant input u (scipy's lfilter_zi times u).
  void settle(double u) {
    const double y = dc_gain() * u;
    s1 = y - b0 * u;
    s2 = b2 * u - a2 * y;
  }
};

/// Digital Butterworth band-pass of `order` per edge: the analog prototype's poles moved to the pre-warped band by
/// the low-pass to band-pass transform s -> (s^2 + w0^2) / (s bw), then the bilinear transform z = (K + s) / (K - s),
/// K = 2 fs (the same transfer function as scipy.signal.butter(order, [f_low, f_high], 'band', fs=fs)). Each
/// section holds one conjugate pole pair (or the two real poles from the prototype's real pole) and one zero at
/// z = 1 and one at z = -1, and has unit gain at the band centre, where the whole filter has gain 1.
std::vector<Section> butterworth_bandpass(double fs, double f_low, double f_high, int order) {
  const double k = 2.0 * fs;
  const double w1 = k * std::tan(kPi * f_low / fs), w2 = k * std::tan(kPi * f_high / fs);
  const double bw = w2 - w1, w0_squared = w1 * w2;
  std::vector<std::pair<Complex, Complex>> pole_pairs;  // analog band-pass poles, one pair per section
  auto band_poles = [&](Complex prototype_pole) {
    const Complex p = prototype_pole * (bw / 2.0);
    const Complex root = std::sqrt(p * p - w0_squared);
    return std::make_pair(p + root, p - root);
  };
  // Prototype poles exp(i pi (2m + order + 1) / (2 order)); those with m < order / 2 are the upper half-plane ones,
  // their conjugates give the conjugate band-pass poles.
  for (int m = 0; m < order / 2; ++m) {
    const auto [r1, r2] = band_poles(std::polar(1.0, kPi * (2.0 * m + order + 1.0) / (2.0 * order)));
    pole_pairs.emplace_back(r1, std::conj(r1));
    pole_pairs.emplace_back(r2, std::conj(r2));
  }
  if (order % 2 == 1) pole_pairs.push_back(band_poles(Complex(-1.0, 0.0)));  // real pole -> conjugate or real pair

  const double centre = 2.0 * std::atan(std::sqrt(w0_squared) / k);  // digital radians per sample
  const Complex e1 = std::polar(1.0, -centre), e2 = std::polar(1.0, -2.0 * centre);
  std::vector<Section> sections;
  for (const auto& [s1, s2] : pole_pairs) {
    const Complex z1 = (k + s1) / (k - s1), z2 = (k + s2) / (k - s2);
    const double a1 = -(z1 + z2).real(), a2 = (z1 * z2).real();
    const double gain = std::abs(1.0 + a1 * e1 + a2 * e2) / std::abs(1.0 - e2);
    sections.push_back(Section{gain, 0.0, -gain, a1, a2});
  }
  return sections;
}

/// Runs the cascade over x in place, starting from the steady state for a constant input x.front().
void filter_cascade(std::vector<Section>& sections, std::vector<double>& x) {
  if (x.empty()) return;
  double u = x.front();
  for (auto& section : sections) {
    section.settle(u);
    u *= section.dc_gain();
  }
  for (double& value : x)
    for (auto& section : sections) value = section.step(value);
}

/// One-sided PSD breakpoints interpolated log-log, zero outside [f.front(), f.back()].
double interpolate_psd(const std::vector<double>& f, const std::vector<double>& psd, double frequency) {
  if (frequency < f.front() || frequency > f.back()) return 0.0;
  const std::size_t upper = static_cast<std::size_t>(std::upper_bound(f.begin(), f.end(), frequency) - f.begin());
  if (upper == f.size()) return psd.back();  // frequency == f.back()
  const std::size_t lower = upper - 1;
  const double slope = std::log(psd[upper] / psd[lower]) / std::log(f[upper] / f[lower]);
  return psd[lower] * std::pow(frequency / f[lower], slope);
}

/// Number of samples of a record of the given duration sampled at dt.
std::size_t sample_count(double duration, double dt, const char* who) {
  require(std::isfinite(duration) && duration > 0.0, std::string(who) + ": duration must be positive");
  require(std::isfinite(dt) && dt > 0.0, std::string(who) + ": dt must be positive");
  const double n = std::round(duration / dt);
  require(n >= 2.0 && n < 1e10, std::string(who) + ": duration / dt must be between 2 and 1e10 samples");
  return static_cast<std::size_t>(n);
}

}  // namespace

// ---- random numbers -----------------------------------------------------------------------------------------------

Rng::Rng(std::uint64_t seed) {
  std::uint64_t state = seed;
  for (auto& word : s_) word = splitmix64(state);
}

std::uint64_t Rng::next() {  // xoshiro256** 1.0 (Blackman & Vigna)
  const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

double Rng::uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

double Rng::normal() {
  if (have_spare_) {
    have_spare_ = false;
    return spare_;
  }
  const double u1 = 1.0 - uniform();  // (0, 1]: the logarithm stays finite
  const double u2 = uniform();
  const double radius = std::sqrt(-2.0 * std::log(u1));
  const double angle = kTwoPi * u2;
  spare_ = radius * std::sin(angle);
  have_spare_ = true;
  return radius * std::cos(angle);
}

// ---- windows and transforms ---------------------------------------------------------------------------------------

std::vector<double> window(Window kind, std::size_t n) {
  if (n == 1) return {1.0};  // as scipy: a one-point window is 1 whatever its shape
  switch (kind) {
    case Window::Rectangular: return std::vector<double>(n, 1.0);
    case Window::Hann: return cosine_sum({0.5, 0.5}, n);
    case Window::BlackmanHarris:  // 4-term, -92 dB side lobes
      return cosine_sum({0.35875, 0.48829, 0.14128, 0.01168}, n);
    case Window::FlatTop:  // 5-term (scipy.signal.windows.flattop, SRS), amplitude accurate to ~0.01 dB
      return cosine_sum({0.21557895, 0.41663158, 0.277263158, 0.083578947, 0.006947368}, n);
    case Window::Tukey10: return tukey(0.1, n);
  }
  throw std::invalid_argument("window: unknown kind");
}

std::vector<Complex> rfft(const std::vector<double>& x) {
  std::vector<Complex> spectrum = full_fft(x);
  if (!x.empty()) spectrum.resize(x.size() / 2 + 1);
  return spectrum;
}

std::vector<double> irfft(const std::vector<Complex>& spectrum, std::size_t n) {
  // As numpy.fft.irfft: missing bins are zero, extra ones ignored, and the imaginary parts of the DC and (even n)
  // Nyquist bins do not contribute.
  std::vector<Complex> full(n, Complex(0.0, 0.0));
  const std::size_t bins = std::min(spectrum.size(), n / 2 + 1);
  for (std::size_t k = 0; k < bins; ++k) {
    full[k] = spectrum[k];
    if (k > 0 && k < n - k) full[n - k] = std::conj(spectrum[k]);
  }
  const std::vector<Complex> complex_signal = full_ifft(full);
  std::vector<double> x(n);
  for (std::size_t j = 0; j < n; ++j) x[j] = complex_signal[j].real();
  return x;
}

// ---- estimators ---------------------------------------------------------------------------------------------------

double LockIn::amplitude() const { return std::hypot(in_phase, quadrature); }
double LockIn::phase() const { return std::atan2(quadrature, in_phase); }

// Assumes uniform sampling and a record of whole periods of `frequency`, given either half-open (N samples,
// t.back() + dt - t.front() = whole periods) or closed (N + 1 samples, t.back() - t.front() = whole periods). The
// layout whose span is nearer a whole number of periods is taken: half-open uses the rectangle rule
// (2 / N) sum y sin, closed the trapezoid rule over its N intervals (end points weighted 1/2), which is the same
// rectangle rule for periodic data. Both are then exact for any harmonic content below the Nyquist frequency.
// Phases refer to sin(2 pi f t) at the given absolute times. For other record lengths use multisine_fit.
LockIn lock_in(const std::vector<double>& t, const std::vector<double>& y, double frequency) {
  require(t.size() == y.size(), "lock_in: t and y differ in length");
  require(t.size() >= 2, "lock_in: needs at least two samples");
  require(std::isfinite(frequency) && frequency > 0.0, "lock_in: frequency must be positive");
  const std::size_t n = t.size();
  const double span = t.back() - t.front();
  require(span > 0.0, "lock_in: t must increase");
  const double dt = span / static_cast<double>(n - 1);
  auto off_whole = [](double cycles) { return std::abs(cycles - std::round(cycles)); };
  const bool closed = off_whole(frequency * span) < off_whole(frequency * (span + dt));
  double sum_sin = 0.0, sum_cos = 0.0;
  for (std::size_t k = 0; k < n; ++k) {
    const double weight = closed && (k == 0 || k == n - 1) ? 0.5 : 1.0;
    const double angle = kTwoPi * frequency * t[k];
    sum_sin += weight * y[k] * std::sin(angle);
    sum_cos += weight * y[k] * std::cos(angle);
  }
  const double intervals = static_cast<double>(closed ? n - 1 : n);
  return LockIn{2.0 * sum_sin / intervals, 2.0 * sum_cos / intervals};
}

std::vector<LockIn> multisine_fit(const std::vector<double>& t, const std::vector<double>& y,
                                  const std::vector<double>& frequencies) {
  require(t.size() == y.size(), "multisine_fit: t and y differ in length");
  const Eigen::Index rows = static_cast<Eigen::Index>(t.size());
  const Eigen::Index columns = 1 + 2 * static_cast<Eigen::Index>(frequencies.size());
  require(rows >= columns, "multisine_fit: needs at least 1 + 2 * (number of frequencies) samples");
  Eigen::MatrixXd design(rows, columns);
  Eigen::VectorXd rhs(rows);
  for (Eigen::Index r = 0; r < rows; ++r) {
    const double time = t[static_cast<std::size_t>(r)];
    design(r, 0) = 1.0;
    for (std::size_t j = 0; j < frequencies.size(); ++j) {
      const double angle = kTwoPi * frequencies[j] * time;
      const Eigen::Index column = 1 + 2 * static_cast<Eigen::Index>(j);
      design(r, column) = std::sin(angle);
      design(r, column + 1) = std::cos(angle);
    }
    rhs(r) = y[static_cast<std::size_t>(r)];
  }
  const Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(design);
  require(qr.rank() == columns,
          "multisine_fit: the frequencies cannot be separated on these samples (zero, repeated or aliased)");
  const Eigen::VectorXd coefficients = qr.solve(rhs);
  std::vector<LockIn> fits(frequencies.size());
  for (std::size_t j = 0; j < frequencies.size(); ++j) {
    const Eigen::Index column = 1 + 2 * static_cast<Eigen::Index>(j);
    fits[j] = LockIn{coefficients(column), coefficients(column + 1)};
  }
  return fits;
}

// Segments of length L = 2 floor(N / (segments + 1)) (that is floor(2N / (segments + 1)) rounded down to even, so
// that the overlap is exactly L / 2 and `segments` segments always fit), hop L / 2; all segments that fit are used
// (that is `segments` unless L < segments + 2), trailing samples that fill no segment are ignored. Each segment has
// its mean removed and a periodic Hann window applied; density scaling 1 / (fs sum w^2), interior bins doubled.
// Identical to scipy.signal.welch / csd(x, y, fs, window='hann', nperseg=L) (noverlap L / 2, detrend 'constant',
// scaling 'density', average 'mean').
Spectra welch(const std::vector<double>& x, const std::vector<double>& y, double fs, int segments) {
  require(x.size() == y.size(), "welch: x and y differ in length");
  require(std::isfinite(fs) && fs > 0.0, "welch: fs must be positive");
  require(segments >= 1, "welch: segments must be at least 1");
  const std::size_t hop = x.size() / (static_cast<std::size_t>(segments) + 1);
  require(hop >= 1, "welch: the record is too short for that many segments");
  const std::size_t length = 2 * hop;
  const std::size_t count = (x.size() - length) / hop + 1;
  const std::size_t bins = length / 2 + 1;
  const std::vector<double> w = window(Window::Hann, length);
  double sum_w2 = 0.0;
  for (double v : w) sum_w2 += v * v;

  Spectra s;
  s.f.resize(bins);
  s.pxx.assign(bins, 0.0);
  s.pyy.assign(bins, 0.0);
  s.pxy.assign(bins, Complex(0.0, 0.0));
  std::vector<double> segment_x(length), segment_y(length);
  for (std::size_t m = 0; m < count; ++m) {
    const std::size_t start = m * hop;
    double mean_x = 0.0, mean_y = 0.0;
    for (std::size_t j = 0; j < length; ++j) {
      mean_x += x[start + j];
      mean_y += y[start + j];
    }
    mean_x /= static_cast<double>(length);
    mean_y /= static_cast<double>(length);
    for (std::size_t j = 0; j < length; ++j) {
      segment_x[j] = (x[start + j] - mean_x) * w[j];
      segment_y[j] = (y[start + j] - mean_y) * w[j];
    }
    const std::vector<Complex> spectrum_x = rfft(segment_x), spectrum_y = rfft(segment_y);
    for (std::size_t k = 0; k < bins; ++k) {
      s.pxx[k] += std::norm(spectrum_x[k]);
      s.pyy[k] += std::norm(spectrum_y[k]);
      s.pxy[k] += std::conj(spectrum_x[k]) * spectrum_y[k];
    }
  }
  const double scale = 1.0 / (fs * sum_w2 * static_cast<double>(count));
  s.coherence.resize(bins);
  s.h1.resize(bins);
  for (std::size_t k = 0; k < bins; ++k) {
    const double one_sided = (k == 0 || k == bins - 1) ? 1.0 : 2.0;  // L is even: the last bin is Nyquist
    s.f[k] = static_cast<double>(k) * fs / static_cast<double>(length);
    s.pxx[k] *= one_sided * scale;
    s.pyy[k] *= one_sided * scale;
    s.pxy[k] *= one_sided * scale;
    const double denominator = s.pxx[k] * s.pyy[k];
    s.coherence[k] = denominator > 0.0 ? std::norm(s.pxy[k]) / denominator : 0.0;
    s.h1[k] = s.pxx[k] > 0.0 ? s.pxy[k] / s.pxx[k] : Complex(0.0, 0.0);
  }
  s.averages = static_cast<int>(count);
  return s;
}

// As scipy.signal.hilbert: X_k doubled for 0 < k < n/2, kept at DC and (even n) Nyquist, zeroed above.
std::vector<Complex> analytic_signal(const std::vector<double>& x) {
  const std::size_t n = x.size();
  std::vector<Complex> spectrum = full_fft(x);
  for (std::size_t k = 1; k < n; ++k) {
    if (2 * k < n) spectrum[k] *= 2.0;
    else if (2 * k > n) spectrum[k] = 0.0;
  }
  return full_ifft(spectrum);
}

// Zero phase as scipy.signal.sosfiltfilt: the record is extended at both ends by its odd reflection
// (2 x_0 - x_p, ..., 2 x_0 - x_1 before, likewise after), filtered forward from the steady state for its first
// value, then backward likewise, and the extension removed. The extension is longer than scipy's default
// 3 (2 sections + 1) where the record allows (at most N - 1): long enough for the slowest pole to decay by 1e-8,
// so the start-up transient dies inside the extension and only the odd continuation of the signal shapes the ends.
std::vector<double> bandpass(const std::vector<double>& x, double fs, double f_low, double f_high, int order) {
  require(std::isfinite(fs) && fs > 0.0, "bandpass: fs must be positive");
  require(order >= 1, "bandpass: order must be at least 1");
  require(std::isfinite(f_low) && f_low > 0.0, "bandpass: f_low must be positive");
  require(f_low < f_high, "bandpass: f_low must be below f_high");
  require(f_high < fs / 2.0, "bandpass: f_high must be below the Nyquist frequency fs / 2");
  std::vector<Section> sections = butterworth_bandpass(fs, f_low, f_high, order);
  const std::size_t n = x.size();
  if (n == 0) return {};

  double slowest = 0.0;  // largest pole radius
  for (const auto& section : sections) {
    const double discriminant = section.a1 * section.a1 - 4.0 * section.a2;
    const double radius =
        discriminant < 0.0 ? std::sqrt(section.a2) : (std::abs(section.a1) + std::sqrt(discriminant)) / 2.0;
    slowest = std::max(slowest, radius);
  }
  const double settle = slowest > 0.0 && slowest < 1.0 ? std::ceil(std::log(1e-8) / std::log(slowest)) : 0.0;
  const double scipy_default = 3.0 * (2.0 * static_cast<double>(sections.size()) + 1.0);
  const std::size_t pad =
      static_cast<std::size_t>(std::min(static_cast<double>(n - 1), std::max(scipy_default, settle)));

  std::vector<double> extended(n + 2 * pad);
  for (std::size_t j = 0; j < pad; ++j) {
    extended[j] = 2.0 * x.front() - x[pad - j];
    extended[pad + n + j] = 2.0 * x.back() - x[n - 2 - j];
  }
  std::copy(x.begin(), x.end(), extended.begin() + static_cast<std::ptrdiff_t>(pad));
  filter_cascade(sections, extended);
  std::reverse(extended.begin(), extended.end());
  filter_cascade(sections, extended);
  std::reverse(extended.begin(), extended.end());
  return std::vector<double>(extended.begin() + static_cast<std::ptrdiff_t>(pad),
                             extended.begin() + static_cast<std::ptrdiff_t>(pad + n));
}

// ---- signal synthesis ---------------------------------------------------------------------------------------------

// N = round(duration / dt) samples at t = j dt, T = N dt, grid lines k / T for k between f_start T and f_end T
// (inclusive, with a 1e-9 relative tolerance) and strictly between DC and Nyquist. With M grid lines available and
// n_lines < M, the lines are equally spaced, s = floor((M - 1) / (n_lines - 1)) grid steps apart, and centred in the
// band (equal spacing is what Schroeder's phases assume: uneven spacing raises the crest factor); otherwise all M
// lines. Line i (1-based) is cos(2 pi f_i t - pi i (i - 1) / n) with n the number of lines used; the sum is scaled to
// the requested rms exactly. The record holds whole periods of every line, so its spectrum is exactly the lines.
// Crest factors: about 1.66 - 1.82 when the lines start at the first grid line (k = 1, 2, 3, ...), about 1.8 - 1.93
// for bands away from DC (Schroeder's phases make a chirp, whose envelope ripples at the sweep's ends).
std::vector<double> schroeder_multisine(double f_start, double f_end, int n_lines, double rms_value, double duration,
                                        double dt) {
  const std::size_t n = sample_count(duration, dt, "schroeder_multisine");
  require(n_lines >= 1, "schroeder_multisine: n_lines must be at least 1");
  require(std::isfinite(rms_value) && rms_value >= 0.0, "schroeder_multisine: rms must be non-negative");
  require(std::isfinite(f_start) && std::isfinite(f_end) && f_start <= f_end,
          "schroeder_multisine: f_start must not exceed f_end");
  const double period = static_cast<double>(n) * dt;
  const double first = std::max(1.0, std::ceil(f_start * period - 1e-9 * (1.0 + std::abs(f_start * period))));
  const double last =
      std::min(static_cast<double>((n - 1) / 2), std::floor(f_end * period + 1e-9 * (1.0 + std::abs(f_end * period))));
  require(first <= last,
          "schroeder_multisine: no line of the grid 1 / duration lies between f_start and f_end "
          "(below the Nyquist frequency)");
  const std::size_t k_first = static_cast<std::size_t>(first), available = static_cast<std::size_t>(last - first) + 1;
  const std::size_t lines = std::min(available, static_cast<std::size_t>(n_lines));

  const std::size_t spacing = lines == available ? 1 : lines == 1 ? 0 : (available - 1) / (lines - 1);
  const std::size_t k_start = k_first + (available - 1 - spacing * (lines - 1)) / 2;

  std::vector<Complex> spectrum(n / 2 + 1, Complex(0.0, 0.0));
  for (std::size_t i = 0; i < lines; ++i) {
    const double number = static_cast<double>(i + 1);
    const double phase = -kPi * number * (number - 1.0) / static_cast<double>(lines);
    spectrum[k_start + i * spacing] = std::polar(static_cast<double>(n) / 2.0, phase);  // unit cosine amplitude
  }
  std::vector<double> x = irfft(spectrum, n);
  const double scale = rms_value / rms(x);
  for (double& v : x) v *= scale;
  return x;
}

// N = round(duration / dt) samples, T = N dt, bins f_k = k / T. The component (2 / N) |X_k| cos(2 pi f_k t + theta_k)
// has variance 2 |X_k|^2 / N^2, which must be the PSD's share S(f_k) df with df = 1 / T:
// |X_k| = N sqrt(S(f_k) / (2 T)).
// Every bin strictly between DC and Nyquist gets this magnitude and a phase theta_k = 2 pi u_k (u_k from Rng(seed),
// drawn for every such bin in order, whatever S); DC and Nyquist are zero. So each realisation's periodogram is
// exactly S on the grid, its variance is exactly sum_k S(f_k) / T (the integral of S to O(df)), and the samples are
// Gaussian by the central limit theorem over the many non-zero bins.
std::vector<double> random_from_psd(const std::vector<double>& f_breaks, const std::vector<double>& psd_breaks,
                                    double duration, double dt, std::uint64_t seed) {
  require(f_breaks.size() == psd_breaks.size(), "random_from_psd: f and psd breakpoints differ in number");
  require(f_breaks.size() >= 2, "random_from_psd: needs at least two breakpoints");
  for (std::size_t i = 0; i < f_breaks.size(); ++i) {
    require(std::isfinite(f_breaks[i]) && f_breaks[i] > 0.0,
            "random_from_psd: breakpoint frequencies must be positive");
    require(std::isfinite(psd_breaks[i]) && psd_breaks[i] > 0.0,
            "random_from_psd: breakpoint PSD values must be positive (log-log interpolation)");
    require(i == 0 || f_breaks[i] > f_breaks[i - 1], "random_from_psd: breakpoint frequencies must increase");
  }
  const std::size_t n = sample_count(duration, dt, "random_from_psd");
  const double period = static_cast<double>(n) * dt;
  Rng rng(seed);
  std::vector<Complex> spectrum(n / 2 + 1, Complex(0.0, 0.0));
  for (std::size_t k = 1; 2 * k < n; ++k) {
    const double phase = kTwoPi * rng.uniform();
    const double psd = interpolate_psd(f_breaks, psd_breaks, static_cast<double>(k) / period);
    spectrum[k] = std::polar(static_cast<double>(n) * std::sqrt(psd / (2.0 * period)), phase);
  }
  return irfft(spectrum, n);
}

double rms(const std::vector<double>& x) {
  if (x.empty()) return 0.0;
  double sum = 0.0;
  for (double v : x) sum += v * v;
  return std::sqrt(sum / static_cast<double>(x.size()));
}

double crest_factor(const std::vector<double>& x) {
  const double r = rms(x);
  if (r == 0.0) return 0.0;
  double peak = 0.0;
  for (double v : x) peak = std::max(peak, std::abs(v));
  return peak / r;
}

// As numpy.unwrap (discont = pi): steps are moved into [-pi, pi) (a step of exactly +pi is kept) by adding
// multiples of 2 pi, the corrections accumulated.
std::vector<double> unwrap(const std::vector<double>& phase) {
  std::vector<double> out(phase);
  double correction = 0.0;
  for (std::size_t k = 1; k < phase.size(); ++k) {
    const double step = phase[k] - phase[k - 1];
    double wrapped = std::fmod(step + kPi, kTwoPi);  // numpy.mod: the result takes the divisor's sign
    if (wrapped < 0.0) wrapped += kTwoPi;
    wrapped -= kPi;
    if (wrapped == -kPi && step > 0.0) wrapped = kPi;
    if (std::abs(step) >= kPi) correction += wrapped - step;
    out[k] = phase[k] + correction;
  }
  return out;
}

}  // namespace numen::dsp
