// A latency histogram in the manner of HdrHistogram: log-linear buckets (64 per power of
// two, so any recorded value is reported within 1.6% of itself), fixed memory (about 30
// KiB), O(1) record. Percentiles report a bucket's upper bound, so they never flatter.
#pragma once

#include <array>
#include <cstdint>

namespace wsbench {

class Histogram {
 public:
  void record(std::int64_t value);
  void merge(const Histogram& other);
  std::uint64_t count() const { return count_; }
  std::int64_t max() const { return max_; }
  // The smallest bucket bound at or below which `percent` of the values lie (0 if empty).
  std::int64_t percentile(double percent) const;
  double mean() const { return count_ == 0 ? 0 : static_cast<double>(sum_) / static_cast<double>(count_); }

 private:
  static constexpr int kSubBucketBits = 6;  // 64 linear steps per power of two
  static constexpr int kBuckets = 64 * 64;
  static int indexOf(std::uint64_t value);
  static std::int64_t upperBoundOf(int index);

  std::array<std::uint64_t, kBuckets> counts_{};
  std::uint64_t count_ = 0;
  std::int64_t max_ = 0;
  __int128 sum_ = 0;
};

}  // namespace wsbench
