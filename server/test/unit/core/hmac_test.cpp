// HMAC-SHA256 as RFC 4231 defines it.
#include "core/hmac.h"

#include <gtest/gtest.h>

namespace wsd {
namespace {

TEST(Hmac, MatchesTheRfc4231TestVector) {
  EXPECT_EQ(hmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

}  // namespace
}  // namespace wsd
