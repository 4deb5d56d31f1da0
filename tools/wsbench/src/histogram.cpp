#include "histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace wsbench {

// Values below 128 have a bucket each; above, a value whose top bit is b falls in one of
// 64 buckets of width 2^(b-6).
int Histogram::indexOf(std::uint64_t value) {
  if (value < 128) return static_cast<int>(value);
  const int top = 63 - std::countl_zero(value);
  const int shift = top - kSubBucketBits;
  return shift * 64 + static_cast<int>(value >> shift);
}

std::int64_t Histogram::upperBoundOf(int index) {
  if (index < 128) return index;
  const int shift = index / 64 - 1;
  const std::int64_t sub = index - shift * 64;
  return ((sub + 1) << shift) - 1;
}

void Histogram::record(std::int64_t value) {
  value = std::max<std::int64_t>(value, 0);
  ++counts_[static_cast<std::size_t>(indexOf(static_cast<std::uint64_t>(value)))];
  ++count_;
  max_ = std::max(max_, value);
  sum_ += value;
}

void Histogram::merge(const Histogram& other) {
  for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  max_ = std::max(max_, other.max_);
  sum_ += other.sum_;
}

std::int64_t Histogram::percentile(double percent) const {
  if (count_ == 0) return 0;
  const auto wanted = static_cast<std::uint64_t>(std::ceil(percent / 100.0 * static_cast<double>(count_)));
  std::uint64_t seen = 0;
  for (int i = 0; i < kBuckets; ++i) {
    seen += counts_[static_cast<std::size_t>(i)];
    if (seen >= std::max<std::uint64_t>(wanted, 1)) return std::min(upperBoundOf(i), max_);
  }
  return max_;
}

}  // namespace wsbench
