#include "characterize/doe.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "characterize/dsp.h"

namespace numen::doe {
namespace {

// Sampled designs stay usable up to 2^22 points (a power of two, so Sobol' designs can use their balanced sizes);
// structured designs grow combinatorially and every point is a simulation run, so they stop at a million. The
// value cap keeps a design's memory (and the wasm heap) below about half a gigabyte.
constexpr long long kMaxSampledPoints = 1LL << 22;
constexpr long long kMaxSampledValues = 1LL << 26;
constexpr long long kMaxStructuredPoints = 1000000;
constexpr int kMaxLhsDimensions = 1000;

void check_sampled(const std::string& design, int n, int dimensions, int max_dimensions) {
  if (n < 1)
    throw std::invalid_argument(design + ": the number of points must be at least 1, got " + std::to_string(n));
  if (n > kMaxSampledPoints)
    throw std::invalid_argument(design + ": at most " + std::to_string(kMaxSampledPoints) +
                                " points are supported, got " + std::to_string(n));
  if (dimensions < 1)
    throw std::invalid_argument(design + ": the number of dimensions must be at least 1, got " +
                                std::to_string(dimensions));
  if (dimensions > max_dimensions)
    throw std::invalid_argument(design + ": at most " + std::to_string(max_dimensions) +
                                " dimensions are supported, got " + std::to_string(dimensions));
  if (static_cast<long long>(n) * dimensions > kMaxSampledValues)
    throw std::invalid_argument(design + ": points x dimensions must be at most " + std::to_string(kMaxSampledValues) +
                                ", got " + std::to_string(n) + " x " + std::to_string(dimensions));
}

// `count` < 0 means too large to compute.
void check_structured_size(const std::string& design, long long count) {
  if (count < 0 || count > kMaxStructuredPoints)
    throw std::invalid_argument(
        design + ": the design would have " +
        (count < 0 ? std::string("more than ") + std::to_string(kMaxStructuredPoints) : std::to_string(count)) +
        " points; at most " + std::to_string(kMaxStructuredPoints) + " are supported");
}

void check_center_points(const std::string& design, int center_points) {
  if (center_points < 0)
    throw std::invalid_argument(design + ": center_points must not be negative, got " + std::to_string(center_points));
}

// Platform-independent Fisher-Yates: std::shuffle and std::uniform_int_distribution differ between standard
// libraries, and designs must be identical natively and in wasm.
void shuffle(std::vector<int>& v, dsp::Rng& rng) {
  for (int i = static_cast<int>(v.size()) - 1; i > 0; --i) {
    // uniform() < 1, but the product can round up to i + 1 for large i.
    const int j = std::min(i, static_cast<int>(rng.uniform() * (i + 1)));
    std::swap(v[i], v[j]);
  }
}

// ---- Sobol' direction numbers -------------------------------------------------------------------------------------

// Joe & Kuo (2008), file new-joe-kuo-6.21201, dimensions 2..21: degree s of the primitive polynomial, its inner
// coefficients a (bit k-1 of a is the coefficient of x^(s-k)), and the initial odd m_1..m_s (m_k < 2^k).
struct SobolPoly {
  int s;
  unsigned a;
  unsigned m[7];
};
constexpr SobolPoly kSobolPolys[] = {
    {1, 0, {1}},
    {2, 1, {1, 3}},
    {3, 1, {1, 3, 1}},
    {3, 2, {1, 1, 1}},
    {4, 1, {1, 1, 3, 3}},
    {4, 4, {1, 3, 5, 13}},
    {5, 2, {1, 1, 5, 5, 17}},
    {5, 4, {1, 1, 5, 5, 5}},
    {5, 7, {1, 1, 7, 11, 19}},
    {5, 11, {1, 1, 5, 1, 1}},
    {5, 13, {1, 1, 1, 3, 11}},
    {5, 14, {1, 3, 5, 5, 31}},
    {6, 1, {1, 3, 3, 9, 7, 49}},
    {6, 13, {1, 1, 1, 15, 21, 21}},
    {6, 16, {1, 3, 1, 13, 27, 49}},
    {6, 19, {1, 1, 1, 15, 7, 5}},
    {6, 22, {1, 3, 1, 15, 13, 25}},
    {6, 25, {1, 1, 5, 5, 19, 61}},
    {7, 1, {1, 3, 7, 11, 23, 15, 103}},
    {7, 4, {1, 3, 7, 13, 13, 15, 69}},
};
constexpr int kSobolMaxDimensions = 1 + static_cast<int>(sizeof(kSobolPolys) / sizeof(kSobolPolys[0]));
constexpr int kSobolBits = 32;

// Direction numbers v_1..v_32 of one dimension as 32-bit integers (v_k = m_k / 2^k scaled by 2^32).
std::vector<std::uint32_t> sobol_directions(int dimension) {
  std::vector<std::uint32_t> v(kSobolBits);
  if (dimension == 0) {  // van der Corput: all m_k = 1
    for (int k = 0; k < kSobolBits; ++k) v[k] = std::uint32_t{1} << (kSobolBits - 1 - k);
    return v;
  }
  const SobolPoly& p = kSobolPolys[dimension - 1];
  for (int k = 0; k < std::min(p.s, kSobolBits); ++k) v[k] = p.m[k] << (kSobolBits - 1 - k);
  // Bratley-Fox recurrence: v_k = v_{k-s} ^ (v_{k-s} >> s) ^ sum_{i=1}^{s-1} a_i v_{k-i}.
  for (int k = p.s; k < kSobolBits; ++k) {
    std::uint32_t x = v[k - p.s] ^ (v[k - p.s] >> p.s);
    for (int i = 1; i < p.s; ++i)
      if ((p.a >> (p.s - 1 - i)) & 1u) x ^= v[k - i];
    v[k] = x;
  }
  return v;
}

int trailing_zeros(std::uint32_t x) {
  int c = 0;
  while (!(x & 1u)) {
    x >>= 1;
    ++c;
  }
  return c;
}

// ---- Halton -------------------------------------------------------------------------------------------------------

constexpr int kPrimes[] = {2,   3,   5,   7,   11,  13,  17,  19,  23,  29,  31,  37,  41,  43,  47,  53,  59,
                           61,  67,  71,  73,  79,  83,  89,  97,  101, 103, 107, 109, 113, 127, 131, 137, 139,
                           149, 151, 157, 163, 167, 173, 179, 181, 191, 193, 197, 199, 211, 223, 227, 229};
constexpr int kHaltonMaxDimensions = static_cast<int>(sizeof(kPrimes) / sizeof(kPrimes[0]));
constexpr std::uint64_t kHaltonSkip = 20;

// Radical inverse of k in base b as one correctly rounded division of integers (both exact: the denominator is at
// most b k < 2^31), so the value does not depend on how a compiler orders or fuses floating-point operations.
double radical_inverse(std::uint64_t k, std::uint64_t b) {
  std::uint64_t numerator = 0, denominator = 1;
  for (; k > 0; k /= b) {
    numerator = numerator * b + k % b;
    denominator *= b;
  }
  return static_cast<double>(numerator) / static_cast<double>(denominator);
}

// ---- structured designs -------------------------------------------------------------------------------------------

double coded_to_unit(double c) { return (c + 1.0) / 2.0; }

// Adds the 2^d corners at +-c (coded), first factor alternating fastest (standard order).
void add_corners(Design& out, int dimensions, double c) {
  const long long corners = 1LL << dimensions;
  for (long long i = 0; i < corners; ++i) {
    std::vector<double> p(dimensions);
    for (int j = 0; j < dimensions; ++j) p[j] = coded_to_unit(((i >> j) & 1) ? c : -c);
    out.push_back(std::move(p));
  }
}

void add_centers(Design& out, int dimensions, int center_points) {
  for (int i = 0; i < center_points; ++i) out.emplace_back(dimensions, 0.5);
}

}  // namespace

Design latin_hypercube(int n, int dimensions, std::uint64_t seed) {
  check_sampled("latin_hypercube", n, dimensions, kMaxLhsDimensions);
  dsp::Rng rng(seed);
  Design out(n, std::vector<double>(dimensions));
  std::vector<int> strata(n);
  // Draw order (part of the reproducibility contract): per dimension, the permutation, then the n positions.
  for (int j = 0; j < dimensions; ++j) {
    for (int i = 0; i < n; ++i) strata[i] = i;
    shuffle(strata, rng);
    for (int i = 0; i < n; ++i) {
      const double x = (strata[i] + rng.uniform()) / n;
      out[i][j] = std::min(x, std::nextafter(1.0, 0.0));  // the sum can round up to n
    }
  }
  return out;
}

Design sobol(int n, int dimensions, std::uint64_t seed) {
  check_sampled("sobol", n, dimensions, kSobolMaxDimensions);
  std::vector<std::vector<std::uint32_t>> v(dimensions);
  for (int j = 0; j < dimensions; ++j) v[j] = sobol_directions(j);
  // Digital shift: XOR with one random 32-bit word per dimension keeps every elementary interval's count.
  std::vector<std::uint32_t> shift(dimensions, 0);
  if (seed > 0) {
    dsp::Rng rng(seed);
    for (auto& s : shift) s = static_cast<std::uint32_t>(rng.next() >> 32);
  }
  constexpr double kScale = 1.0 / 4294967296.0;  // 2^-32
  // Point 0 is the origin (the shift itself when seed > 0), kept so that the first 2^m points form a net (Owen 2020,
  // "On dropping the first Sobol' point"; scipy.stats.qmc.Sobol keeps it too).
  std::vector<std::uint32_t> x(dimensions, 0);
  Design out(n, std::vector<double>(dimensions));
  // Gray-code order: point k differs from point k-1 by the direction number of k's lowest set bit.
  for (int i = 0; i < n; ++i) {
    const int c = i > 0 ? trailing_zeros(static_cast<std::uint32_t>(i)) : -1;
    for (int j = 0; j < dimensions; ++j) {
      if (c >= 0) x[j] ^= v[j][c];
      out[i][j] = static_cast<double>(x[j] ^ shift[j]) * kScale;
    }
  }
  return out;
}

Design halton(int n, int dimensions, std::uint64_t seed) {
  check_sampled("halton", n, dimensions, kHaltonMaxDimensions);
  std::vector<double> shift(dimensions, 0.0);
  if (seed > 0) {
    dsp::Rng rng(seed);
    for (auto& s : shift) s = rng.uniform();
  }
  Design out(n, std::vector<double>(dimensions));
  for (int i = 0; i < n; ++i) {
    const std::uint64_t k = kHaltonSkip + static_cast<std::uint64_t>(i);  // indices 20, 21, ... (0 is the origin)
    for (int j = 0; j < dimensions; ++j) {
      double x = radical_inverse(k, static_cast<std::uint64_t>(kPrimes[j])) + shift[j];
      if (x >= 1.0) x -= 1.0;  // exact: x is in [1, 2)
      out[i][j] = x;
    }
  }
  return out;
}

Design central_composite(int dimensions, int center_points) {
  if (dimensions < 1)
    throw std::invalid_argument("central_composite: the number of dimensions must be at least 1, got " +
                                std::to_string(dimensions));
  check_center_points("central_composite", center_points);
  const long long count = dimensions > 30 ? -1 : (1LL << dimensions) + 2LL * dimensions + center_points;
  check_structured_size("central_composite", count);
  // alpha = (2^d)^(1/4) in the classical coding; inscribed: divide by alpha so the axial points land on +-1. d = 1
  // is allowed: corners at +-0.84 and axial points at +-1 stay distinct, five levels for one factor.
  const double alpha = std::pow(2.0, dimensions / 4.0);
  Design out;
  out.reserve(static_cast<std::size_t>(count));
  add_corners(out, dimensions, 1.0 / alpha);
  for (int j = 0; j < dimensions; ++j)
    for (double c : {-1.0, 1.0}) {
      std::vector<double> p(dimensions, 0.5);
      p[j] = coded_to_unit(c);
      out.push_back(std::move(p));
    }
  add_centers(out, dimensions, center_points);
  return out;
}

Design box_behnken(int dimensions, int center_points) {
  if (dimensions < 3)
    throw std::invalid_argument(
        "box_behnken: needs at least 3 dimensions (use central_composite or full_factorial "
        "for fewer), got " +
        std::to_string(dimensions));
  check_center_points("box_behnken", center_points);
  const long long count = dimensions > 100000 ? -1 : 2LL * dimensions * (dimensions - 1) + center_points;
  check_structured_size("box_behnken", count);
  Design out;
  out.reserve(static_cast<std::size_t>(count));
  for (int a = 0; a < dimensions; ++a)
    for (int b = a + 1; b < dimensions; ++b)
      for (int k = 0; k < 4; ++k) {  // (-,-), (+,-), (-,+), (+,+)
        std::vector<double> p(dimensions, 0.5);
        p[a] = (k & 1) ? 1.0 : 0.0;
        p[b] = (k & 2) ? 1.0 : 0.0;
        out.push_back(std::move(p));
      }
  add_centers(out, dimensions, center_points);
  return out;
}

Design full_factorial(int dimensions, int levels) {
  if (dimensions < 1)
    throw std::invalid_argument("full_factorial: the number of dimensions must be at least 1, got " +
                                std::to_string(dimensions));
  if (levels < 2)
    throw std::invalid_argument("full_factorial: needs at least 2 levels per dimension, got " + std::to_string(levels));
  long long count = 1;  // levels^d, exact up to the first product past the limit, -1 beyond
  for (int j = 0; j < dimensions; ++j) {
    if (count > kMaxStructuredPoints) {
      count = -1;
      break;
    }
    count *= levels;
  }
  check_structured_size("full_factorial", count);
  Design out;
  out.reserve(static_cast<std::size_t>(count));
  std::vector<int> level(dimensions, 0);  // odometer, first dimension fastest
  for (long long i = 0; i < count; ++i) {
    std::vector<double> p(dimensions);
    for (int j = 0; j < dimensions; ++j) p[j] = static_cast<double>(level[j]) / (levels - 1);
    out.push_back(std::move(p));
    for (int j = 0; j < dimensions && ++level[j] == levels; ++j) level[j] = 0;
  }
  return out;
}

const std::vector<std::string>& design_names() {
  static const std::vector<std::string> names = {"latin_hypercube",   "sobol",       "halton",
                                                 "central_composite", "box_behnken", "full_factorial"};
  return names;
}

}  // namespace numen::doe
