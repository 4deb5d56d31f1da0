// The canonical form of the projections: Redis's key layout, a stable digest, and the
// key-by-key comparison verify reports.
#include "replay_log.h"
#include "replayer.h"
#include "snapshot_diff.h"
#include "store/memory_store.h"
#include "store/projection_snapshot.h"

namespace wsd::wslog {
namespace {

Snapshot storySnapshot() {
  store::MemoryStore state;
  Replayer replayer(state, ProjectorLimits{}, {});
  auto log = testing::storyLog();
  for (std::size_t i = 0; i < log.events.size(); ++i) replayer.apply(log.record(i));
  return snapshotOf(state, replayer.projects());
}

TEST(Snapshot, HoldsEveryProjectionUnderItsRedisKey) {
  auto s = storySnapshot();
  std::vector<std::string> keys;
  for (const auto& [key, value] : s) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"wsd:inbox:{demo}:dave", "wsd:mailwindow:{demo}", "wsd:nodes",
                                            "wsd:online:{demo}", "wsd:projects", "wsd:rooms:{demo}",
                                            "wsd:sessions:{demo}", "wsd:tokens:{demo}"}));
  EXPECT_EQ(
      s.at("wsd:projects").hash.at("demo"),
      R"({"name":"Demo","createdAt":100,"settings":{"signedBind":false,"allowedOrigins":[],)"
      R"("maxConnections":0,"offlineDelivery":"at_most_once","roomHistorySize":100,"roomHistoryTtl":86400,"secrets":[]}})");
  EXPECT_EQ(s.at("wsd:rooms:{demo}").hash.at("r1"), R"(["ca"])");
  EXPECT_EQ(s.at("wsd:mailwindow:{demo}").hash.at("tok"), "[111]");
  EXPECT_EQ(s.at("wsd:sessions:{demo}").hash.size(), 1u);
}

TEST(Snapshot, HoldsWebhooksUnderTheirRedisKey) {
  store::MemoryStore state;
  state.putProject({"demo", "Demo", 100, {}});
  state.putWebhook("demo", {"wh_1", "http://example.com/h", {"connect", "online"}, "s3cret", 200});
  auto s = snapshotOf(state, {"demo"});
  ASSERT_TRUE(s.contains("wsd:webhooks:{demo}"));
  EXPECT_EQ(s.at("wsd:webhooks:{demo}").hash.at("wh_1"),
            R"({"url":"http://example.com/h","events":["connect","online"],"secret":"s3cret","createdAt":200})");
}

TEST(Snapshot, HoldsRoomStreamsAndRetainedMessagesUnderTheirRedisKeys) {
  store::MemoryStore state;
  state.putProject({"demo", "Demo", 100, {}});
  state.appendRoomMessage("demo", "lobby", "ev1", {1, "ev1", "alice", R"({"t":"hi"})", 300}, 10, 0);
  state.appendRoomMessage("demo", "empty", "ev2", {1, "ev2", "bob", "1", 400}, 0, 0);
  auto s = snapshotOf(state, {"demo"});
  EXPECT_EQ(s.at("wsd:roomstreams:{demo}").hash.at("lobby"), R"({"offset":1,"epoch":"ev1"})");
  EXPECT_EQ(s.at("wsd:roomstreams:{demo}").hash.at("empty"), R"({"offset":1,"epoch":"ev2"})");
  EXPECT_EQ(s.at("wsd:roomhistory:{demo}:lobby").items,
            std::vector<std::string>{R"({"offset":1,"id":"ev1","from":"alice","msg":{"t":"hi"},"ts":300})"});
  EXPECT_FALSE(s.contains("wsd:roomhistory:{demo}:empty"));
}

TEST(Snapshot, TheSameStateGivesTheSameDigestAndAnotherStateAnother) {
  const auto digest = store::digestOf(storySnapshot());
  EXPECT_EQ(digest, store::digestOf(storySnapshot()));
  EXPECT_EQ(digest.size(), std::string("sha256:").size() + 64);
  auto changed = storySnapshot();
  changed["wsd:online:{demo}"].items.push_back("zed");
  EXPECT_NE(store::digestOf(changed), digest);
  EXPECT_EQ(store::digestOf({}), "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Snapshot, CanonicalLinesAreOneJsonObjectPerKey) {
  Snapshot s;
  s["wsd:inbox:{p}:u"] = KeyState{"list", {}, {R"({"id":"1"})"}, 5000};
  s["wsd:online:{p}"] = KeyState{"set", {}, {"a", "b"}, -1};
  EXPECT_EQ(canonicalLines(s),
            (std::vector<std::string>{
                R"({"key":"wsd:inbox:{p}:u","type":"list","value":["{\"id\":\"1\"}"],"expiresAt":5000})",
                R"({"key":"wsd:online:{p}","type":"set","value":["a","b"]})"}));
}

TEST(Snapshot, OnlyProjectionKeysAreCompared) {
  EXPECT_TRUE(store::isProjectionKey("wsd:projects"));
  EXPECT_TRUE(store::isProjectionKey("wsd:inbox:{p}:u"));
  EXPECT_FALSE(store::isProjectionKey("wsd:epoch"));
  EXPECT_FALSE(store::isProjectionKey("wsd:offsets:wsd.events"));
  EXPECT_FALSE(store::isProjectionKey("wsd:poll:{p}:c"));
  EXPECT_FALSE(store::isProjectionKey("wsd:poll-seen:{p}:c"));
  EXPECT_FALSE(store::isProjectionKey("wsd:poll-bytes:{p}:c"));
  EXPECT_FALSE(store::isProjectionKey("other:key"));
}

TEST(SnapshotDiff, EqualSnapshotsHaveNoDifferences) {
  EXPECT_TRUE(diffSnapshots(storySnapshot(), storySnapshot()).empty());
}

TEST(SnapshotDiff, ReportsEachDifferenceByKeyAndMember) {
  auto expected = storySnapshot();
  auto actual = expected;
  actual["wsd:online:{demo}"].items = {"alice", "ghost"};
  actual["wsd:projects"].hash["demo"] = R"({"name":"Tampered","createdAt":100})";
  actual.erase("wsd:rooms:{demo}");
  actual["wsd:inbox:{demo}:dave"].expiresAt = 1;
  actual["wsd:tokens:{demo}"].hash.erase("tok");
  using Kind = Difference::Kind;
  auto d = diffSnapshots(expected, actual);
  ASSERT_EQ(d.size(), 5u);
  EXPECT_EQ(d[0].key, "wsd:inbox:{demo}:dave");
  EXPECT_EQ(d[0].member, "(expiry)");
  EXPECT_EQ(d[1].key, "wsd:online:{demo}");
  EXPECT_EQ(d[1].kind, Kind::kUnexpected);
  EXPECT_EQ(d[1].member, "ghost");
  EXPECT_EQ(d[2].key, "wsd:projects");
  EXPECT_EQ(d[2].kind, Kind::kChanged);
  EXPECT_EQ(d[3].key, "wsd:rooms:{demo}");
  EXPECT_EQ(d[3].kind, Kind::kMissing);
  EXPECT_EQ(d[3].member, "");
  EXPECT_EQ(d[4].member, "tok");
  EXPECT_EQ(d[4].kind, Kind::kMissing);
  auto text = renderDifferences(d);
  EXPECT_NE(text.find("+ wsd:online:{demo} ghost: in Redis, not in the replay"), std::string::npos) << text;
  EXPECT_NE(text.find("- wsd:rooms:{demo}: in the replay, missing from Redis"), std::string::npos) << text;
  EXPECT_NE(text.find("~ wsd:projects demo: replay has"), std::string::npos) << text;
}

TEST(SnapshotDiff, ListsAreComparedItemByItem) {
  Snapshot e{{"wsd:inbox:{p}:u", KeyState{"list", {}, {"a", "b"}, 9}}};
  Snapshot a{{"wsd:inbox:{p}:u", KeyState{"list", {}, {"a", "c", "d"}, 9}}};
  auto d = diffSnapshots(e, a);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].member, "[1]");
  EXPECT_EQ(d[0].kind, Difference::Kind::kChanged);
  EXPECT_EQ(d[1].member, "[2]");
  EXPECT_EQ(d[1].kind, Difference::Kind::kUnexpected);
}

TEST(SnapshotDiff, KeysRedisHasAlreadyExpiredAreNotExpected) {
  Snapshot e{{"wsd:inbox:{p}:old", KeyState{"list", {}, {"a"}, 100}},
             {"wsd:inbox:{p}:new", KeyState{"list", {}, {"b"}, 200}},
             {"wsd:projects", KeyState{"hash", {{"p", "{}"}}, {}, -1}}};
  dropExpired(e, 100);
  EXPECT_FALSE(e.contains("wsd:inbox:{p}:old"));
  EXPECT_TRUE(e.contains("wsd:inbox:{p}:new"));
  EXPECT_TRUE(e.contains("wsd:projects"));
}

}  // namespace
}  // namespace wsd::wslog
