// What `wslog report` draws: messages per minute by type, connections and uids online per
// minute (presence as wsd's Projector decides it), top senders, mail and webhook outcomes.
#include "report_data.h"

#include "replayer.h"
#include "store/memory_store.h"
#include "test_events.h"

namespace wsd::wslog {
namespace {

using testing::Log;
using testing::Row;

constexpr std::int64_t kMinute = 60'000;
constexpr std::int64_t kT0 = 1'714'572'000'000;  // 2024-05-01T14:00:00Z, minute 28576200
constexpr std::int64_t kM0 = kT0 / kMinute;

ReportData fold(const std::vector<Row>& rows) {
  Log log;
  for (const auto& r : rows) log.add(r);
  store::MemoryStore state;
  Replayer replayer(state, ProjectorLimits{}, {});
  ReportAggregator report;
  for (std::size_t i = 0; i < log.events.size(); ++i) report.add(log.events[i], replayer.apply(log.record(i)));
  return report.data();
}

const std::vector<Row> kTraffic = {
    {"project.create", "p", "", kT0, R"({"key":"p","name":"P"})"},
    {"token.issue", "p", "", kT0, R"({"token":"t","expiresAt":null})"},
    {"conn.open", "p", "c1", kT0 + 1, R"({"transport":"ws","mode":"short","token":"t"})"},
    {"uid.bind", "p", "c1", kT0 + 2, R"({"uid":"alice"})"},
    {"conn.open", "p", "c2", kT0 + 3, R"({"transport":"ws","mode":"short","token":"t"})"},
    {"uid.bind", "p", "c2", kT0 + 4, R"({"uid":"bob"})"},
    {"conn.open", "p", "c3", kT0 + 5, R"({"transport":"ws","mode":"short","token":"t"})"},
    {"uid.bind", "p", "c3", kT0 + 6, R"({"uid":"alice"})"},  // alice's second session: still one uid online
    {"message.direct", "p", "c1", kT0 + 7, R"({"from":"alice","to":"bob","msg":1})"},
    {"message.direct", "p", "c3", kT0 + 8, R"({"from":"alice","to":"bob","msg":2})"},
    {"message.broadcast", "p", "c2", kT0 + 9, R"({"from":"bob","msg":1})"},
    {"conn.close", "p", "c2", kT0 + kMinute, R"({"code":1000,"reason":""})"},
    {"conn.close", "p", "c1", kT0 + kMinute + 1, R"({"code":1000,"reason":""})"},
    {"message.direct", "p", "c3", kT0 + 2 * kMinute, R"({"from":"alice","to":"bob","msg":3,"expiresAt":1})"},
    {"mail.accepted", "p", "", kT0 + 2 * kMinute + 1, R"({"request":"r1"})"},
    {"mail.sent", "p", "", kT0 + 2 * kMinute + 2, R"({"request":"r1"})"},
    {"mail.rejected", "p", "", kT0 + 2 * kMinute + 3, R"({"request":"r2","reason":"rate_limited"})"},
};

TEST(ReportData, CountsMessagesPerMinuteByType) {
  const auto d = fold(kTraffic);
  EXPECT_EQ(d.messages, 4u);
  EXPECT_EQ(d.messagesPerMinute.at("message.direct"), (MinuteCounts{{kM0, 2}, {kM0 + 2, 1}}));
  EXPECT_EQ(d.messagesPerMinute.at("message.broadcast"), (MinuteCounts{{kM0, 1}}));
}

TEST(ReportData, ConnectionsPerMinuteAreTheMostOpenAtOnceInEachMinuteThatChanged) {
  const auto d = fold(kTraffic);
  // Three open in the first minute; the second starts at three and ends at one.
  EXPECT_EQ(d.connectionsPerMinute, (MinuteCounts{{kM0, 3}, {kM0 + 1, 3}}));
  EXPECT_EQ(d.peakConnections, 3u);
}

TEST(ReportData, UidsOnlineFollowThePresenceTransitionsOfTheProjector) {
  const auto d = fold(kTraffic);
  // alice (two sessions) and bob; bob goes, alice keeps one session.
  EXPECT_EQ(d.onlinePerMinute, (MinuteCounts{{kM0, 2}, {kM0 + 1, 2}}));
  EXPECT_EQ(d.peakOnline, 2u);
  EXPECT_EQ(d.uids, (std::set<std::string>{"p/alice", "p/bob"}));
}

TEST(ReportData, TopSendersAreTheUidsWithTheMostMessagesMostFirst) {
  const auto d = fold(kTraffic);
  EXPECT_EQ(topSenders(d, 10), (std::vector<std::pair<std::string, std::uint64_t>>{{"p/alice", 3}, {"p/bob", 1}}));
  EXPECT_EQ(topSenders(d, 1).size(), 1u);
}

TEST(ReportData, CountsMailAndWebhookOutcomes) {
  auto rows = kTraffic;
  rows.push_back({"webhook.delivered", "p", "", kT0 + 3 * kMinute, R"({"delivery":"d1","hook":"wh_1","status":200})"});
  rows.push_back({"webhook.failed", "p", "", kT0 + 3 * kMinute, R"({"delivery":"d2","hook":"wh_1","error":"x"})"});
  const auto d = fold(rows);
  EXPECT_EQ(d.mailOutcomes, (std::map<std::string, std::uint64_t>{{"accepted", 1}, {"rejected", 1}, {"sent", 1}}));
  EXPECT_EQ(d.webhookOutcomes, (std::map<std::string, std::uint64_t>{{"delivered", 1}, {"failed", 1}}));
}

TEST(ReportData, SpansTheLogsTimesAndNamesItsProjects) {
  const auto d = fold(kTraffic);
  EXPECT_EQ(d.events, kTraffic.size());
  EXPECT_EQ(d.firstTs, kT0);
  EXPECT_EQ(d.lastTs, kT0 + 2 * kMinute + 3);
  EXPECT_EQ(d.projects, (std::set<std::string>{"p"}));
}

TEST(ReportData, AnEmptyLogHasNothing) {
  const auto d = fold({});
  EXPECT_EQ(d.events, 0u);
  EXPECT_TRUE(d.messagesPerMinute.empty());
  EXPECT_TRUE(d.connectionsPerMinute.empty());
}

}  // namespace
}  // namespace wsd::wslog
