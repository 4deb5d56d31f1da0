// The per-connection rate limit: burst, warning, then close.
#include "gateway/sessions/rate_limiter.h"

#include <gtest/gtest.h>

namespace wsd {
namespace {

TEST(RateLimiter, AllowsABurstThenWarnsOnceThenCloses) {
  RateLimiter limiter(10, 3);
  const std::int64_t t = 1000;
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limiter.take(t), RateLimiter::Verdict::kAllow);
  EXPECT_EQ(limiter.take(t), RateLimiter::Verdict::kWarn);
  EXPECT_EQ(limiter.take(t), RateLimiter::Verdict::kClose);
}

TEST(RateLimiter, RefillsAtTheConfiguredRate) {
  RateLimiter limiter(10, 1);
  EXPECT_EQ(limiter.take(1000), RateLimiter::Verdict::kAllow);
  EXPECT_EQ(limiter.take(1000), RateLimiter::Verdict::kWarn);
  EXPECT_EQ(limiter.take(1100), RateLimiter::Verdict::kAllow);  // 100 ms at 10/s is one token
}

TEST(RateLimiter, AClientThatSlowsDownIsForgiven) {
  RateLimiter limiter(100, 4);
  for (int i = 0; i < 4; ++i) limiter.take(0 + 1);
  EXPECT_EQ(limiter.take(1), RateLimiter::Verdict::kWarn);
  EXPECT_EQ(limiter.take(1000), RateLimiter::Verdict::kAllow);  // refilled: the warning is forgotten
  for (int i = 0; i < 3; ++i) limiter.take(1000);
  EXPECT_EQ(limiter.take(1000), RateLimiter::Verdict::kWarn);  // warned again before any close
}

}  // namespace
}  // namespace wsd
