// A live wsd's state snapshot read back, and the replay's shortfall against its position.
#include "live_state.h"

#include <gtest/gtest.h>

namespace wsd::wslog {
namespace {

constexpr const char* kAnswer =
    R"({"status":"success","node":"node-1","log":"embedded","offsets":{"0":42},"applied":42,)"
    R"("limits":{"maxInbox":5,"maxRoomsPerConn":3},"digest":"sha256:00",)"
    R"("keys":[{"key":"wsd:online:{demo}","type":"set","value":["bob","alice"]},)"
    R"({"key":"wsd:inbox:{demo}:dave","type":"list","value":["m1","m2"],"expiresAt":1000},)"
    R"({"key":"wsd:projects","type":"hash","value":{"demo":"{}"}}]})";

TEST(LiveState, ReadsThePositionLimitsAndEveryKey) {
  auto live = parseLiveState(kAnswer);
  ASSERT_TRUE(live.ok()) << live.error().message;
  EXPECT_EQ(live->node, "node-1");
  EXPECT_EQ(live->logName, "embedded");
  EXPECT_EQ(live->offsets, (Offsets{{0, 42}}));
  EXPECT_EQ(live->applied, 42u);
  EXPECT_EQ(live->limits.inboxMax, 5u);
  EXPECT_EQ(live->limits.roomsPerConn, 3u);
  ASSERT_EQ(live->snapshot.size(), 3u);
  EXPECT_EQ(live->snapshot.at("wsd:online:{demo}").items, (std::vector<std::string>{"alice", "bob"}));  // sorted
  EXPECT_EQ(live->snapshot.at("wsd:inbox:{demo}:dave").expiresAt, 1000);
  EXPECT_EQ(live->snapshot.at("wsd:projects").hash.at("demo"), "{}");
}

TEST(LiveState, ReadsBackWhatTheCanonicalWriterWrote) {
  auto live = parseLiveState(kAnswer);
  ASSERT_TRUE(live.ok());
  rapidjson::StringBuffer buffer;
  json::Writer w(buffer);
  store::writeEntries(w, live->snapshot);
  json::Document doc;
  ASSERT_TRUE(json::parse(doc, {buffer.GetString(), buffer.GetSize()}));
  auto again = store::readEntries(doc);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, live->snapshot);
}

TEST(LiveState, RefusesAnAnswerOfTheWrongShapeNamingWhatIsWrong) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"[]", "is not a JSON object"},
      {R"({"log":"embedded","applied":1,"limits":{"maxInbox":1,"maxRoomsPerConn":1},"keys":[]})", "no offsets"},
      {R"({"log":"embedded","applied":1,"offsets":{"x":1},"limits":{"maxInbox":1,"maxRoomsPerConn":1},"keys":[]})",
       "bad offset entry 'x'"},
      {R"({"log":"embedded","applied":1,"offsets":{},"keys":[]})", "no limits"},
      {R"({"log":"embedded","applied":1,"offsets":{},"limits":{"maxInbox":1,"maxRoomsPerConn":1},)"
       R"("keys":[{"key":"k","type":"set","value":"x"}]})",
       "k: a value does not match its type 'set'"},
      {R"({"log":"embedded","applied":1,"offsets":{},"limits":{"maxInbox":1,"maxRoomsPerConn":1},)"
       R"("keys":[{"key":"k","type":"string","value":"a"},{"key":"k","type":"string","value":"b"}]})",
       "k appears twice"},
  };
  for (const auto& [body, problem] : cases) {
    auto live = parseLiveState(body);
    ASSERT_FALSE(live.ok()) << body;
    EXPECT_EQ(live.error().code, "bad_snapshot");
    EXPECT_NE(live.error().message.find(problem), std::string::npos) << live.error().message;
  }
}

TEST(LiveState, AReplayThatReachedThePositionFallsShortOfNothing) {
  EXPECT_TRUE(positionShortfalls({{0, 10}}, {{0, 10}}, false).empty());
  EXPECT_TRUE(positionShortfalls({}, {}, false).empty());
}

TEST(LiveState, AShortReplayIsToldPerPartitionWithTheRecordsMissing) {
  EXPECT_EQ(positionShortfalls({{0, 10}}, {{0, 7}}, false),
            (std::vector<std::string>{
                "the log: the log read here ends at offset 7, the live state reflects 0..9 (3 record(s) missing)"}));
  EXPECT_EQ(positionShortfalls({{0, 4}, {1, 2}}, {{0, 4}}, true),
            (std::vector<std::string>{"partition 1: the log read here ends at offset 0, the live state reflects 0..1 "
                                      "(2 record(s) missing)"}));
}

}  // namespace
}  // namespace wsd::wslog
