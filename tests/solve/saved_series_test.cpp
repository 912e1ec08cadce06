// The driver's store of saved values: whatever the number of saves against the number planned, what comes out is
// the Solution's variable-major layout, and holds little room it does not use.
#include "solve/saved_series.h"

#include <gtest/gtest.h>

#include <new>
#include <vector>

namespace numen::detail {
namespace {

// The value of variable i at save k, distinct for every (i, k).
double value(std::size_t i, std::size_t k) { return 1000.0 * static_cast<double>(i) + static_cast<double>(k); }

std::vector<double> saved(std::size_t width, std::size_t planned, std::size_t saves) {
  SavedSeries series(width);
  if (planned) series.reserve(planned);
  std::vector<double> row(width);
  for (std::size_t k = 0; k < saves; ++k) {
    for (std::size_t i = 0; i < width; ++i) row[i] = value(i, k);
    series.push(row.data());
  }
  EXPECT_EQ(series.size(), saves);
  return series.release();
}

void expect_variable_major(const std::vector<double>& out, std::size_t width, std::size_t saves) {
  ASSERT_EQ(out.size(), width * saves);
  EXPECT_LE(out.capacity() - out.size(), out.capacity() / 8) << "at most an eighth of the room is left unused";
  for (std::size_t i = 0; i < width; ++i)
    for (std::size_t k = 0; k < saves; ++k)
      ASSERT_EQ(out[i * saves + k], value(i, k)) << "variable " << i << ", save " << k;
}

TEST(SavedSeries, AsPlanned) {
  // The driver plans one save more than the grid has.
  expect_variable_major(saved(6, 3000, 3000), 6, 3000);
  expect_variable_major(saved(6, 3001, 3000), 6, 3000);
}

TEST(SavedSeries, FewerThanPlannedAsWhenASolveEndsEarly) {
  expect_variable_major(saved(5, 1000, 377), 5, 377);
  expect_variable_major(saved(5, 1000, 1), 5, 1);
  expect_variable_major(saved(5, 1000, 0), 5, 0);
}

TEST(SavedSeries, MoreThanPlannedGrows) { expect_variable_major(saved(3, 10, 1001), 3, 1001); }

TEST(SavedSeries, UnplannedAsWhenEveryStepIsSaved) {
  expect_variable_major(saved(4, 0, 1), 4, 1);
  expect_variable_major(saved(4, 0, 16), 4, 16);
  expect_variable_major(saved(4, 0, 17), 4, 17);
  expect_variable_major(saved(4, 0, 5000), 4, 5000);
}

TEST(SavedSeries, NoVariablesStillCountsSaves) { EXPECT_TRUE(saved(0, 10, 25).empty()); }

// Room for more values than a vector can hold is out of memory, never a size that wrapped around (size_t is 32 bits
// in wasm: 4,001 values at 10 million saves came to a smaller, allocatable number).
TEST(SavedSeries, RoomBeyondWhatMemoryCanAddressIsOutOfMemory) {
  const std::size_t width = 4001;
  SavedSeries series(width);
  const std::size_t too_many = std::vector<double>().max_size() / width + 1;
  EXPECT_THROW(series.reserve(too_many), std::bad_alloc);
  EXPECT_EQ(series.size(), 0u);
}

TEST(SavedSeries, OneVariable) { expect_variable_major(saved(1, 7, 50), 1, 50); }

}  // namespace
}  // namespace numen::detail
