// The story of a room or a uid: which events belong to it, and what each line says.
#include "timeline.h"

#include "replay_log.h"
#include "replayer.h"
#include "store/memory_store.h"

namespace wsd::wslog {
namespace {

std::vector<std::string> tell(const testing::Log& log, const TimelineSpec& spec) {
  TimelineSelector selector(spec);
  for (const auto& e : log.events) selector.learn(e);
  store::MemoryStore state;
  Replayer replayer(state, ProjectorLimits{}, {});
  TimelineRenderer renderer(false);
  std::vector<std::string> lines;
  for (std::size_t i = 0; i < log.events.size(); ++i) {
    auto effects = replayer.apply(log.record(i));
    renderer.follow(log.events[i]);
    if (selector.matches(log.events[i])) lines.push_back(renderer.line(log.record(i), effects));
  }
  return lines;
}

std::vector<std::string> types(const std::vector<std::string>& lines) {
  std::vector<std::string> out;
  for (const auto& l : lines) {
    auto start = l.find("  ", l.find("  ") + 2) + 2;
    out.push_back(l.substr(start, l.find("  ", start) - start));
  }
  return out;
}

TEST(Timeline, ARoomsStoryIsItsMembersLivesAndItsSignaling) {
  auto lines = tell(testing::storyLog(), {"demo", "r1", std::nullopt, std::nullopt, std::nullopt});
  EXPECT_EQ(types(lines), (std::vector<std::string>{"conn.open", "uid.bind", "conn.open", "uid.bind", "room.create",
                                                    "room.join", "signal.offer", "signal.ice", "conn.close"}));
  EXPECT_EQ(
      lines[6],
      "1970-01-01T00:00:00.109Z  9  signal.offer  ca (alice)  offer to bob in r1, sdp 28 bytes  => delivered to 1 "
      "connection(s)\n");
  EXPECT_NE(lines[7].find("ice to carol in r1, end of candidates  => error target_not_in_room"), std::string::npos)
      << lines[7];
  EXPECT_NE(lines[5].find("=> members: alice, bob"), std::string::npos) << lines[5];
  EXPECT_NE(lines[8].find("bob offline"), std::string::npos) << lines[8];
}

TEST(Timeline, AUidsStoryIncludesWhatWasSentToIt) {
  auto lines = tell(testing::storyLog(), {"demo", std::nullopt, "dave", std::nullopt, std::nullopt});
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("message.direct  ca (alice)  alice to dave  => stored (recipient offline)"),
            std::string::npos)
      << lines[0];
}

TEST(Timeline, TheTimeRangeNarrowsTheStory) {
  auto lines = tell(testing::storyLog(), {"demo", "r1", std::nullopt, 108, 110});
  EXPECT_EQ(types(lines), (std::vector<std::string>{"room.join", "signal.offer"}));
}

TEST(Timeline, DescribesAndJudgesAMailRequest) {
  auto log = testing::storyLog();
  store::MemoryStore state;
  Replayer replayer(state, ProjectorLimits{}, {});
  Effects effects;
  for (std::size_t i = 0; i < log.events.size(); ++i) {
    auto fx = replayer.apply(log.record(i));
    if (log.events[i].type == EventType::kMailRequest) {
      EXPECT_EQ(describe(log.events[i]), "to x@y.z, limit 1 per 60 s");
      EXPECT_EQ(outcome(log.events[i], fx), "accepted (1/1 in the window)");
    }
  }
}

}  // namespace
}  // namespace wsd::wslog
