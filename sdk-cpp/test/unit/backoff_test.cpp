// Reconnect delays (backoff.h): growth, ceiling, jitter bounds, giving up.
#include "backoff.h"

#include <gtest/gtest.h>

namespace wsclient::detail {
namespace {

using std::chrono::milliseconds;

ReconnectOptions options(double jitter) {
  ReconnectOptions o;
  o.initialDelay = milliseconds(100);
  o.maxDelay = milliseconds(1000);
  o.multiplier = 2;
  o.jitter = jitter;
  return o;
}

TEST(Backoff, GrowsByTheMultiplierUpToTheCeiling) {
  const ReconnectOptions o = options(0);
  EXPECT_EQ(backoffDelay(o, 0, 0.7), milliseconds(100));
  EXPECT_EQ(backoffDelay(o, 1, 0.7), milliseconds(200));
  EXPECT_EQ(backoffDelay(o, 3, 0.7), milliseconds(800));
  EXPECT_EQ(backoffDelay(o, 4, 0.7), milliseconds(1000));
  EXPECT_EQ(backoffDelay(o, 4000, 0.7), milliseconds(1000));  // no overflow
}

TEST(Backoff, JitterScalesDownWithinItsFraction) {
  const ReconnectOptions o = options(0.5);
  EXPECT_EQ(backoffDelay(o, 1, 0.0), milliseconds(200));
  EXPECT_EQ(backoffDelay(o, 1, 1.0), milliseconds(100));
  Backoff backoff(o, 42);
  for (int i = 0; i < 200; ++i) {
    const auto delay = backoff.next();
    EXPECT_GE(delay, milliseconds(50));
    EXPECT_LE(delay, milliseconds(1000));
  }
}

TEST(Backoff, DelaysDifferBetweenSeeds) {
  Backoff a(options(1), 1);
  Backoff b(options(1), 2);
  bool differ = false;
  for (int i = 0; i < 5; ++i) differ = differ || a.next() != b.next();
  EXPECT_TRUE(differ);
}

TEST(Backoff, IsExhaustedAfterMaxAttemptsAndResets) {
  ReconnectOptions o = options(0);
  o.maxAttempts = 2;
  Backoff backoff(o, 1);
  EXPECT_FALSE(backoff.exhausted());
  backoff.next();
  backoff.next();
  EXPECT_TRUE(backoff.exhausted());
  backoff.reset();
  EXPECT_FALSE(backoff.exhausted());
  EXPECT_EQ(backoff.next(), milliseconds(100));
}

TEST(Backoff, NeverGivesUpWhenMaxAttemptsIsZero) {
  Backoff backoff(options(0), 1);
  for (int i = 0; i < 100; ++i) backoff.next();
  EXPECT_FALSE(backoff.exhausted());
}

}  // namespace
}  // namespace wsclient::detail
