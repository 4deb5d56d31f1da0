// The registry's per-project index: a project-wide delivery visits only the sessions it
// may reach, so presence in a big project costs nothing per session that unsubscribed,
// and the index stays right as sessions come, go and change their filters.
#include "gateway/sessions/session_registry.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

namespace wsd {
namespace {

class QuietSession final : public Session {
 public:
  QuietSession(std::string conn, std::string project)
      : Session(SessionIdentity{std::move(conn), std::move(project), "t", Transport::kWebSocket, Mode::kShort, {}},
                RateLimiter(1000, 1000)) {}
  void enqueue(server_message::Text) override {}
  void close(int, const std::string&) override { closing = true; }
};

class SessionRegistryTest : public ::testing::Test {
 protected:
  Session& add(const std::string& conn, const std::string& project = "p") {
    return *sessions.add(std::make_unique<QuietSession>(conn, project));
  }
  // The conns a delivery of `kind` to project `project` visits, sorted.
  std::vector<std::string> reached(FilterMask kind, const std::string& project = "p") {
    std::vector<std::string> conns;
    sessions.forEachReached(project, kind, [&](Session& s) { conns.push_back(s.conn()); });
    std::sort(conns.begin(), conns.end());
    return conns;
  }

  SessionRegistry sessions;
};

using Conns = std::vector<std::string>;

TEST_F(SessionRegistryTest, APresenceNoticeVisitsOnlyTheSessionsThatWantIt) {
  for (int i = 0; i < 100; ++i) {
    Session& s = add("c" + std::to_string(i));
    if (i != 42) sessions.refilter(s, filter_kind::kOnline | filter_kind::kOffline);
  }
  EXPECT_EQ(reached(filter_kind::kOnline), Conns{"c42"});
  EXPECT_EQ(reached(filter_kind::kOffline), Conns{"c42"});
  EXPECT_EQ(reached(filter_kind::kBroadcast).size(), 100U);
}

TEST_F(SessionRegistryTest, ADeliveryNoFilterStopsReachesEverySessionOfTheProject) {
  Session& a = add("a");
  add("b");
  add("x", "other");
  sessions.refilter(a, filter_kind::kOnline | filter_kind::kOffline | filter_kind::kBroadcast |
                           filter_kind::kRoomMemberJoined | filter_kind::kRoomMemberLeft);
  EXPECT_EQ(reached(filter_kind::kNone), (Conns{"a", "b"}));
  EXPECT_EQ(reached(filter_kind::kBroadcast), Conns{"b"});
  EXPECT_EQ(sessions.countInProject("p"), 2U);
}

TEST_F(SessionRegistryTest, SubscribingAgainMakesTheSessionReachableAgain) {
  Session& a = add("a");
  sessions.refilter(a, filter_kind::kOnline);
  EXPECT_TRUE(reached(filter_kind::kOnline).empty());
  EXPECT_EQ(a.unsubscribed(), filter_kind::kOnline);
  sessions.refilter(a, filter_kind::kOffline);
  EXPECT_EQ(reached(filter_kind::kOnline), Conns{"a"});
  EXPECT_TRUE(reached(filter_kind::kOffline).empty());
  sessions.refilter(a, filter_kind::kNone);
  EXPECT_EQ(reached(filter_kind::kOffline), Conns{"a"});
}

TEST_F(SessionRegistryTest, TheIndexStaysRightAsSessionsLeaveFromAnywhereInIt) {
  for (const char* conn : {"a", "b", "c", "d", "e"}) add(conn);
  sessions.remove("a");  // the first: the last takes its place
  sessions.refilter(*sessions.find("e"), filter_kind::kOnline);
  sessions.remove("c");
  sessions.refilter(*sessions.find("b"), filter_kind::kOnline);
  sessions.refilter(*sessions.find("e"), filter_kind::kNone);
  EXPECT_EQ(reached(filter_kind::kNone), (Conns{"b", "d", "e"}));
  EXPECT_EQ(reached(filter_kind::kOnline), (Conns{"d", "e"}));
  EXPECT_EQ(reached(filter_kind::kOffline), (Conns{"b", "d", "e"}));
  sessions.remove("d");
  sessions.remove("b");
  sessions.remove("e");
  EXPECT_TRUE(reached(filter_kind::kNone).empty());
  EXPECT_EQ(sessions.countInProject("p"), 0U);
}

TEST_F(SessionRegistryTest, ASessionEndedDuringAVisitIsNotVisitedAfterwards) {
  for (const char* conn : {"a", "b", "c"}) add(conn);
  std::vector<std::string> visited;
  sessions.forEachReached("p", filter_kind::kNone, [&](Session& s) {
    visited.push_back(s.conn());
    // The first visited ends the others, as an output budget over its limit may.
    if (visited.size() == 1) {
      for (const char* conn : {"a", "b", "c"}) {
        if (s.conn() != conn) sessions.remove(conn);
      }
    }
  });
  EXPECT_EQ(visited.size(), 1U);
  EXPECT_EQ(sessions.countInProject("p"), 1U);
}

TEST_F(SessionRegistryTest, AProjectWithoutSessionsIsReachedByNothing) {
  add("a", "other");
  EXPECT_TRUE(reached(filter_kind::kNone).empty());
  EXPECT_EQ(sessions.countInProject("p"), 0U);
}

}  // namespace
}  // namespace wsd
