// Signal processing: analytic results, exactness properties and reference numbers from numpy / scipy (scipy 1.10.1,
// run with /usr/bin/python3; the commands are quoted next to the numbers).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "characterize/dsp.h"

namespace numen::dsp {
namespace {

constexpr double kPi = 3.14159265358979323846;

std::vector<double> samples(std::size_t n, double (*f)(double)) {
  std::vector<double> x(n);
  for (std::size_t k = 0; k < n; ++k) x[k] = f(static_cast<double>(k));
  return x;
}

// x[k] = sin(0.3 k) + 0.5 cos(1.1 k), the input of the scipy references.
double reference_x(double k) { return std::sin(0.3 * k) + 0.5 * std::cos(1.1 * k); }

/// Chi-square quantile chi2_nu(p) / nu by Wilson-Hilferty for a standard normal quantile z (accurate to a few
/// 1e-3 relative for nu in the hundreds, far below the margins used here).
double chi2_over_nu(double nu, double z) {
  const double a = 2.0 / (9.0 * nu);
  return std::pow(1.0 - a + z * std::sqrt(a), 3.0);
}

/// Equivalent degrees of freedom of a Welch estimate with K Hann segments overlapping by half (Welch 1967): the
/// periodograms of neighbouring segments of white noise correlate by rho = (sum w_n w_{n+L/2})^2 / (sum w^2)^2
/// (1/9 for Hann), so var = (1 + 2 rho (1 - 1/K)) / K and nu = 2 / var.
double welch_dof(int segments, std::size_t segment_length) {
  const std::vector<double> w = window(Window::Hann, segment_length);
  double lagged = 0.0, power = 0.0;
  for (std::size_t j = 0; j < segment_length; ++j) {
    power += w[j] * w[j];
    if (j + segment_length / 2 < segment_length) lagged += w[j] * w[j + segment_length / 2];
  }
  const double rho = lagged * lagged / (power * power);
  const double k = segments;
  return 2.0 * k / (1.0 + 2.0 * rho * (1.0 - 1.0 / k));
}

// ---- random numbers -----------------------------------------------------------------------------------------------

TEST(DspRng, FirstValuesMatchAnIndependentImplementation) {
  // Reference: a few lines of Python (SplitMix64 seeding, then xoshiro256** 1.0, 64-bit masked arithmetic).
  Rng zero(0);
  EXPECT_EQ(zero.next(), 0x99ec5f36cb75f2b4ULL);
  EXPECT_EQ(zero.next(), 0xbf6e1f784956452aULL);
  EXPECT_EQ(zero.next(), 0x1a5f849d4933e6e0ULL);
  EXPECT_EQ(zero.next(), 0x6aa594f1262d2d2cULL);
  Rng forty_two(42);
  EXPECT_EQ(forty_two.next(), 0x15780b2e0c2ec716ULL);
  EXPECT_EQ(forty_two.next(), 0x6104d9866d113a7eULL);
  // uniform = (next >> 11) 2^-53 exactly; normal = Box-Muller on (1 - u1, u2), cosine branch first.
  Rng u(0);
  EXPECT_EQ(u.uniform(), 0.6012629994179048);
  EXPECT_EQ(u.uniform(), 0.7477740925472398);
  Rng g(0);
  EXPECT_NEAR(g.normal(), -0.01896499060631051, 1e-15);  // libm log/cos/sin may differ by an ulp across platforms
  EXPECT_NEAR(g.normal(), -1.3559302271143727, 1e-15);
}

TEST(DspRng, UniformMomentsWithinStatisticalBounds) {
  // n draws: the mean has sd sqrt(1/12 / n), the variance estimate sd sqrt(1/180 / n); 5 sd cannot flake.
  const int n = 1000000;
  Rng rng(7);
  double sum = 0.0, sum_squares = 0.0;
  for (int i = 0; i < n; ++i) {
    const double u = rng.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
    sum_squares += (u - 0.5) * (u - 0.5);
  }
  EXPECT_NEAR(sum / n, 0.5, 5.0 * std::sqrt(1.0 / 12.0 / n));
  EXPECT_NEAR(sum_squares / n, 1.0 / 12.0, 5.0 * std::sqrt(1.0 / 180.0 / n));
}

TEST(DspRng, NormalMomentsWithinStatisticalBounds) {
  // Mean sd 1/sqrt(n), variance sd sqrt(2/n), fourth moment 3 with sd sqrt(96/n); 5 sd.
  const int n = 1000000;
  Rng rng(11);
  double sum = 0.0, sum_squares = 0.0, sum_fourth = 0.0;
  for (int i = 0; i < n; ++i) {
    const double z = rng.normal();
    sum += z;
    sum_squares += z * z;
    sum_fourth += z * z * z * z;
  }
  EXPECT_NEAR(sum / n, 0.0, 5.0 / std::sqrt(n));
  EXPECT_NEAR(sum_squares / n, 1.0, 5.0 * std::sqrt(2.0 / n));
  EXPECT_NEAR(sum_fourth / n, 3.0, 5.0 * std::sqrt(96.0 / n));
}

// ---- windows and transforms ---------------------------------------------------------------------------------------

TEST(DspWindow, PeriodicWindowsMatchScipy) {
  // scipy.signal.get_window(name, n) (periodic, fftbins=True).
  auto expect_window = [](Window kind, std::size_t n, const std::vector<std::size_t>& at,
                          const std::vector<double>& expected) {
    const std::vector<double> w = window(kind, n);
    ASSERT_EQ(w.size(), n);
    for (std::size_t i = 0; i < at.size(); ++i) EXPECT_NEAR(w[at[i]], expected[i], 1e-15) << "sample " << at[i];
  };
  const std::vector<std::size_t> first_seven = {0, 1, 2, 3, 4, 5, 6};
  expect_window(Window::Hann, 7, first_seven,
                {0.0, 0.1882550990706333, 0.6112604669781573, 0.9504844339512095, 0.9504844339512095,
                 0.6112604669781573, 0.1882550990706333});
  expect_window(Window::BlackmanHarris, 8, first_seven,
                {6.0000000000001025e-05, 0.021735837018679628, 0.21747000000000008, 0.6957641629813205, 1.0,
                 0.6957641629813205, 0.21747000000000008});
  expect_window(Window::FlatTop, 8, first_seven,
                {-0.0004210510000000013, -0.02687219328633453, -0.05473684, 0.44413535728633463, 1.000000003,
                 0.44413535728633463, -0.05473684});
  expect_window(Window::FlatTop, 7, {1, 3}, {-0.036840781154923445, 0.7808739149387699});
  // get_window(('tukey', 0.1), 101)[[0, 1, 2, 3, 4, 5, 6, 96, 97, 98, 99, 100]]
  expect_window(
      Window::Tukey10, 101, {0, 1, 2, 3, 4, 5, 6, 96, 97, 98, 99, 100},
      {0.0, 0.09367104308587487, 0.3395871150923162, 0.6456073561136261, 0.8970708254223768, 0.9997581411459942, 1.0,
       0.9997581411459942, 0.8970708254223775, 0.6456073561136269, 0.33958711509231665, 0.09367104308587504});
  expect_window(Window::Rectangular, 5, {0, 4}, {1.0, 1.0});
  EXPECT_EQ(window(Window::Hann, 1), std::vector<double>{1.0});
  EXPECT_TRUE(window(Window::Hann, 0).empty());
}

TEST(DspFft, MatchesDirectDftForEveryLength) {
  for (std::size_t n : {1u, 2u, 3u, 4u, 5u, 6u, 7u, 8u, 9u, 12u, 15u, 16u, 17u, 97u, 100u}) {
    std::vector<double> x(n);
    Rng rng(n);
    for (double& v : x) v = rng.normal();
    const std::vector<Complex> spectrum = rfft(x);
    ASSERT_EQ(spectrum.size(), n / 2 + 1);
    double scale = 0.0;
    for (double v : x) scale += std::abs(v);
    for (std::size_t k = 0; k < spectrum.size(); ++k) {
      std::complex<long double> direct = 0.0L;
      for (std::size_t j = 0; j < n; ++j) {
        const long double angle = -2.0L * 3.141592653589793238462643383279502884L *
                                  static_cast<long double>((k * j) % n) / static_cast<long double>(n);
        direct += static_cast<long double>(x[j]) * std::complex<long double>(std::cos(angle), std::sin(angle));
      }
      EXPECT_NEAR(spectrum[k].real(), static_cast<double>(direct.real()), 1e-13 * scale) << "n " << n << " k " << k;
      EXPECT_NEAR(spectrum[k].imag(), static_cast<double>(direct.imag()), 1e-13 * scale) << "n " << n << " k " << k;
    }
  }
}

TEST(DspFft, InverseRoundTripsOddAndEvenLengths) {
  for (std::size_t n : {1u, 2u, 7u, 8u, 255u, 256u, 1000u, 1001u}) {
    std::vector<double> x(n);
    Rng rng(100 + n);
    for (double& v : x) v = rng.normal();
    const std::vector<double> back = irfft(rfft(x), n);
    ASSERT_EQ(back.size(), n);
    for (std::size_t j = 0; j < n; ++j) EXPECT_NEAR(back[j], x[j], 1e-13) << "n " << n << " j " << j;
  }
  // The imaginary parts of DC and Nyquist cannot belong to a real signal and are ignored (as numpy.fft.irfft);
  // a unit bin k gives (2 / n) cos(2 pi k j / n).
  const std::vector<double> x =
      irfft({Complex(4.0, 9.0), Complex(0.0, 0.0), Complex(2.0, 0.0), Complex(0.0, 0.0), Complex(8.0, 5.0)}, 8);
  for (std::size_t j = 0; j < 8; ++j)
    EXPECT_NEAR(x[j], 0.5 + 0.5 * std::cos(kPi * j / 2.0) + (j % 2 ? -1.0 : 1.0), 1e-15) << j;
}

// ---- lock-in and multisine fit ------------------------------------------------------------------------------------

// 0.7 + 1.3 sin(2 pi 5 t + 0.9) + a third and a second harmonic: the lock-in at 5 Hz must see only 1.3 and 0.9.
double lock_in_signal(double t) {
  const double w = 2.0 * kPi * 5.0;
  return 0.7 + 1.3 * std::sin(w * t + 0.9) + 0.4 * std::sin(3.0 * w * t - 0.3) + 0.2 * std::cos(2.0 * w * t);
}

TEST(DspLockIn, ExactOverWholePeriodsWithEndPointExcluded) {
  // Two periods of 5 Hz at 1 kHz, 400 samples from t0 = 0.25 s (phase refers to absolute t).
  std::vector<double> t(400), y(400);
  for (std::size_t k = 0; k < t.size(); ++k) {
    t[k] = 0.25 + k * 1e-3;
    y[k] = lock_in_signal(t[k]);
  }
  const LockIn r = lock_in(t, y, 5.0);
  EXPECT_NEAR(r.amplitude(), 1.3, 1e-12);
  EXPECT_NEAR(r.phase(), 0.9, 1e-12);
  EXPECT_NEAR(r.in_phase, 1.3 * std::cos(0.9), 1e-12);
  EXPECT_NEAR(r.quadrature, 1.3 * std::sin(0.9), 1e-12);
}

TEST(DspLockIn, ExactOverWholePeriodsWithBothEndPoints) {
  // 401 samples closing the two periods: the plain rectangle rule would be off by ~(y0 sin0) / 400 ~ 1e-3.
  std::vector<double> t(401), y(401);
  for (std::size_t k = 0; k < t.size(); ++k) {
    t[k] = 0.25 + k * 1e-3;
    y[k] = lock_in_signal(t[k]);
  }
  const LockIn r = lock_in(t, y, 5.0);
  EXPECT_NEAR(r.amplitude(), 1.3, 1e-12);
  EXPECT_NEAR(r.phase(), 0.9, 1e-12);
  EXPECT_THROW(lock_in(t, std::vector<double>(3, 0.0), 5.0), std::invalid_argument);
}

TEST(DspMultisineFit, ExactForNonIntegerPeriods) {
  // 1234 samples at 997 Hz from t = 0.13 s: no tone completes a whole number of periods.
  const std::vector<double> f = {3.3, 7.9, 12.25};
  const std::vector<double> a = {1.1, -0.4, 0.05}, b = {0.3, 0.8, -0.6};
  std::vector<double> t(1234), y(1234);
  for (std::size_t k = 0; k < t.size(); ++k) {
    t[k] = 0.13 + k / 997.0;
    y[k] = -2.5;
    for (std::size_t j = 0; j < f.size(); ++j)
      y[k] += a[j] * std::sin(2.0 * kPi * f[j] * t[k]) + b[j] * std::cos(2.0 * kPi * f[j] * t[k]);
  }
  const std::vector<LockIn> fit = multisine_fit(t, y, f);
  ASSERT_EQ(fit.size(), 3u);
  for (std::size_t j = 0; j < f.size(); ++j) {
    EXPECT_NEAR(fit[j].in_phase, a[j], 1e-11) << f[j];
    EXPECT_NEAR(fit[j].quadrature, b[j], 1e-11) << f[j];
  }
  // The same tone twice cannot be separated.
  EXPECT_THROW(multisine_fit(t, y, {3.3, 3.3}), std::invalid_argument);
}

// ---- Welch --------------------------------------------------------------------------------------------------------

TEST(DspWelch, MatchesScipyWelchAndCsd) {
  // k = np.arange(43.0); x = np.sin(0.3*k) + 0.5*np.cos(1.1*k); y = 0.8*np.sin(0.3*k + 0.4) + 0.3*np.cos(2.0*k)
  // + 0.02*k; scipy.signal.welch / csd / coherence(x, y, fs=10.0, nperseg=20): 3 segments of 20 (hop 10, the last
  // 3 samples unused) is what welch(x, y, 10, 3) makes of 43 samples.
  const std::vector<double> x = samples(43, reference_x);
  const std::vector<double> y =
      samples(43, [](double k) { return 0.8 * std::sin(0.3 * k + 0.4) + 0.3 * std::cos(2.0 * k) + 0.02 * k; });
  const Spectra s = welch(x, y, 10.0, 3);
  EXPECT_EQ(s.averages, 3);
  const std::vector<double> pxx = {0.03538817162720051,   0.6550629997685726,     0.15432195465966544,
                                   0.11978416040760141,   0.12030118576134889,    0.004847620531720421,
                                   9.836289576132838e-05, 1.0708105307351013e-05, 2.0606333764644635e-06,
                                   5.232581503579574e-07, 1.233039996810359e-07};
  const std::vector<double> pyy = {0.007262962639776442,  0.3929302999618282,    0.09046746942500399,
                                   4.363860350366696e-05, 5.794971753859057e-05, 0.0036680398273556737,
                                   0.05028949951375178,   0.035287600250057,     0.0006774886286885257,
                                   2.100082305461565e-05, 2.562110625606034e-06};
  const std::vector<double> pxy_re = {-0.0036262153948532294, 0.4643482203972587,     0.1051809653002739,
                                      -7.448142615898208e-05, 0.000410799813128511,   -0.0007621947556890009,
                                      0.00040278240013673805, -0.0001050059046921484, 4.272728804921863e-06,
                                      -4.300448512694384e-07, -3.1853593246362455e-07};
  const std::vector<double> pxy_im = {0.0,
                                      0.19601725344246784,
                                      0.050072145020363515,
                                      -0.000779038743030035,
                                      -0.00012941561080178398,
                                      0.0008369743003349788,
                                      -0.0004753100522344343,
                                      0.0001243013611250016,
                                      -6.350505767064398e-06,
                                      -3.5018084315427177e-07,
                                      0.0};
  const std::vector<double> coherence = {0.05116055647006355,  0.9869769060487438,   0.9720035614394221,
                                         0.11716545499585371,  0.026609341260793763, 0.07206837152330327,
                                         0.07846837738764291,  0.07007048747117467,  0.04196475524458523,
                                         0.027988838310151327, 0.3211750631914528};
  ASSERT_EQ(s.f.size(), 11u);
  for (std::size_t k = 0; k < 11; ++k) {
    EXPECT_DOUBLE_EQ(s.f[k], 0.5 * k);
    EXPECT_NEAR(s.pxx[k], pxx[k], 1e-13 * pxx[1]) << k;
    EXPECT_NEAR(s.pyy[k], pyy[k], 1e-13 * pyy[1]) << k;
    EXPECT_NEAR(s.pxy[k].real(), pxy_re[k], 1e-13 * pxx[1]) << k;
    EXPECT_NEAR(s.pxy[k].imag(), pxy_im[k], 1e-13 * pxx[1]) << k;
    EXPECT_NEAR(s.coherence[k], coherence[k], 1e-9) << k;  // ratios of the smallest bins amplify rounding
    EXPECT_NEAR(std::abs(s.h1[k] - s.pxy[k] / pxx[k]), 0.0, 1e-9 * std::abs(s.pxy[k] / pxx[k])) << k;
  }
}

TEST(DspWelch, LinearRelationHasUnitCoherenceAndItsGain) {
  // y = -3 x exactly: H1 = -3, coherence 1 at every bin with power.
  Rng rng(5);
  std::vector<double> x(4096), y(4096);
  for (std::size_t k = 0; k < x.size(); ++k) {
    x[k] = rng.normal();
    y[k] = -3.0 * x[k];
  }
  const Spectra s = welch(x, y, 1.0, 7);
  EXPECT_EQ(s.averages, 7);
  EXPECT_EQ(s.f.size(), 2 * (4096 / 8) / 2 + 1);  // L = 2 floor(4096 / 8) = 1024
  for (std::size_t k = 1; k + 1 < s.f.size(); ++k) {
    EXPECT_NEAR(s.coherence[k], 1.0, 1e-12) << k;
    EXPECT_NEAR(s.h1[k].real(), -3.0, 1e-12) << k;
    EXPECT_NEAR(s.h1[k].imag(), 0.0, 1e-12) << k;
    EXPECT_NEAR(s.pyy[k], 9.0 * s.pxx[k], 1e-12 * s.pyy[k]) << k;
  }
  EXPECT_THROW(welch(x, std::vector<double>(10, 0.0), 1.0, 4), std::invalid_argument);
  EXPECT_THROW(welch(std::vector<double>(3, 0.0), std::vector<double>(3, 0.0), 1.0, 4), std::invalid_argument);
}

TEST(DspWelch, WhiteNoisePsdFlatWithinConfidenceBand) {
  // Gaussian white noise of variance sigma^2 sampled at fs has the one-sided density 2 sigma^2 / fs. With K = 255
  // Hann segments overlapping by half, each bin is ~ chi2(nu) / nu with nu ~ 420 (welch_dof). Band at z = 5.3
  // (two-sided 1.2e-7 per bin, ~1e-4 for all 1023 bins of a random seed; the seed is fixed anyway): about
  // [0.68, 1.41] times the truth, so a factor 2 in the scaling (or the 1.5 of confusing sum w^2 with (sum w)^2 / L)
  // fails many bins.
  const double sigma = 1.3, fs = 200.0;
  const int segments = 255;
  std::vector<double> x(1 << 18);
  Rng rng(2024);
  for (double& v : x) v = sigma * rng.normal();
  const Spectra s = welch(x, x, fs, segments);
  ASSERT_EQ(s.averages, segments);
  ASSERT_EQ(s.f.size(), 1025u);  // L = 2 floor(2^18 / 256) = 2048
  const double truth = 2.0 * sigma * sigma / fs;
  const double nu = welch_dof(segments, 2048);
  EXPECT_GT(nu, 400.0);
  EXPECT_LT(nu, 2.0 * segments);
  const double low = chi2_over_nu(nu, -5.3), high = chi2_over_nu(nu, 5.3);
  double mean_ratio = 0.0;
  for (std::size_t k = 1; k + 1 < s.f.size(); ++k) {
    const double ratio = s.pxx[k] / truth;
    EXPECT_GT(ratio, low) << "bin " << k;
    EXPECT_LT(ratio, high) << "bin " << k;
    mean_ratio += ratio;
  }
  // The average over 1023 bins (neighbours correlate by 4/9 through the Hann window) has sd ~0.3 %: 2 % is > 6 sd.
  mean_ratio /= static_cast<double>(s.f.size() - 2);
  EXPECT_NEAR(mean_ratio, 1.0, 0.02);
  EXPECT_NEAR(s.pxy[100].real(), s.pxx[100], 1e-15);
  EXPECT_NEAR(s.coherence[100], 1.0, 1e-12);
}

// ---- analytic signal ----------------------------------------------------------------------------------------------

TEST(DspAnalyticSignal, MatchesScipyHilbert) {
  // scipy.signal.hilbert(np.sin(0.3*k) + 0.5*np.cos(1.1*k)) for k = np.arange(8.0) and np.arange(9.0).
  const std::vector<Complex> even = analytic_signal(samples(8, reference_x));
  const std::vector<double> even_im = {0.36202948467635443,  0.20802273866937376, 0.09780861212673037,
                                       -0.40486192787280534, -0.6843618940678325, -0.42851433399277666,
                                       0.22452379726474775,  0.6253535231962082};
  const std::vector<Complex> odd = analytic_signal(samples(9, reference_x));
  const std::vector<double> odd_im = {-0.016467586885620826, 0.16751039958747546, -0.0028407053002149503,
                                      -0.4067176067374676,   -0.7235158472921699, -0.3982581111987078,
                                      0.22200821171245602,   0.7560067917642083,  0.4022744543500414};
  ASSERT_EQ(even.size(), 8u);
  ASSERT_EQ(odd.size(), 9u);
  for (std::size_t k = 0; k < 8; ++k) {
    EXPECT_NEAR(even[k].real(), reference_x(k), 1e-14);
    EXPECT_NEAR(even[k].imag(), even_im[k], 1e-14) << k;
  }
  for (std::size_t k = 0; k < 9; ++k) {
    EXPECT_NEAR(odd[k].real(), reference_x(k), 1e-14);
    EXPECT_NEAR(odd[k].imag(), odd_im[k], 1e-14) << k;
  }
}

TEST(DspAnalyticSignal, EnvelopeOfAnAmplitudeModulatedCarrier) {
  // A(t) cos(w t), A = 1 + 0.5 sin(2 pi 0.5 t), 50 Hz carrier at 1 kHz: the analytic signal is A e^{i w t}
  // (Bedrosian: A's spectrum lies below the carrier). Over 4 s both are periodic in the record, so it holds to
  // rounding everywhere.
  auto envelope = [](double t) { return 1.0 + 0.5 * std::sin(2.0 * kPi * 0.5 * t); };
  std::vector<double> x(4000);
  for (std::size_t k = 0; k < x.size(); ++k) x[k] = envelope(k * 1e-3) * std::cos(2.0 * kPi * 50.0 * k * 1e-3);
  std::vector<Complex> z = analytic_signal(x);
  double worst = 0.0;
  for (std::size_t k = 0; k < x.size(); ++k) {
    worst = std::max(worst, std::abs(std::abs(z[k]) - envelope(k * 1e-3)));
    EXPECT_NEAR(z[k].imag(), envelope(k * 1e-3) * std::sin(2.0 * kPi * 50.0 * k * 1e-3), 1e-12) << k;
  }
  EXPECT_LT(worst, 1e-12);
  // Cut to 3.7 s (no longer periodic, with a 0.3 modulation at 0.37 Hz): the ends ring, the interior still follows A.
  auto envelope2 = [](double t) { return 1.0 + 0.3 * std::sin(2.0 * kPi * 0.37 * t); };
  x.resize(3700);
  for (std::size_t k = 0; k < x.size(); ++k) x[k] = envelope2(k * 1e-3) * std::cos(2.0 * kPi * 50.0 * k * 1e-3);
  z = analytic_signal(x);
  worst = 0.0;
  for (std::size_t k = 500; k + 500 < x.size(); ++k)
    worst = std::max(worst, std::abs(std::abs(z[k]) - envelope2(k * 1e-3)));
  EXPECT_LT(worst, 1e-3);
}

// ---- band-pass ----------------------------------------------------------------------------------------------------

TEST(DspBandpass, RejectsInvalidArguments) {
  const std::vector<double> x(100, 1.0);
  EXPECT_THROW(bandpass(x, 100.0, 20.0, 10.0, 2), std::invalid_argument);
  EXPECT_THROW(bandpass(x, 100.0, 10.0, 10.0, 2), std::invalid_argument);
  EXPECT_THROW(bandpass(x, 100.0, 10.0, 50.0, 2), std::invalid_argument);
  EXPECT_THROW(bandpass(x, 100.0, 10.0, 60.0, 2), std::invalid_argument);
  EXPECT_THROW(bandpass(x, 100.0, 0.0, 20.0, 2), std::invalid_argument);
  EXPECT_THROW(bandpass(x, 100.0, 10.0, 20.0, 0), std::invalid_argument);
  try {
    bandpass(x, 100.0, 10.0, 50.0, 2);
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("Nyquist"), std::string::npos) << e.what();
  }
}

TEST(DspBandpass, ForwardBackwardGainIsButterworthSquaredWithZeroPhase) {
  // Steady-state gain of the zero-phase filter = |H|^2 = 1 / (1 + x^(2N)), x = (W^2 - W0^2) / (W B), with the
  // pre-warped W = 2 fs tan(pi f / fs), band edges W1, W2, W0^2 = W1 W2, B = W2 - W1. Measured by a fit over the
  // middle 10 s of a 20 s record (far from the ends).
  const double fs = 1000.0, f_low = 40.0, f_high = 60.0;
  auto warp = [&](double f) { return 2.0 * fs * std::tan(kPi * f / fs); };
  for (int order : {2, 4}) {
    for (double f : {50.0, 45.0, 58.0, 30.0, 80.0, 150.0}) {
      const double w = warp(f), w1 = warp(f_low), w2 = warp(f_high);
      const double ratio = (w * w - w1 * w2) / (w * (w2 - w1));
      const double expected = 1.0 / (1.0 + std::pow(ratio, 2 * order));
      std::vector<double> t(20000), x(20000);
      for (std::size_t k = 0; k < x.size(); ++k) {
        t[k] = k / fs;
        x[k] = std::sin(2.0 * kPi * f * t[k] + 0.4);
      }
      const std::vector<double> y = bandpass(x, fs, f_low, f_high, order);
      ASSERT_EQ(y.size(), x.size());
      const std::vector<double> t_mid(t.begin() + 5000, t.begin() + 15000), y_mid(y.begin() + 5000, y.begin() + 15000);
      const LockIn r = lock_in(t_mid, y_mid, f);
      EXPECT_NEAR(r.amplitude(), expected, 1e-9 + 1e-6 * expected) << "order " << order << " f " << f;
      if (expected > 1e-6) {
        EXPECT_NEAR(r.phase(), 0.4, 1e-8) << "order " << order << " f " << f;
      }
    }
  }
  // Passband: the centre tone comes through within 1e-3 (here to 1e-10: the Butterworth response is flat there).
  std::vector<double> x(20000);
  for (std::size_t k = 0; k < x.size(); ++k) x[k] = std::cos(2.0 * kPi * 49.0 * k / fs);
  const std::vector<double> y = bandpass(x, fs, f_low, f_high, 3);
  for (std::size_t k = 2000; k < 18000; ++k) ASSERT_NEAR(y[k], x[k], 1e-3) << k;
}

TEST(DspBandpass, MatchesScipySosfiltfiltWithTheSamePadding) {
  // k = np.arange(600.0); x = np.sin(0.3*k) + 0.5*np.cos(1.1*k) + 0.2*np.sin(0.05*k);
  // sos = scipy.signal.butter(3, [3.0, 8.0], btype='band', fs=100.0, output='sos');
  // scipy.signal.sosfiltfilt(sos, x, padlen=396)[[0, 1, 50, 300, 598, 599]]: 396 is our padding, the samples for
  // the slowest pole (radius 0.95452) to decay by 1e-8. With it scipy's different pairing of poles and zeros into
  // sections only changes start-up transients that die inside the padding, so the whole record agrees, ends included.
  // (scipy's default padlen, 21, differs from this by 0.07 at the ends and still 2e-7 in the middle.)
  const std::vector<double> x =
      samples(600, [](double k) { return std::sin(0.3 * k) + 0.5 * std::cos(1.1 * k) + 0.2 * std::sin(0.05 * k); });
  const std::vector<double> y = bandpass(x, 100.0, 3.0, 8.0, 3);
  const std::vector<std::size_t> at = {0, 1, 50, 300, 598, 599};
  const std::vector<double> scipy = {-2.3514437064164895e-09, 0.1791354666518553,  0.6662748726270433,
                                     0.893746180546118,       0.15543875538689642, 4.3864784582403615e-09};
  // Agreement is 7e-15 over the whole record; 1e-10 leaves room for the 1e-8-decayed transients of the pairing.
  for (std::size_t i = 0; i < at.size(); ++i) EXPECT_NEAR(y[at[i]], scipy[i], 1e-10) << at[i];
}

// ---- synthesis ----------------------------------------------------------------------------------------------------

/// Bins of x's spectrum holding more than 1e-9 of the largest magnitude.
std::vector<std::size_t> spectral_lines(const std::vector<Complex>& spectrum) {
  double largest = 0.0;
  for (const Complex& c : spectrum) largest = std::max(largest, std::abs(c));
  std::vector<std::size_t> lines;
  for (std::size_t k = 0; k < spectrum.size(); ++k)
    if (std::abs(spectrum[k]) > 1e-9 * largest) lines.push_back(k);
  return lines;
}

TEST(DspSchroederMultisine, SpreadLinesAreEquallySpacedFlatAndSchroederPhased) {
  // 1..50 Hz over 10 s at 1 kHz: grid lines k = 10..500 (491 available); 30 lines equally spaced by
  // floor(490 / 29) = 16 grid steps, centred: k = 23, 39, ..., 487.
  const std::vector<double> x = schroeder_multisine(1.0, 50.0, 30, 0.7, 10.0, 1e-3);
  ASSERT_EQ(x.size(), 10000u);
  EXPECT_NEAR(rms(x), 0.7, 1e-14);
  const std::vector<Complex> spectrum = rfft(x);
  const std::vector<std::size_t> lines = spectral_lines(spectrum);
  ASSERT_EQ(lines.size(), 30u);  // nothing off the lines (the record holds whole periods of every line)
  // Equal lines of amplitude a: rms = a sqrt(30 / 2), |X| = a n / 2; phases -pi i (i - 1) / 30 of cos.
  const double magnitude = 0.7 / std::sqrt(15.0) * 10000.0 / 2.0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    EXPECT_EQ(lines[i], 23 + 16 * i);
    EXPECT_NEAR(std::abs(spectrum[lines[i]]), magnitude, 1e-12 * magnitude) << i;
    const double phase = -kPi * (i + 1.0) * static_cast<double>(i) / 30.0;
    EXPECT_NEAR(std::arg(spectrum[lines[i]] * std::polar(1.0, -phase)), 0.0, 1e-12) << i;
  }
  // Away from DC Schroeder's phases give crest factors of 1.8 - 1.93 (here 1.8996, numpy); zero phases would give
  // sqrt(2 * 30) = 7.7, random ones typically 3 - 4.
  EXPECT_NEAR(crest_factor(x), 1.899561607991299, 1e-9);
}

TEST(DspSchroederMultisine, FullBandFromTheFirstLineHasCrestFactorBelow1p8) {
  // 0.1..3 Hz over 10 s asks for 100 lines but the grid has 30 (k = 1..30): all are used, contiguous. From the first
  // harmonic Schroeder's phases give 1.72 (numpy: 1.7220182733199878).
  const std::vector<double> x = schroeder_multisine(0.1, 3.0, 100, 2.0, 10.0, 1e-2);
  ASSERT_EQ(x.size(), 1000u);
  EXPECT_NEAR(rms(x), 2.0, 1e-14);
  EXPECT_LT(crest_factor(x), 1.8);
  EXPECT_NEAR(crest_factor(x), 1.7220182733199878, 1e-9);
  const std::vector<Complex> spectrum = rfft(x);
  const std::vector<std::size_t> lines = spectral_lines(spectrum);
  ASSERT_EQ(lines.size(), 30u);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    EXPECT_EQ(lines[i], i + 1);
    EXPECT_NEAR(std::abs(spectrum[lines[i]]), std::abs(spectrum[1]), 1e-12 * std::abs(spectrum[1]));
  }
  // Lines 10..30 (1..3 Hz), contiguous but away from DC: 1.81 (numpy: 1.8084586330257248).
  EXPECT_NEAR(crest_factor(schroeder_multisine(1.0, 3.0, 100, 2.0, 10.0, 1e-2)), 1.8084586330257248, 1e-9);
  EXPECT_THROW(schroeder_multisine(1.01, 1.09, 5, 1.0, 10.0, 1e-2), std::invalid_argument);  // no grid line
}

// Piecewise power law through the breakpoints, zero outside (the documented interpolation).
struct PowerLawPsd {
  std::vector<double> f, psd;
  double operator()(double frequency) const {
    if (frequency < f.front() || frequency > f.back()) return 0.0;
    std::size_t i = 0;
    while (i + 2 < f.size() && frequency > f[i + 1]) ++i;
    const double slope = std::log(psd[i + 1] / psd[i]) / std::log(f[i + 1] / f[i]);
    return psd[i] * std::pow(frequency / f[i], slope);
  }
  double integral() const {
    double sum = 0.0;
    for (std::size_t i = 0; i + 1 < f.size(); ++i) {
      const double slope = std::log(psd[i + 1] / psd[i]) / std::log(f[i + 1] / f[i]);
      sum += psd[i] * f[i] / (slope + 1.0) * (std::pow(f[i + 1] / f[i], slope + 1.0) - 1.0);
    }
    return sum;
  }
};

TEST(DspRandomFromPsd, WelchPsdFollowsTheTarget) {
  // 2..60 Hz rising, flat, then falling steeply; 400 s at 250 Hz. Welch with 63 segments (L = 3124, df = 0.08 Hz).
  const PowerLawPsd target{{2.0, 10.0, 40.0, 60.0}, {1e-3, 4e-3, 4e-3, 2e-4}};
  const std::vector<double> x = random_from_psd(target.f, target.psd, 400.0, 0.004, 99);
  ASSERT_EQ(x.size(), 100000u);
  const Spectra s = welch(x, x, 250.0, 63);
  const double nu = welch_dof(s.averages, 2 * (s.f.size() - 1));
  const double low = chi2_over_nu(nu, -5.3), high = chi2_over_nu(nu, 5.3);  // about [0.43, 1.92] for nu ~ 103
  double ratio_sum = 0.0;
  int bins = 0;
  for (std::size_t k = 0; k < s.f.size(); ++k) {
    // Away from the band edges, where the Hann kernel (main lobe +-2 bins) smears the step to zero.
    if (s.f[k] > 2.5 && s.f[k] < 59.5) {
      const double ratio = s.pxx[k] / target(s.f[k]);
      EXPECT_GT(ratio, low) << s.f[k];
      EXPECT_LT(ratio, high) << s.f[k];
      ratio_sum += ratio;
      ++bins;
    } else if ((k >= 2 && s.f[k] < 1.5) || s.f[k] > 61.0) {
      // Nothing outside the band but the Hann window's leakage. (Bins 0 and 1 also see the segment mean's
      // removal: the windowed residual of an unweighted mean, as in scipy's detrend='constant'.)
      EXPECT_LT(s.pxx[k], 1e-6 * 4e-3) << s.f[k];
    }
  }
  // 712 bins: for chi-square scatter the band average would have sd ~ sqrt(2 / nu) / sqrt(712 / 2) ~ 0.7 %, so 3 %
  // is > 4 sd (the synthesis has exact magnitudes, so the scatter is smaller: 0.01 % for this seed).
  EXPECT_NEAR(ratio_sum / bins, 1.0, 0.03);
}

TEST(DspRandomFromPsd, VarianceIsTheIntegralAndSamplesAreGaussian) {
  const PowerLawPsd target{{2.0, 10.0, 40.0, 60.0}, {1e-3, 4e-3, 4e-3, 2e-4}};
  const std::vector<double> x = random_from_psd(target.f, target.psd, 400.0, 0.004, 3);
  const double n = static_cast<double>(x.size()), period = 400.0;
  double mean = 0.0, variance = 0.0, fourth = 0.0;
  for (double v : x) mean += v / n;
  for (double v : x) {
    variance += (v - mean) * (v - mean) / n;
    fourth += std::pow(v - mean, 4) / n;
  }
  EXPECT_NEAR(mean, 0.0, 1e-15);  // no DC line
  // Exactly sum_k S(k / T) / T (the magnitudes are deterministic), which is the integral to O(df S / integral).
  double riemann = 0.0;
  for (int k = 1; 2 * k < static_cast<int>(x.size()); ++k) riemann += target(k / period) / period;
  EXPECT_NEAR(variance, riemann, 1e-12 * riemann);
  EXPECT_NEAR(variance, target.integral(), 1e-4 * target.integral());
  // Kurtosis of a Gaussian is 3; the sample value has sd sqrt(24 / n) ~ 0.015.
  EXPECT_NEAR(fourth / (variance * variance), 3.0, 0.1);
}

TEST(DspRandomFromPsd, SameSeedSameSignalOtherSeedOtherSignal) {
  const std::vector<double> f = {1.0, 10.0}, psd = {1.0, 0.1};
  const std::vector<double> a = random_from_psd(f, psd, 10.0, 0.01, 17);
  const std::vector<double> b = random_from_psd(f, psd, 10.0, 0.01, 17);
  const std::vector<double> c = random_from_psd(f, psd, 10.0, 0.01, 18);
  EXPECT_EQ(a, b);
  double difference = 0.0;
  for (std::size_t k = 0; k < a.size(); ++k) difference = std::max(difference, std::abs(a[k] - c[k]));
  EXPECT_GT(difference, 0.1 * rms(a));
  EXPECT_NEAR(rms(a), rms(c), 1e-12);  // same spectrum magnitudes, different phases
  EXPECT_THROW(random_from_psd({10.0, 1.0}, psd, 10.0, 0.01, 1), std::invalid_argument);
  EXPECT_THROW(random_from_psd(f, {1.0, 0.0}, 10.0, 0.01, 1), std::invalid_argument);
}

// ---- small statistics ---------------------------------------------------------------------------------------------

TEST(DspStatistics, RmsAndCrestFactor) {
  std::vector<double> sine(1000);
  for (std::size_t k = 0; k < sine.size(); ++k) sine[k] = 3.0 * std::sin(2.0 * kPi * k / 100.0);
  EXPECT_NEAR(rms(sine), 3.0 / std::sqrt(2.0), 1e-14);
  EXPECT_NEAR(crest_factor(sine), std::sqrt(2.0), 1e-14);
  EXPECT_DOUBLE_EQ(crest_factor({-2.0, 2.0, 2.0, -2.0}), 1.0);  // square wave
  EXPECT_DOUBLE_EQ(rms({3.0, 4.0}), std::sqrt(12.5));
  EXPECT_EQ(crest_factor(std::vector<double>(5, 0.0)), 0.0);
  EXPECT_EQ(rms({}), 0.0);
}

TEST(DspStatistics, UnwrapMatchesNumpy) {
  // np.unwrap([0.0, 3.0, -3.0, 0.1, 3.2415926535897931, 9.0, -9.0, 2.0, 2.0 - np.pi, 5.0]): includes a step of
  // exactly pi + 3.1e-16 and a step of -pi.
  const std::vector<double> out = unwrap({0.0, 3.0, -3.0, 0.1, 3.2415926535897931, 9.0, -9.0, 2.0, 2.0 - kPi, 5.0});
  const std::vector<double> expected = {0.0,
                                        3.0,
                                        3.2831853071795862,
                                        6.383185307179586,
                                        9.524777960769379,
                                        9.0,
                                        9.849555921538759,
                                        8.283185307179586,
                                        5.141592653589793,
                                        5.0};
  ASSERT_EQ(out.size(), expected.size());
  for (std::size_t k = 0; k < out.size(); ++k) EXPECT_NEAR(out[k], expected[k], 1e-14) << k;
  EXPECT_TRUE(unwrap({}).empty());
}

}  // namespace
}  // namespace numen::dsp
