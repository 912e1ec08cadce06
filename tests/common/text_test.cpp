// text::format_number: natively from std::to_chars, in wasm by searching %g precisions. Both must write the same
// text for every double (the CLI's and the browser's CSV files are compared byte for byte), so the fast path is
// checked against the search on edge cases, 300,000 random bit patterns and 100,000 numbers of everyday size.
#include "common/text.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>

namespace {

double from_bits(std::uint64_t bits) {
  double v;
  std::memcpy(&v, &bits, sizeof v);
  return v;
}

TEST(FormatNumber, WritesTheShortestTextThatReadsBack) {
  EXPECT_EQ(numen::text::format_number(0.1), "0.1");
  EXPECT_EQ(numen::text::format_number(1e-8), "1e-08");
  EXPECT_EQ(numen::text::format_number(0.0001), "0.0001");
  EXPECT_EQ(numen::text::format_number(3e5), "300000");
  EXPECT_EQ(numen::text::format_number(1e15), "1e+15");
  EXPECT_EQ(numen::text::format_number(-2.5e-5), "-2.5e-05");
  EXPECT_EQ(numen::text::format_number(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(numen::text::format_number(0.0), "0");
  EXPECT_EQ(numen::text::format_number(-0.0), "-0");
  EXPECT_EQ(numen::text::format_number(std::numeric_limits<double>::infinity()), "inf");
  EXPECT_EQ(numen::text::format_number(std::nan("")), "nan");
}

TEST(FormatNumber, FastPathWritesWhatTheSearchWrites) {
  std::vector<double> values = {0.0,
                                -0.0,
                                1.0,
                                -1.0,
                                0.5,
                                120.0,
                                1e5,
                                123456789012345.0,
                                1234567890123456.0,
                                1e15,
                                1e16,
                                1e17,
                                1e22,
                                1e-4,
                                9.99999e-5,
                                1e-5,
                                5e-324,
                                2.2250738585072014e-308,
                                std::numeric_limits<double>::max(),
                                std::numeric_limits<double>::denorm_min(),
                                std::numeric_limits<double>::epsilon(),
                                293.15,
                                287.058,
                                1.0 / 3.0};
  for (int e = -320; e <= 308; ++e) values.push_back(std::pow(10.0, e));
  for (int k = 0; k < 200; ++k) values.push_back(static_cast<double>(k) * 1e14);
  std::mt19937_64 rng(20261201);
  for (int k = 0; k < 300000; ++k) {
    const double v = from_bits(rng());
    if (std::isfinite(v)) values.push_back(v);
  }
  std::uniform_real_distribution<double> u(-1e6, 1e6);
  for (int k = 0; k < 100000; ++k) values.push_back(u(rng));
  int mismatches = 0;
  for (double v : values) {
    const std::string fast = numen::text::format_number(v), searched = numen::text::format_number_by_search(v);
    if (fast != searched && ++mismatches <= 10) ADD_FAILURE() << fast << " != " << searched;
    if (std::strtod(fast.c_str(), nullptr) != v && !(v == 0 && fast.find('0') != std::string::npos))
      ADD_FAILURE() << fast << " does not read back";
  }
  EXPECT_EQ(mismatches, 0);
}

}  // namespace
