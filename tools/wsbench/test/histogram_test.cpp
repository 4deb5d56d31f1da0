// The latency histogram: exact for small values, within its resolution above.
#include "histogram.h"

#include <gtest/gtest.h>

namespace wsbench {
namespace {

TEST(Histogram, SmallValuesAreExact) {
  Histogram h;
  for (int v = 1; v <= 100; ++v) h.record(v);
  EXPECT_EQ(h.count(), 100u);
  EXPECT_EQ(h.percentile(50), 50);
  EXPECT_EQ(h.percentile(99), 99);
  EXPECT_EQ(h.percentile(100), 100);
  EXPECT_EQ(h.max(), 100);
}

TEST(Histogram, LargeValuesAreReportedWithinTwoPercentAndNeverBelow) {
  for (std::int64_t v : {1'000LL, 123'456LL, 5'000'000LL, 987'654'321LL, 60'000'000'000LL}) {
    Histogram h;
    h.record(v);
    h.record(v / 2);  // the max caps the top bucket; ask the median-ish of two values
    const std::int64_t reported = h.percentile(100);
    EXPECT_GE(reported, v);
    EXPECT_LE(static_cast<double>(reported), static_cast<double>(v) * 1.02) << v;
    const std::int64_t low = h.percentile(50);
    EXPECT_GE(low, v / 2);
    EXPECT_LE(static_cast<double>(low), static_cast<double>(v / 2) * 1.02 + 1) << v;
  }
}

TEST(Histogram, TailPercentilesSeeTheOutliers) {
  Histogram h;
  for (int i = 0; i < 990; ++i) h.record(100'000);
  for (int i = 0; i < 10; ++i) h.record(50'000'000);
  EXPECT_LE(h.percentile(50), 102'000);
  EXPECT_LE(h.percentile(99), 102'000);
  EXPECT_GE(h.percentile(99.9), 50'000'000);
  EXPECT_EQ(h.max(), 50'000'000);
}

TEST(Histogram, MergingAddsCounts) {
  Histogram a, b;
  a.record(10);
  b.record(20);
  b.record(30);
  a.merge(b);
  EXPECT_EQ(a.count(), 3u);
  EXPECT_EQ(a.max(), 30);
  EXPECT_DOUBLE_EQ(a.mean(), 20.0);
}

TEST(Histogram, EmptyReportsZero) {
  Histogram h;
  EXPECT_EQ(h.percentile(99), 0);
  EXPECT_EQ(h.mean(), 0);
}

}  // namespace
}  // namespace wsbench
