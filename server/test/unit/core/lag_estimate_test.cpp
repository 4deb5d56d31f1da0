// The age estimate of a partition's backlog (wsd_projector_lag_seconds).
#include "core/lag_estimate.h"

#include <gtest/gtest.h>

namespace wsd {
namespace {

TEST(LagSeconds, CaughtUpIsZeroHoweverOldTheLastRecord) { EXPECT_EQ(lagSeconds({0, 100'000, 1'000, 100'000}), 0); }

TEST(LagSeconds, ABurstAfterAQuietSpellIsAsOldAsTheBurstNotTheSpell) {
  // Last record finished an hour ago; behind since 2 s ago.
  EXPECT_DOUBLE_EQ(lagSeconds({50, 3'600'000, 0, 3'598'000}), 2.0);
}

TEST(LagSeconds, AReaderAlwaysSlightlyBehindIsAsOldAsItsLastFinishedRecord) {
  // Behind for ten minutes, yet it finished a record written 300 ms ago.
  EXPECT_DOUBLE_EQ(lagSeconds({3, 600'000, 599'700, 0}), 0.3);
}

TEST(LagSeconds, AClockAheadOfOursNeverMakesItNegative) { EXPECT_EQ(lagSeconds({1, 1'000, 5'000, 1'000}), 0); }

}  // namespace
}  // namespace wsd
