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

// Holds what it is sent until written(); close() only marks it closing.
class QuietSession final : public Session {
 public:
  QuietSession(std::string conn, std::string project, Transport transport = Transport::kWebSocket,
               Mode mode = Mode::kShort)
      : Session(SessionIdentity{std::move(conn), std::move(project), "t", transport, mode, {}},
                RateLimiter(1000, 1000)) {}
  void enqueue(server_message::Text message) override {
    holdMessage(message->size());
    held_.push_back(std::move(message));
  }
  void close(int, const std::string&) override {
    closing = true;
    needTicks();
  }
  void written() {
    for (const auto& m : held_) releaseMessage(m->size());
    held_.clear();
  }

 private:
  std::vector<server_message::Text> held_;
};

class SessionRegistryTest : public ::testing::Test {
 protected:
  QuietSession& add(const std::string& conn, const std::string& project = "p",
                    Transport transport = Transport::kWebSocket, Mode mode = Mode::kShort) {
    return static_cast<QuietSession&>(*sessions.add(std::make_unique<QuietSession>(conn, project, transport, mode)));
  }
  // The conns the tick visits now, sorted.
  std::vector<std::string> ticked() {
    std::vector<std::string> conns;
    sessions.forEachTicking([&](Session& s) { conns.push_back(s.conn()); });
    std::sort(conns.begin(), conns.end());
    return conns;
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

TEST_F(SessionRegistryTest, TheTickVisitsNoIdleWebSocketSession) {
  for (int i = 0; i < 100; ++i) add("c" + std::to_string(i));
  EXPECT_TRUE(ticked().empty());
  EXPECT_EQ(sessions.tickingCount(), 0U);
}

TEST_F(SessionRegistryTest, TheTickAlwaysVisitsLongModeSseAndPollingSessions) {
  add("idle");
  add("long", "p", Transport::kWebSocket, Mode::kLong);
  add("sse", "p", Transport::kSse);
  add("poll", "p", Transport::kPoll);
  EXPECT_EQ(ticked(), (Conns{"long", "poll", "sse"}));
  EXPECT_EQ(ticked(), (Conns{"long", "poll", "sse"}));
}

TEST_F(SessionRegistryTest, ASessionHoldingOutputIsTickedUntilItIsWritten) {
  QuietSession& s = add("a");
  add("b");
  s.send(std::make_shared<const std::string>(R"({"type":"direct","from":"x","msg":"hi"})"));
  EXPECT_EQ(ticked(), Conns{"a"});
  EXPECT_EQ(ticked(), Conns{"a"});
  s.written();
  EXPECT_EQ(ticked(), Conns{"a"});  // the tick that finds it drained lets it go
  EXPECT_TRUE(ticked().empty());
  s.send(std::make_shared<const std::string>(R"({"type":"direct","from":"x","msg":"again"})"));
  EXPECT_EQ(ticked(), Conns{"a"});
}

TEST_F(SessionRegistryTest, AClosingSessionIsTickedAndARemovedOneNever) {
  QuietSession& s = add("a");
  s.close(1000, "bye");
  EXPECT_EQ(ticked(), Conns{"a"});
  sessions.remove("a");
  EXPECT_TRUE(ticked().empty());
  // What it is still given after it left (its last words) does not bring it back.
  s.send(std::make_shared<const std::string>(R"({"type":"closed","code":1000,"reason":"bye"})"));
  EXPECT_TRUE(ticked().empty());
}

TEST_F(SessionRegistryTest, ASessionEndedDuringTheTickIsNotVisited) {
  add("a", "p", Transport::kSse);
  add("b", "p", Transport::kSse);
  std::vector<std::string> visited;
  sessions.forEachTicking([&](Session& s) {
    visited.push_back(s.conn());
    sessions.remove(s.conn() == "a" ? "b" : "a");
  });
  EXPECT_EQ(visited.size(), 1U);
}

}  // namespace
}  // namespace wsd
