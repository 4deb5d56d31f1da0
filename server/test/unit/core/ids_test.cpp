// Ids and random hex: ids sort by time and never repeat; random hex has the length and
// alphabet asked for, past the entropy source's 256-byte limit per call too.
#include "core/ids.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace wsd {
namespace {

TEST(RandomHex, IsTwoLowercaseHexDigitsPerByteAtAnySize) {
  for (std::size_t bytes : {0U, 1U, 16U, 256U, 257U, 1000U}) {
    const std::string hex = randomHex(bytes);
    EXPECT_EQ(hex.size(), bytes * 2);
    EXPECT_EQ(hex.find_first_not_of("0123456789abcdef"), std::string::npos) << hex;
  }
}

TEST(RandomHex, DrawsAnewEachCall) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(seen.insert(randomHex(16)).second);
  // Past the first 256 bytes the draw goes on: the tail is not left zero.
  EXPECT_NE(randomHex(1000).substr(1024), std::string(976, '0'));
}

TEST(IdGenerator, IdsOfOneGeneratorStrictlyIncreaseEvenWithinAMillisecond) {
  IdGenerator ids;
  std::string last = ids.next(1000);
  for (int i = 0; i < 100; ++i) {
    const std::string id = ids.next(1000);
    EXPECT_GT(id, last);
    last = id;
  }
  EXPECT_GT(ids.next(999), last) << "a clock that went back does not make an id go back";
}

}  // namespace
}  // namespace wsd
