// What `wslog stats` counts: types, projects, uids, messages per minute, peak connections.
#include "stats.h"

#include "test_events.h"

namespace wsd::wslog {
namespace {

using testing::event;
using testing::Row;

constexpr std::int64_t kMinute = 60'000;
constexpr std::int64_t kT0 = 1'714'572'000'000;  // 2024-05-01T14:00:00Z

StatsReport aggregate(const std::vector<Row>& rows) {
  StatsAggregator stats;
  for (const auto& r : rows) stats.add(event(r));
  return stats.report();
}

const std::vector<Row> kTraffic = {
    {"conn.open", "p", "c1", kT0, R"({"token":"t"})"},
    {"uid.bind", "p", "c1", kT0 + 1, R"({"uid":"alice"})"},
    {"conn.open", "p", "c2", kT0 + 2, R"({"token":"t"})"},
    {"uid.bind", "p", "c2", kT0 + 3, R"({"uid":"bob"})"},
    {"conn.open", "q", "c3", kT0 + 4, R"({"token":"t"})"},
    {"message.direct", "p", "c1", kT0 + 5, R"({"from":"alice","to":"bob","msg":1})"},
    {"message.broadcast", "p", "c2", kT0 + 6, R"({"from":"bob","msg":1})"},
    {"conn.close", "p", "c2", kT0 + kMinute, R"({"code":1000,"reason":""})"},
    {"uid.bind", "p", "c1", kT0 + kMinute + 1, R"({"uid":"alice"})"},
    {"message.multicast", "p", "c1", kT0 + 2 * kMinute, R"({"from":"alice","to":["bob"],"msg":1})"},
    {"mail.request", "q", "", kT0 + 2 * kMinute + 1, R"({"token":"t","max":1,"windowMs":1})"},
};

TEST(Stats, CountsPerTypeAndProject) {
  auto r = aggregate(kTraffic);
  EXPECT_EQ(r.events, kTraffic.size());
  EXPECT_EQ(r.perType.at("conn.open"), 3u);
  EXPECT_EQ(r.perType.at("uid.bind"), 3u);
  EXPECT_EQ(r.perProject.at("p").events, 9u);
  EXPECT_EQ(r.perProject.at("p").messages, 3u);
  EXPECT_EQ(r.perProject.at("q").mailRequests, 1u);
  EXPECT_EQ(r.perProjectType.at({"p", "message.direct"}), 1u);
  EXPECT_EQ(r.firstTs, kT0);
  EXPECT_EQ(r.lastTs, kT0 + 2 * kMinute + 1);
}

TEST(Stats, ActiveUidsAreDistinctPerProject) {
  auto r = aggregate(kTraffic);
  EXPECT_EQ(r.perProject.at("p").uids, (std::set<std::string>{"alice", "bob"}));
  EXPECT_TRUE(r.perProject.at("q").uids.empty());
}

TEST(Stats, MessagesAreCountedPerMinute) {
  auto r = aggregate(kTraffic);
  const std::int64_t m0 = kT0 / kMinute;
  EXPECT_EQ(r.messagesPerMinute, (std::map<std::int64_t, std::uint64_t>{{m0, 2}, {m0 + 2, 1}}));
}

TEST(Stats, PeakConnectionsAreTheMostOpenAtOnce) {
  auto r = aggregate(kTraffic);
  EXPECT_EQ(r.connections.count, 3u);
  EXPECT_EQ(r.connections.at, kT0 + 4);
  EXPECT_EQ(r.perProject.at("p").connections.count, 2u);
  EXPECT_EQ(r.perProject.at("p").connections.at, kT0 + 2);
}

TEST(Stats, ANodeStartEndsThatNodesSessionsInItsProject) {
  auto r = aggregate({{"conn.open", "p", "c1", 1, R"({"token":"t"})", "gw1"},
                      {"node.start", "p", "", 2, "{}", "gw1"},
                      {"conn.open", "p", "c2", 3, R"({"token":"t"})", "gw1"},
                      {"conn.open", "p", "c3", 4, R"({"token":"t"})", "gw2"},
                      {"node.down", "p", "", 5, R"({"node":"gw2"})", "gw1"},
                      {"conn.open", "p", "c4", 6, R"({"token":"t"})", "gw1"}});
  EXPECT_EQ(r.connections.count, 2u);
  EXPECT_EQ(r.connections.at, 4);
}

TEST(Stats, RendersTablesWithTotalsAndTheBusiestMinute) {
  auto text = renderStats(aggregate(kTraffic), {true, true});
  EXPECT_NE(text.find("11 events from 2024-05-01T14:00:00.000Z to 2024-05-01T14:02:00.001Z"), std::string::npos);
  EXPECT_NE(text.find("peak connections: 3 at 2024-05-01T14:00:00.004Z"), std::string::npos);
  EXPECT_NE(text.find("messages per minute: mean 1.0 over 3 minute(s), peak 2 at 2024-05-01T14:00Z"),
            std::string::npos);
  EXPECT_NE(text.find("  total                  11\n"), std::string::npos) << text;
  EXPECT_NE(
      text.find("  p             9         3              0            2           2  2024-05-01T14:00:00.002Z\n"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("  p        message.broadcast       1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  2024-05-01T14:02Z         1\n"), std::string::npos) << text;
  EXPECT_EQ(renderStats(StatsReport{}, {}), "no events\n");
}

}  // namespace
}  // namespace wsd::wslog
