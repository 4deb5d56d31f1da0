// Requests waiting for a session or bind this gateway has not applied yet: whether one
// waits, and when it is resumed. Requests are fake handles (never handed to the network).
#include "gateway/cluster/awaited_sessions.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "store/memory_store.h"

namespace wsd {
namespace {

using Need = AwaitedSessions::Need;

// Stand-ins for connections: only compared, never used.
lws* request(int n) { return reinterpret_cast<lws*>(static_cast<std::uintptr_t>(0x1000 * n)); }

store::SessionRecord record(const std::string& conn, const std::string& uid = "") {
  return {conn, "p", "node-b", "t", uid, "poll", {}};
}

class AwaitedSessionsTest : public ::testing::Test {
 protected:
  void wait(int n, const std::string& conn, Need need) {
    awaited.wait(request(n), conn, need, 1000, [this](lws* resumedRequest) { resumed.push_back(resumedRequest); });
  }

  AwaitedSessions awaited;
  store::MemoryStore state;
  std::vector<lws*> resumed;
};

TEST_F(AwaitedSessionsTest, ARequestWaitsForASessionNotSeenEndingAndForAnyBind) {
  EXPECT_TRUE(awaited.worthAwaiting("c1", Need::kSession));
  EXPECT_TRUE(awaited.worthAwaiting("c1", Need::kBoundUid));
}

TEST_F(AwaitedSessionsTest, ASessionSeenEndingIsNotWaitedForButItsBindStillIs) {
  awaited.sessionEnded("c1", 1000);
  EXPECT_FALSE(awaited.worthAwaiting("c1", Need::kSession));
  EXPECT_TRUE(awaited.worthAwaiting("c1", Need::kBoundUid));
  EXPECT_TRUE(awaited.worthAwaiting("c2", Need::kSession));
}

TEST_F(AwaitedSessionsTest, AnEndIsRememberedForAMinuteOnly) {
  awaited.sessionEnded("c1", 1000);
  awaited.tick(1000 + AwaitedSessions::kEndedMemoryMs - 1);
  EXPECT_FALSE(awaited.worthAwaiting("c1", Need::kSession));
  awaited.tick(1000 + AwaitedSessions::kEndedMemoryMs);
  EXPECT_TRUE(awaited.worthAwaiting("c1", Need::kSession));
}

TEST_F(AwaitedSessionsTest, ARequestResumesOnceItsSessionIsApplied) {
  wait(1, "c1", Need::kSession);
  awaited.onApplied(state);
  EXPECT_TRUE(resumed.empty());
  state.openSession(record("c1"));
  awaited.onApplied(state);
  EXPECT_EQ(resumed, std::vector<lws*>{request(1)});
  awaited.onApplied(state);
  EXPECT_EQ(resumed.size(), 1u) << "resumed twice";
}

TEST_F(AwaitedSessionsTest, ARequestWaitingForABindResumesOnceTheSessionIsBoundOrGone) {
  state.openSession(record("c1"));
  state.openSession(record("c2"));
  wait(1, "c1", Need::kBoundUid);
  wait(2, "c2", Need::kBoundUid);
  awaited.onApplied(state);
  EXPECT_TRUE(resumed.empty());
  state.bindSession("c1", "alice");
  state.closeSession("c2");
  awaited.onApplied(state);
  EXPECT_EQ(resumed, (std::vector<lws*>{request(1), request(2)}));
}

TEST_F(AwaitedSessionsTest, ARequestWhoseConnectionWentAwayIsNeverResumed) {
  wait(1, "c1", Need::kSession);
  wait(2, "c1", Need::kSession);
  awaited.release(request(1));
  state.openSession(record("c1"));
  awaited.onApplied(state);
  EXPECT_EQ(resumed, std::vector<lws*>{request(2)});
}

}  // namespace
}  // namespace wsd
