#pragma once
// The values a solve saves, kept as the Solution hands them out: each variable's series contiguous.
#include <algorithm>
#include <cstddef>
#include <new>
#include <vector>

namespace numen::detail {

/// `width` variables saved at a growing number of times, variable-major: variable i at the k-th time is at
/// [i * stride + k]. Written in place, so the saved trajectory needs no transposition at the end and exists once:
/// when the number of saves is known beforehand (reserve), a solve's memory for it peaks at its own size instead of
/// two to three times it (a row-major buffer grown by doubling, then transposed into a second one). Each save
/// writes `width` values `stride` apart, which costs no more than appending a row did at a few states.
class SavedSeries {
 public:
  explicit SavedSeries(std::size_t width) : width_(width) {}

  /// Room for `count` saves in all (a hint: more are still taken, by doubling).
  void reserve(std::size_t count) {
    if (count > stride_) relayout(count);
  }
  void push(const double* values) {
    if (count_ == stride_) relayout(std::max<std::size_t>(16, 2 * stride_));
    for (std::size_t i = 0; i < width_; ++i) data_[i * stride_ + count_] = values[i];
    ++count_;
  }
  std::size_t size() const { return count_; }

  /// The values, variable-major with stride size(); leaves this empty.
  std::vector<double> release() {
    if (stride_ != count_) {
      // Each series moves left onto its final place (i * count_ <= i * stride_), in order: none overwrites one
      // still to be moved.
      for (std::size_t i = 1; i < width_; ++i)
        std::copy(data_.begin() + static_cast<std::ptrdiff_t>(i * stride_),
                  data_.begin() + static_cast<std::ptrdiff_t>(i * stride_ + count_),
                  data_.begin() + static_cast<std::ptrdiff_t>(i * count_));
      // A solve that ended early gives back the room it did not use; a save or a few short of the plan (the
      // driver plans one spare) is not worth a second copy of the whole trajectory.
      const bool much_unused = stride_ - count_ > stride_ / 8;
      data_.resize(width_ * count_);
      if (much_unused) data_.shrink_to_fit();
    }
    std::vector<double> out = std::move(data_);
    data_.clear();
    stride_ = count_ = 0;
    return out;
  }

 private:
  void relayout(std::size_t stride) {
    // width * stride must not wrap around (size_t is 32 bits in wasm): more than a vector can hold is out of memory.
    if (width_ > 0 && stride > data_.max_size() / width_) throw std::bad_alloc();
    std::vector<double> grown(width_ * stride);
    for (std::size_t i = 0; i < width_; ++i)
      std::copy(data_.begin() + static_cast<std::ptrdiff_t>(i * stride_),
                data_.begin() + static_cast<std::ptrdiff_t>(i * stride_ + count_),
                grown.begin() + static_cast<std::ptrdiff_t>(i * stride));
    data_.swap(grown);
    stride_ = stride;
  }

  std::size_t width_;
  std::size_t stride_ = 0;  ///< saves there is room for
  std::size_t count_ = 0;   ///< saves made
  std::vector<double> data_;
};

}  // namespace numen::detail
