// The one comparison of secrets: equal only when every byte and the length agree.
#include "core/constant_time.h"

#include <gtest/gtest.h>

#include <string>

namespace wsd {
namespace {

TEST(ConstantTimeEquality, MatchesOnlyIdenticalStrings) {
  EXPECT_TRUE(equalInConstantTime("secret", "secret"));
  EXPECT_TRUE(equalInConstantTime("", ""));
  EXPECT_FALSE(equalInConstantTime("secret", "secreT"));
  EXPECT_FALSE(equalInConstantTime("secret", "secret2"));
  EXPECT_FALSE(equalInConstantTime("secret", ""));
  EXPECT_FALSE(equalInConstantTime(std::string("a\0b", 3), std::string("a\0c", 3))) << "bytes after a NUL count";
}

}  // namespace
}  // namespace wsd
