// Designs of experiments: stratification, net balance, reference values and structured-design layouts.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "characterize/doe.h"

namespace numen::doe {
namespace {

// Index of the cell of width 2^-bits holding x (exact: the designs' values are dyadic or well inside cells).
int cell(double x, int bits) { return static_cast<int>(std::floor(std::ldexp(x, bits))); }

// what() of the std::invalid_argument thrown by f (fails the test if none is thrown).
std::string invalid_argument_message(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::invalid_argument& e) {
    return e.what();
  } catch (...) {
    ADD_FAILURE() << "threw something other than std::invalid_argument";
    return {};
  }
  ADD_FAILURE() << "did not throw";
  return {};
}

void expect_in_unit_interval(const Design& x) {
  for (const auto& p : x)
    for (double v : p) {
      ASSERT_GE(v, 0.0);
      ASSERT_LT(v, 1.0);
    }
}

// ---- Latin hypercube ----------------------------------------------------------------------------------------------

TEST(DoeLatinHypercube, EachDimensionHitsEveryStratumExactlyOnce) {
  for (int n : {1, 2, 7, 100, 1000}) {
    const Design x = latin_hypercube(n, 5, 42);
    ASSERT_EQ(x.size(), static_cast<std::size_t>(n));
    expect_in_unit_interval(x);
    for (int j = 0; j < 5; ++j) {
      std::vector<int> hits(n, 0);
      for (const auto& p : x) {
        ASSERT_EQ(p.size(), 5u);
        ++hits[static_cast<int>(std::floor(p[j] * n))];
      }
      EXPECT_EQ(std::count(hits.begin(), hits.end(), 1), n) << "n = " << n << ", dimension " << j;
    }
  }
}

TEST(DoeLatinHypercube, SameSeedSameDesignOtherSeedOtherDesign) {
  EXPECT_EQ(latin_hypercube(50, 4, 7), latin_hypercube(50, 4, 7));
  EXPECT_NE(latin_hypercube(50, 4, 7), latin_hypercube(50, 4, 8));
  EXPECT_NE(latin_hypercube(50, 4, 0), latin_hypercube(50, 4, 1));
}

TEST(DoeLatinHypercube, DimensionsArePairedIndependently) {
  // Rank correlation of two columns of independent permutations: about N(0, 1/(n-1)), so |r| < 0.15 at n = 1000
  // is a 4.7-sigma bound; identical or reversed pairings give |r| = 1.
  const int n = 1000;
  const Design x = latin_hypercube(n, 3, 2024);
  for (int a = 0; a < 3; ++a)
    for (int b = a + 1; b < 3; ++b) {
      double sum = 0;
      for (const auto& p : x) sum += (std::floor(p[a] * n) - (n - 1) / 2.0) * (std::floor(p[b] * n) - (n - 1) / 2.0);
      const double r = sum / (n * (n * n - 1.0) / 12.0);
      EXPECT_LT(std::abs(r), 0.15) << "dimensions " << a << ", " << b;
    }
  // Positions within strata are random, not centered.
  std::set<double> offsets;
  for (const auto& p : x) offsets.insert(p[0] * n - std::floor(p[0] * n));
  EXPECT_GT(offsets.size(), 990u);
}

// ---- Sobol' -------------------------------------------------------------------------------------------------------

// Reference points from scipy 1.10 (Joe-Kuo new-joe-kuo-6.21201 direction numbers, unscrambled, origin included);
// scipy's point K is our row K:
//   /usr/bin/python3 -c "from scipy.stats import qmc; s = qmc.Sobol(21, scramble=False); s.fast_forward(K);
//                        print(s.random(1).tolist())"
TEST(DoeSobol, MatchesScipyJoeKuoReferencePoints) {
  const Design x = sobol(50000, 21, 0);
  EXPECT_EQ(x[0], std::vector<double>(21, 0.0));  // the origin
  const int dims[] = {0, 1, 2, 9, 20};
  const double first[5][5] = {{0.0, 0.0, 0.0, 0.0, 0.0},
                              {0.5, 0.5, 0.5, 0.5, 0.5},
                              {0.75, 0.25, 0.25, 0.75, 0.25},
                              {0.25, 0.75, 0.75, 0.25, 0.75},
                              {0.375, 0.375, 0.625, 0.625, 0.125}};
  for (int i = 0; i < 5; ++i)
    for (int k = 0; k < 5; ++k) EXPECT_EQ(x[i][dims[k]], first[i][k]) << "point " << i << ", dim " << dims[k] + 1;
  const double p999[5] = {0.1572265625, 0.9091796875, 0.0810546875, 0.6318359375, 0.3349609375};
  for (int k = 0; k < 5; ++k) EXPECT_EQ(x[999][dims[k]], p999[k]) << "dim " << dims[k] + 1;
  // Point 49999 in all 21 dimensions exercises every polynomial's recurrence beyond its initial m_i.
  const double p49999[21] = {0.0908966064453125, 0.6052703857421875, 0.2931060791015625, 0.2784576416015625,
                             0.5458831787109375, 0.6166839599609375, 0.3481903076171875, 0.0707550048828125,
                             0.1648101806640625, 0.6400299072265625, 0.5550994873046875, 0.9891815185546875,
                             0.8723602294921875, 0.1065216064453125, 0.9838104248046875, 0.4445343017578125,
                             0.6496429443359375, 0.3205413818359375, 0.3162384033203125, 0.6733245849609375,
                             0.1761322021484375};
  for (int j = 0; j < 21; ++j) EXPECT_EQ(x[49999][j], p49999[j]) << "dim " << j + 1;
}

TEST(DoeSobol, ReachesTwoToTheTwentyPoints) {
  const Design x = sobol(1 << 20, 2, 0);
  ASSERT_EQ(x.size(), 1u << 20);
  EXPECT_EQ(x.back()[0], 9.5367431640625e-07);  // scipy point 2^20 - 1 (same command, Sobol(2, ...), K = 1048575)
  EXPECT_EQ(x.back()[1], 0.9375143051147461);
  expect_in_unit_interval(x);
}

// The first 2^m points form a digital net: in every dimension each interval of width 2^-m holds exactly one point.
// A digital shift permutes these intervals, so shifted designs keep the property.
TEST(DoeSobol, OneDimensionalProjectionsAreBalancedAtPowersOfTwo) {
  for (std::uint64_t seed : {0, 1, 3, 99, 123456789}) {
    for (int m = 0; m <= 12; ++m) {
      const int n = 1 << m;
      const Design x = sobol(n, 21, seed);
      for (int j = 0; j < 21; ++j) {
        std::vector<int> hits(n, 0);
        for (const auto& p : x) ++hits[cell(p[j], m)];
        EXPECT_EQ(std::count(hits.begin(), hits.end(), 1), n) << "seed " << seed << ", m = " << m << ", dim " << j;
      }
    }
  }
}

// Dimensions 1 and 2 form a (0, 2)-sequence: the first 2^m points form a (0, m, 2)-net, with exactly one point in
// every elementary interval [a 2^-k, (a+1) 2^-k) x [b 2^-(m-k), (b+1) 2^-(m-k)), for every k = 0..m.
void expect_two_dimensional_net(const Design& x, int m) {
  ASSERT_EQ(x.size(), static_cast<std::size_t>(1 << m));
  for (int k = 0; k <= m; ++k) {
    std::vector<int> hits(1 << m, 0);
    for (const auto& p : x) ++hits[(cell(p[0], k) << (m - k)) + cell(p[1], m - k)];
    EXPECT_EQ(std::count(hits.begin(), hits.end(), 1), 1 << m)
        << "m = " << m << ", shape 2^-" << k << " x 2^-" << m - k;
  }
}

TEST(DoeSobol, FirstTwoDimensionsAreANetInEveryElementaryIntervalShape) {
  for (int m : {1, 2, 6, 10}) expect_two_dimensional_net(sobol(1 << m, 2, 0), m);
}

TEST(DoeSobol, DigitalShiftPreservesBalance) {
  for (std::uint64_t seed : {1, 2, 99})
    for (int m : {1, 2, 6, 10}) {
      const Design x = sobol(1 << m, 2, seed);
      expect_two_dimensional_net(x, m);
      expect_in_unit_interval(x);
    }
}

TEST(DoeSobol, SeedsShiftDeterministically) {
  EXPECT_EQ(sobol(100, 5, 11), sobol(100, 5, 11));
  EXPECT_NE(sobol(100, 5, 11), sobol(100, 5, 12));
  EXPECT_NE(sobol(100, 5, 11), sobol(100, 5, 0));
  // A digital shift XORs one constant per dimension: the XOR between shifted and unshifted points is the same for
  // every point.
  const Design a = sobol(64, 5, 0), b = sobol(64, 5, 11);
  for (int j = 0; j < 5; ++j) {
    const auto word = [](double v) { return static_cast<std::uint32_t>(std::ldexp(v, 32)); };
    const std::uint32_t shift = word(a[0][j]) ^ word(b[0][j]);
    EXPECT_NE(shift, 0u);
    for (int i = 0; i < 64; ++i) EXPECT_EQ(word(a[i][j]) ^ word(b[i][j]), shift) << "point " << i << ", dim " << j;
  }
  // The prefix property: a longer design starts with the shorter one.
  const Design longer = sobol(200, 5, 11), shorter = sobol(100, 5, 11);
  EXPECT_TRUE(std::equal(shorter.begin(), shorter.end(), longer.begin()));
}

// ---- Halton -------------------------------------------------------------------------------------------------------

TEST(DoeHalton, StartsAtIndexTwentyWithRadicalInverses) {
  const Design x = halton(3, 3, 0);
  // 20 = 10100_2 = 202_3 = 40_5; 21 = 10101_2 = 210_3 = 41_5; 22 = 10110_2 = 211_3 = 42_5 (digits mirrored).
  EXPECT_EQ(x[0][0], 5.0 / 32);
  EXPECT_EQ(x[0][1], 20.0 / 27);
  EXPECT_EQ(x[0][2], 4.0 / 25);
  EXPECT_EQ(x[1][0], 21.0 / 32);
  EXPECT_EQ(x[1][1], 5.0 / 27);
  EXPECT_EQ(x[1][2], 9.0 / 25);
  EXPECT_EQ(x[2][0], 13.0 / 32);
  EXPECT_EQ(x[2][1], 14.0 / 27);
  EXPECT_EQ(x[2][2], 14.0 / 25);
}

TEST(DoeHalton, FillsStrataEvenly) {
  // Ten strata per dimension at n = 1000 for bases 2..19: low discrepancy keeps every count within 100 +- 6 (seen:
  // at most 5, in base 17); independent uniform points scatter with a standard deviation of 9.5 per stratum.
  const int n = 1000;
  for (std::uint64_t seed : {0, 5}) {
    const Design x = halton(n, 8, seed);
    expect_in_unit_interval(x);
    for (int j = 0; j < 8; ++j) {
      std::vector<int> hits(10, 0);
      for (const auto& p : x) ++hits[static_cast<int>(p[j] * 10)];
      for (int k = 0; k < 10; ++k)
        EXPECT_NEAR(hits[k], n / 10, 6) << "seed " << seed << ", dim " << j << ", stratum " << k;
    }
  }
}

TEST(DoeHalton, SeedRotatesEachDimensionModuloOne) {
  const Design a = halton(200, 4, 0), b = halton(200, 4, 17);
  EXPECT_EQ(b, halton(200, 4, 17));
  EXPECT_NE(b, halton(200, 4, 18));
  for (int j = 0; j < 4; ++j) {
    const double shift = b[0][j] - a[0][j] + (b[0][j] < a[0][j] ? 1.0 : 0.0);
    EXPECT_GT(shift, 0.0);
    for (int i = 0; i < 200; ++i) {
      double d = b[i][j] - a[i][j];
      if (d < 0) d += 1.0;
      EXPECT_NEAR(d, shift, 1e-15) << "point " << i << ", dim " << j;
    }
  }
}

// ---- structured designs -------------------------------------------------------------------------------------------

TEST(DoeCentralComposite, InscribedRotatableLayout) {
  for (int d = 2; d <= 6; ++d)
    for (int c : {0, 1, 3}) {
      const Design x = central_composite(d, c);
      ASSERT_EQ(x.size(), static_cast<std::size_t>((1 << d) + 2 * d + c)) << "d = " << d << ", centers " << c;
      // Corners at +-1/alpha in coded units, alpha = (2^d)^(1/4): at d = 4, alpha = 2 and corners sit at 0.25/0.75.
      const double corner = 0.5 / std::pow(2.0, d / 4.0);
      std::set<std::vector<double>> distinct;
      for (int i = 0; i < (1 << d); ++i) {
        for (int j = 0; j < d; ++j) EXPECT_NEAR(std::abs(x[i][j] - 0.5), corner, 1e-15);
        distinct.insert(x[i]);
      }
      EXPECT_EQ(distinct.size(), static_cast<std::size_t>(1 << d));
      if (d == 4) {
        EXPECT_EQ(x[0], std::vector<double>(4, 0.25));
      }
      // Axial points at the extremes 0 and 1 on one axis, the others centered.
      std::vector<int> axial_hits(2 * d, 0);
      for (int i = 1 << d; i < (1 << d) + 2 * d; ++i) {
        int off = -1;
        for (int j = 0; j < d; ++j)
          if (x[i][j] != 0.5) {
            EXPECT_EQ(off, -1) << "axial point off-center in two factors";
            off = j;
          }
        ASSERT_GE(off, 0);
        ASSERT_TRUE(x[i][off] == 0.0 || x[i][off] == 1.0);
        ++axial_hits[2 * off + (x[i][off] == 1.0)];
      }
      EXPECT_EQ(std::count(axial_hits.begin(), axial_hits.end(), 1), 2 * d);
      for (int i = (1 << d) + 2 * d; i < static_cast<int>(x.size()); ++i) EXPECT_EQ(x[i], std::vector<double>(d, 0.5));
    }
}

TEST(DoeCentralComposite, OneFactorGivesFiveLevels) {
  const Design x = central_composite(1, 1);
  ASSERT_EQ(x.size(), 5u);
  const double c = 0.5 / std::pow(2.0, 0.25);
  const double expected[5] = {0.5 - c, 0.5 + c, 0.0, 1.0, 0.5};
  for (int i = 0; i < 5; ++i) EXPECT_NEAR(x[i][0], expected[i], 1e-15);
}

TEST(DoeBoxBehnken, EveryPairOfFactorsAtItsFourCornersOthersCentered) {
  for (int d = 3; d <= 6; ++d)
    for (int c : {0, 1, 3}) {
      const Design x = box_behnken(d, c);
      const int edges = 2 * d * (d - 1);
      ASSERT_EQ(x.size(), static_cast<std::size_t>(edges + c)) << "d = " << d;
      std::map<std::vector<int>, int> seen;  // (factor a, factor b, level a, level b) -> count
      for (int i = 0; i < edges; ++i) {
        std::vector<int> key;
        for (int j = 0; j < d; ++j)
          if (x[i][j] != 0.5) {
            ASSERT_TRUE(x[i][j] == 0.0 || x[i][j] == 1.0);
            key.push_back(j);
          }
        ASSERT_EQ(key.size(), 2u) << "run " << i;
        key.push_back(static_cast<int>(x[i][key[0]]));
        key.push_back(static_cast<int>(x[i][key[1]]));
        ++seen[key];
      }
      EXPECT_EQ(seen.size(), static_cast<std::size_t>(edges));  // every pair x every sign combination, once
      for (int i = edges; i < edges + c; ++i) EXPECT_EQ(x[i], std::vector<double>(d, 0.5));
    }
  EXPECT_EQ(box_behnken(3).size(), 13u);  // the classical 3-factor design with one center run
}

TEST(DoeFullFactorial, AllLevelCombinationsOnce) {
  const Design x = full_factorial(3, 4);
  ASSERT_EQ(x.size(), 64u);
  std::set<std::vector<double>> distinct(x.begin(), x.end());
  EXPECT_EQ(distinct.size(), 64u);
  const std::vector<double> levels = {0.0, 1.0 / 3, 2.0 / 3, 1.0};
  for (int j = 0; j < 3; ++j)
    for (double level : levels)
      EXPECT_EQ(std::count_if(x.begin(), x.end(), [&](const std::vector<double>& p) { return p[j] == level; }), 16)
          << "dim " << j << ", level " << level;
  EXPECT_EQ(x.front(), std::vector<double>(3, 0.0));
  EXPECT_EQ(x.back(), std::vector<double>(3, 1.0));
  EXPECT_EQ(x[1], (std::vector<double>{1.0 / 3, 0.0, 0.0}));  // first factor varies fastest
  EXPECT_EQ(full_factorial(1, 2), (Design{{0.0}, {1.0}}));
  EXPECT_EQ(full_factorial(2, 3).size(), 9u);
}

// ---- reproducibility ----------------------------------------------------------------------------------------------

// Seeded designs are part of saved plans and must come out identical natively and in wasm: these values pin the
// random stream (dsp::Rng) and the order of draws (LHS: per dimension the permutation, then the positions; Sobol':
// the top 32 bits of one next() per dimension; Halton: one uniform() per dimension).
TEST(DoeReproducibility, SeededDesignsArePinned) {
  const Design lhs = latin_hypercube(4, 2, 42);
  EXPECT_EQ(lhs[0], (std::vector<double>{0.9811732363313469, 0.17061321740312982}));
  EXPECT_EQ(lhs[3], (std::vector<double>{0.1798146444694789, 0.83035290832883757}));
  const Design s = sobol(2, 2, 7);  // point 0 is the shift itself, point 1 is (0.5, 0.5) shifted
  EXPECT_EQ(s[0], (std::vector<double>{0.7005764821078628, 0.27875122940167785}));
  EXPECT_EQ(s[1], (std::vector<double>{0.20057648210786283, 0.7787512294016778}));
  const Design h = halton(2, 2, 7);
  EXPECT_EQ(h[1], (std::vector<double>{0.3568264821796896, 0.46393641465896945}));
}

// ---- arguments ----------------------------------------------------------------------------------------------------

TEST(DoeArguments, InvalidArgumentsNameTheLimit) {
  const auto contains = [](const std::string& message, const std::string& part) {
    return message.find(part) != std::string::npos;
  };
  EXPECT_TRUE(contains(invalid_argument_message([] { latin_hypercube(0, 2, 1); }), "at least 1"));
  EXPECT_TRUE(contains(invalid_argument_message([] { latin_hypercube(10, 0, 1); }), "at least 1"));
  EXPECT_TRUE(contains(invalid_argument_message([] { sobol(0, 2, 1); }), "at least 1"));
  EXPECT_TRUE(contains(invalid_argument_message([] { sobol(10, 0, 1); }), "at least 1"));
  EXPECT_TRUE(contains(invalid_argument_message([] { sobol(10, 22, 1); }), "at most 21 dimensions"));
  EXPECT_TRUE(contains(invalid_argument_message([] { sobol((1 << 22) + 1, 1, 0); }), "at most 4194304 points"));
  EXPECT_TRUE(contains(invalid_argument_message([] { halton(10, 51, 0); }), "at most 50 dimensions"));
  EXPECT_TRUE(contains(invalid_argument_message([] { halton(-5, 2, 0); }), "got -5"));
  EXPECT_TRUE(contains(invalid_argument_message([] { latin_hypercube(1 << 22, 100, 0); }), "at most 67108864"));
  EXPECT_TRUE(contains(invalid_argument_message([] { central_composite(0); }), "at least 1"));
  EXPECT_TRUE(contains(invalid_argument_message([] { central_composite(2, -1); }), "must not be negative"));
  EXPECT_TRUE(contains(invalid_argument_message([] { central_composite(20); }), "at most 1000000"));
  EXPECT_TRUE(contains(invalid_argument_message([] { central_composite(100); }), "at most 1000000"));
  EXPECT_TRUE(contains(invalid_argument_message([] { box_behnken(2); }), "at least 3 dimensions"));
  EXPECT_TRUE(contains(invalid_argument_message([] { box_behnken(800); }), "at most 1000000"));
  EXPECT_TRUE(contains(invalid_argument_message([] { full_factorial(2, 1); }), "at least 2 levels"));
  EXPECT_TRUE(contains(invalid_argument_message([] { full_factorial(0, 3); }), "at least 1"));
  EXPECT_TRUE(contains(invalid_argument_message([] { full_factorial(7, 8); }), "2097152 points; at most 1000000"));
  EXPECT_TRUE(contains(invalid_argument_message([] { full_factorial(1000, 10); }), "at most 1000000"));
  // Largest allowed sizes still work.
  EXPECT_EQ(full_factorial(6, 10).size(), 1000000u);
  EXPECT_EQ(central_composite(19, 0).size(), (1u << 19) + 38u);
}

TEST(DoeDesignNames, SixNamesInOrder) {
  EXPECT_EQ(design_names(), (std::vector<std::string>{"latin_hypercube", "sobol", "halton", "central_composite",
                                                      "box_behnken", "full_factorial"}));
}

}  // namespace
}  // namespace numen::doe
