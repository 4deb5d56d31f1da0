// --project, --type, --uid, --since and --until, event by event.
#include "event_filter.h"

#include "test_events.h"

namespace wsd::wslog {
namespace {

using testing::event;
using testing::Row;

std::vector<bool> run(EventFilter& filter, const std::vector<Row>& rows) {
  std::vector<Event> events;
  events.reserve(rows.size());
  for (const auto& r : rows) events.push_back(event(r));
  if (filter.needsFirstPass()) {
    for (const auto& e : events) filter.learn(e);
  }
  std::vector<bool> out;
  out.reserve(events.size());
  for (const auto& e : events) out.push_back(filter.matches(e));
  return out;
}

TEST(TypeList, AcceptsNamesAndFamiliesAndRefusesUnknownOnes) {
  auto types = parseTypeList("message.*,uid.bind");
  ASSERT_TRUE(types.ok());
  EXPECT_TRUE(typeSelected(*types, "message.multicast"));
  EXPECT_TRUE(typeSelected(*types, "uid.bind"));
  EXPECT_FALSE(typeSelected(*types, "conn.open"));
  EXPECT_TRUE(typeSelected({}, "conn.open"));
  EXPECT_FALSE(parseTypeList("message.sent").ok());
  EXPECT_FALSE(parseTypeList("nothing.*").ok());
  EXPECT_FALSE(parseTypeList("").ok());
}

TEST(EventFilter, SelectsByProjectTypeAndHalfOpenTimeRange) {
  FilterSpec spec;
  spec.project = "p";
  spec.types = {"conn.*"};
  spec.since = 20;
  spec.until = 40;
  EventFilter filter(spec);
  EXPECT_EQ(run(filter, {{"conn.open", "p", "c1", 10, R"({"token":"t"})"},
                         {"conn.open", "p", "c2", 20, R"({"token":"t"})"},
                         {"uid.bind", "p", "c2", 30, R"({"uid":"u"})"},
                         {"conn.close", "q", "c3", 30, R"({"code":1000,"reason":""})"},
                         {"conn.close", "p", "c2", 39, R"({"code":1000,"reason":""})"},
                         {"conn.close", "p", "c1", 40, R"({"code":1000,"reason":""})"}}),
            (std::vector<bool>{false, true, false, false, true, false}));
}

TEST(EventFilter, UidTakesInItsConnectionsFromOpenToCloseAndWhatNamesIt) {
  FilterSpec spec;
  spec.uid = "bob";
  EventFilter filter(spec);
  ASSERT_TRUE(filter.needsFirstPass());
  EXPECT_EQ(run(filter, {{"conn.open", "p", "cb", 1, R"({"token":"t"})"},
                         {"conn.open", "p", "ca", 2, R"({"token":"t"})"},
                         {"uid.bind", "p", "ca", 3, R"({"uid":"alice"})"},
                         {"uid.bind", "p", "cb", 4, R"({"uid":"bob"})"},
                         {"message.direct", "p", "ca", 5, R"({"from":"alice","to":"bob","msg":1,"expiresAt":9})"},
                         {"message.multicast", "p", "ca", 6, R"({"from":"alice","to":["x","bob"],"msg":1})"},
                         {"message.direct", "p", "ca", 7, R"({"from":"alice","to":"carol","msg":1})"},
                         {"query.list", "p", "cb", 8},
                         {"signal.offer", "p", "ca", 9, R"({"roomId":"r","to":"bob","sdp":{}})"},
                         {"conn.close", "p", "cb", 10, R"({"code":1000,"reason":""})"},
                         {"conn.close", "p", "ca", 11, R"({"code":1000,"reason":""})"}}),
            (std::vector<bool>{true, false, false, true, true, true, false, true, true, true, false}));
}

TEST(EventFilter, UidTakesInTheNodeEventThatEndedItsSession) {
  FilterSpec spec;
  spec.uid = "bob";
  EventFilter filter(spec);
  EXPECT_EQ(run(filter, {{"conn.open", "p", "cb", 1, R"({"token":"t"})", "gw1"},
                         {"uid.bind", "p", "cb", 2, R"({"uid":"bob"})", "gw1"},
                         {"node.start", "q", "", 3, "{}", "gw1"},
                         {"node.down", "p", "", 4, R"({"node":"gw2"})", "gw3"},
                         {"node.down", "p", "", 5, R"({"node":"gw1"})", "gw3"},
                         {"node.start", "p", "", 6, "{}", "gw1"}}),
            (std::vector<bool>{true, true, false, false, true, false}));
}

}  // namespace
}  // namespace wsd::wslog
