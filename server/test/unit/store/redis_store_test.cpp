// RedisStore's write-behind: which commands a change turns into. (That they rebuild the
// same state from a real Redis is the contract suite's job, in the Redis tests.)
#include "store/redis_store.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "store/redis_batch.h"
#include "store/redis_layout.h"

namespace wsd::store {
namespace {

bool has(const std::vector<RedisCommand>& commands, const RedisCommand& wanted) {
  return std::find(commands.begin(), commands.end(), wanted) != commands.end();
}

TEST(RedisStore, AStoredMessageIsAppendedNotRewritten) {
  RedisStore store;
  store.pushInbox("p", "bob", {"1", "a", "bob", "\"x\"", 10, 100});
  store.takeChanges();
  store.pushInbox("p", "bob", {"2", "a", "bob", "\"y\"", 20, 200});
  auto commands = store.takeChanges();
  ASSERT_EQ(commands.size(), 2u);
  EXPECT_EQ(commands[0][0], "RPUSH");
  EXPECT_EQ(commands[0].size(), 3u) << "only the new message";
  EXPECT_EQ(commands[1], (RedisCommand{"PEXPIREAT", redis_layout::inboxKey("p", "bob"), "200"}));
}

TEST(RedisStore, ARoomsHistoryKeyExpiresWithItsNewestMessageAndItsStreamNever) {
  RedisStore store;
  store.appendRoomMessage("p", "r", "ev1", {1, "ev1", "a", "1", 1000}, 10, 1000 - 300);
  auto first = store.takeChanges();
  EXPECT_TRUE(has(first, {"PEXPIREAT", redis_layout::roomHistoryKey("p", "r"), "1300"}));
  store.appendRoomMessage("p", "r", "ev1", {2, "ev2", "a", "2", 2000}, 10, 2000 - 300);
  auto second = store.takeChanges();
  EXPECT_TRUE(has(second, {"PEXPIREAT", redis_layout::roomHistoryKey("p", "r"), "2300"})) << "refreshed";
  for (const auto& command : first) {
    if (command[0].rfind("PEXPIRE", 0) == 0) {
      EXPECT_NE(command[1], redis_layout::roomStreamsKey("p"));
    }
  }
  // Expired by an event's time: the list goes, the stream is written again, not removed.
  EXPECT_EQ(store.expireRoomHistories("p", 2300), std::vector<std::string>{"r"});
  auto expired = store.takeChanges();
  EXPECT_TRUE(has(expired, {"DEL", redis_layout::roomHistoryKey("p", "r")}));
  EXPECT_FALSE(has(expired, {"HDEL", redis_layout::roomStreamsKey("p"), "r"}));
  EXPECT_EQ(store.roomStream("p", "r").offset, 2);
}

TEST(RedisStore, ClosingTheLastSessionOfAUidTakesItOffline) {
  RedisStore store;
  store.openSession({"c1", "p", "n1", "tok", {}, "ws", {}});
  store.bindSession("c1", "alice");
  EXPECT_TRUE(has(store.takeChanges(), {"SADD", redis_layout::onlineKey("p"), "alice"}));
  store.closeSession("c1");
  auto commands = store.takeChanges();
  EXPECT_TRUE(has(commands, {"SREM", redis_layout::onlineKey("p"), "alice"}));
  EXPECT_TRUE(has(commands, {"HDEL", redis_layout::sessionsKey("p"), "c1"}));
}

TEST(RedisStore, NothingChangedMeansNoCommands) {
  RedisStore store;
  store.putProject({"p", "P", 1, {}});
  store.takeChanges();
  EXPECT_FALSE(store.hasChanges());
  EXPECT_TRUE(store.takeChanges().empty());
}

TEST(RedisStore, LongListsAreSplitIntoSeveralCommands) {
  RedisStore store;
  for (int i = 0; i < 1500; ++i) store.pushInbox("p", "bob", {std::to_string(i), "a", "bob", "1", i, 100000});
  auto commands = store.takeChanges();
  ASSERT_EQ(commands.size(), 3u);  // two RPUSH and the expiry
  EXPECT_EQ(commands[0].size() + commands[1].size() - 4, 1500u);
}

TEST(RedisBatch, TheScriptCarriesTheEpochThenEachCommandWithItsLength) {
  auto call = batchScriptCall("e1", {{"HDEL", "k", "f"}, {"DEL", "k2"}});
  ASSERT_EQ(call.size(), 5u + 4u + 3u);
  EXPECT_EQ(call[0], "EVAL");
  EXPECT_EQ(call[3], std::string(redis_layout::kEpoch));
  EXPECT_EQ(call[4], "e1");
  EXPECT_EQ((RedisCommand(call.begin() + 5, call.end())), (RedisCommand{"3", "HDEL", "k", "f", "2", "DEL", "k2"}));
}

TEST(RedisLayout, KeysNameTheirProjectAndTheRest) {
  auto parts = redis_layout::parseKey(redis_layout::inboxKey("p_1", "uid:with:colons"), "inbox");
  ASSERT_TRUE(parts.has_value());
  EXPECT_EQ(parts->project, "p_1");
  EXPECT_EQ(parts->rest, "uid:with:colons");
  EXPECT_FALSE(redis_layout::parseKey("wsd:inbox:p:u", "inbox").has_value());
  EXPECT_FALSE(redis_layout::parseKey(redis_layout::roomsKey("p"), "inbox").has_value());
}

TEST(RedisLayout, AStoredMessageKeepsItsJsonMsg) {
  StoredMessage m{"id1", "a", "b", R"({"k":[1,2]})", 5, 9};
  auto decoded = redis_layout::decodeMessage(redis_layout::encodeMessage(m));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->msgJson, m.msgJson);
  EXPECT_EQ(decoded->expiresAt, 9);
}

}  // namespace
}  // namespace wsd::store
