// The token expiry watch asks for a sweep of the sessions only when a token may have
// expired: at the earliest expiry it saw, or when a session opened or a token changed.
#include "gateway/sessions/token_expiry_watch.h"

#include <gtest/gtest.h>

namespace wsd {
namespace {

TEST(TokenExpiryWatch, TheFirstTickSweeps) {
  TokenExpiryWatch watch;
  EXPECT_TRUE(watch.due(0, 0));
}

TEST(TokenExpiryWatch, NoSweepIsDueBeforeTheEarliestExpirySeen) {
  TokenExpiryWatch watch;
  watch.sweepBegins(3);
  watch.sawExpiry(5000);
  watch.sawExpiry(std::nullopt);  // a token that never expires
  watch.sawExpiry(2000);
  EXPECT_FALSE(watch.due(1999, 3));
  EXPECT_TRUE(watch.due(2000, 3));
}

TEST(TokenExpiryWatch, TokensThatNeverExpireNeverCallForASweep) {
  TokenExpiryWatch watch;
  watch.sweepBegins(1);
  watch.sawExpiry(std::nullopt);
  EXPECT_FALSE(watch.due(INT64_MAX - 1, 1));
}

TEST(TokenExpiryWatch, ASessionOpenedSinceTheSweepCallsForAnother) {
  TokenExpiryWatch watch;
  watch.sweepBegins(3);
  EXPECT_FALSE(watch.due(10, 3));
  EXPECT_TRUE(watch.due(10, 4));
}

TEST(TokenExpiryWatch, ATokenIssuedOrUpdatedCallsForAnotherUntilTheNextSweep) {
  TokenExpiryWatch watch;
  watch.sweepBegins(0);
  watch.tokensChanged();
  EXPECT_TRUE(watch.due(10, 0));
  watch.sweepBegins(0);
  EXPECT_FALSE(watch.due(10, 0));
}

}  // namespace
}  // namespace wsd
