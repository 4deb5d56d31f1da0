// Bounded replays: by offset, "as of" a time, per partition; and what they remember.
#include "replayer.h"

#include "replay_log.h"
#include "snapshot_diff.h"
#include "store/memory_store.h"

namespace wsd::wslog {
namespace {

using testing::Log;
using testing::storyLog;

Snapshot replay(const Log& log, ReplayBound bound) {
  store::MemoryStore state;
  Replayer replayer(state, ProjectorLimits{}, std::move(bound));
  for (std::size_t i = 0; i < log.events.size(); ++i) {
    auto r = log.record(i);
    if (replayer.within(r)) replayer.apply(r);
  }
  return snapshotOf(state, replayer.projects());
}

std::vector<std::string> online(const Snapshot& s) {
  auto it = s.find("wsd:online:{demo}");
  return it == s.end() ? std::vector<std::string>{} : it->second.items;
}

TEST(Replayer, TheWholeLogEndsWithAliceOnlineAndDavesMessageStored) {
  auto s = replay(storyLog(), {});
  EXPECT_EQ(online(s), std::vector<std::string>{"alice"});
  ASSERT_TRUE(s.contains("wsd:inbox:{demo}:dave"));
  EXPECT_EQ(s.at("wsd:inbox:{demo}:dave").expiresAt, 10000);
  EXPECT_TRUE(s.contains("wsd:mailwindow:{demo}"));
  EXPECT_EQ(s.at("wsd:nodes").hash.at("n1"), "113");
}

TEST(Replayer, UntilAnOffsetAppliesTheRecordsBeforeIt) {
  auto s = replay(storyLog(), {Offsets{{0, 6}}, std::nullopt});
  EXPECT_EQ(online(s), (std::vector<std::string>{"alice", "bob"}));
  EXPECT_FALSE(s.contains("wsd:inbox:{demo}:dave"));
}

TEST(Replayer, AsOfATimeIncludesThatMillisecond) {
  EXPECT_EQ(online(replay(storyLog(), {std::nullopt, 111})), (std::vector<std::string>{"alice", "bob"}));
  EXPECT_EQ(online(replay(storyLog(), {std::nullopt, 112})), std::vector<std::string>{"alice"});
  EXPECT_TRUE(replay(storyLog(), {std::nullopt, 99}).empty());
}

TEST(Replayer, AsOfStopsEachPartitionAtItsFirstLaterEvent) {
  Log log;
  log.add({"project.create", "a", "", 10, R"({"key":"a","name":"A"})"}, 0);
  log.add({"project.create", "b", "", 11, R"({"key":"b","name":"B"})"}, 1);
  log.add({"project.create", "c", "", 30, R"({"key":"c","name":"C"})"}, 0);
  log.add({"project.create", "d", "", 15, R"({"key":"d","name":"D"})"}, 0);  // after a later one: not as of 20
  log.add({"project.create", "e", "", 20, R"({"key":"e","name":"E"})"}, 1);
  auto s = replay(log, {std::nullopt, 20});
  std::vector<std::string> keys;
  for (const auto& [key, value] : s.at("wsd:projects").hash) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"a", "b", "e"}));
}

TEST(Replayer, APartitionTheOffsetsDoNotNameContributesNothing) {
  Log log;
  log.add({"project.create", "a", "", 10, R"({"key":"a","name":"A"})"}, 0);
  log.add({"project.create", "b", "", 11, R"({"key":"b","name":"B"})"}, 1);
  auto s = replay(log, {Offsets{{1, 1}}, std::nullopt});
  EXPECT_EQ(s.at("wsd:projects").hash.size(), 1u);
  EXPECT_TRUE(s.at("wsd:projects").hash.contains("b"));
}

TEST(Replayer, RemembersWhereItStoppedAndWhatItSaw) {
  store::MemoryStore state;
  Replayer replayer(state, ProjectorLimits{}, {});
  auto log = storyLog();
  for (std::size_t i = 0; i < log.events.size(); ++i) replayer.apply(log.record(i));
  EXPECT_EQ(replayer.count(), log.events.size());
  EXPECT_EQ(replayer.applied(), (Offsets{{0, static_cast<std::int64_t>(log.events.size())}}));
  EXPECT_EQ(replayer.lastTs(), 113);
  EXPECT_EQ(replayer.projects(), (std::set<std::string>{"", "demo"}));
}

}  // namespace
}  // namespace wsd::wslog
