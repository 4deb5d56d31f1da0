// Parsing --redis: what an operator types, and what is refused with a reason.
#include "store/redis_client.h"

#include <gtest/gtest.h>

namespace wsd::store {
namespace {

TEST(RedisUrl, HostPortAndDatabaseAreRead) {
  auto address = parseRedisUrl("redis://cache.internal:6380/3");
  ASSERT_TRUE(address.ok());
  EXPECT_EQ(address->host, "cache.internal");
  EXPECT_EQ(address->port, 6380);
  EXPECT_EQ(address->db, 3);
}

TEST(RedisUrl, PortAndDatabaseDefault) {
  auto address = parseRedisUrl("redis://127.0.0.1");
  ASSERT_TRUE(address.ok());
  EXPECT_EQ(address->port, 6379);
  EXPECT_EQ(address->db, 0);
  EXPECT_EQ(address->text(), "redis://127.0.0.1:6379/0");
}

TEST(RedisUrl, BadUrlsSayWhatIsWrong) {
  for (const char* bad : {"127.0.0.1:6379", "redis://", "redis://h:0", "redis://h:99999", "redis://h:port",
                          "redis://h:6379/x", "redis://h:6379/-1"}) {
    auto address = parseRedisUrl(bad);
    ASSERT_FALSE(address.ok()) << bad;
    EXPECT_EQ(address.error().code, "bad_config");
    EXPECT_NE(address.error().message.find(bad), std::string::npos) << address.error().message;
  }
}

}  // namespace
}  // namespace wsd::store
