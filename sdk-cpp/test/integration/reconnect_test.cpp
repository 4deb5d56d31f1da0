// Reconnection on each transport: after a server restart (same data dir, same port) both
// clients come back, re-bind and re-join their rooms, and every message queued while the
// server was down arrives once, in order. A server-side revocation closes for good.
#include "closed_port.h"
#include "fixture.h"

namespace wsclient::test {
namespace {

using namespace std::chrono_literals;

class Reconnect : public TransportTest {};

TEST_P(Reconnect, AfterAServerRestartNothingQueuedIsLost) {
  auto alice = bound("alice");
  auto bob = bound("bob");
  server->stop();
  for (TestClient* c : {alice.get(), bob.get()}) {
    ASSERT_TRUE(c->recorder.waitUntil([c] { return !c->recorder.disconnected.empty(); }));
  }
  constexpr int kMessages = 30;
  for (int i = 0; i < kMessages; ++i) ASSERT_EQ((*alice)->send("bob", std::to_string(i)), SendStatus::kAccepted);
  EXPECT_EQ((*alice)->queued(), static_cast<std::size_t>(kMessages));
  ASSERT_TRUE(server->restart()) << server->error();
  ASSERT_TRUE(bob->recorder.waitUntil([&] { return bob->recorder.directs.size() >= kMessages; }, 20s)) << server->log();
  ASSERT_TRUE(alice->recorder.waitUntil([&] { return alice->recorder.sendSuccesses.size() >= kMessages; }));
  std::scoped_lock lock(alice->recorder.mutex, bob->recorder.mutex);
  ASSERT_EQ(bob->recorder.directs.size(), static_cast<std::size_t>(kMessages));
  for (int i = 0; i < kMessages; ++i) EXPECT_EQ(bob->recorder.directs[i].msg, std::to_string(i)) << "message " << i;
  ASSERT_GE(alice->recorder.connected.size(), 2U);
  EXPECT_TRUE(alice->recorder.connected.back().reconnected);
  EXPECT_FALSE(alice->recorder.connected.back().resumed);  // a new server process: a new session
  EXPECT_TRUE(alice->recorder.disconnected.at(0).willReconnect);
  EXPECT_EQ((*alice)->queued(), 0U);
}

TEST_P(Reconnect, RejoinsRoomsOnTheNewSession) {
  auto alice = bound("alice");
  ASSERT_EQ((*alice)->joinRoom("r1"), SendStatus::kAccepted);
  ASSERT_TRUE(alice->recorder.waitUntil([&] { return !alice->recorder.rooms.empty(); }));
  ASSERT_TRUE(server->restart()) << server->error();
  ASSERT_TRUE(alice->recorder.waitUntil([&] { return alice->recorder.connected.size() >= 2; }));
  // The SDK re-binds and re-joins by itself: bob finds alice in r1.
  ASSERT_TRUE(alice->recorder.waitUntil([&] { return alice->recorder.rooms.size() >= 2; }));
  auto bob = bound("bob");
  ASSERT_EQ((*bob)->joinRoom("r1"), SendStatus::kAccepted);
  ASSERT_TRUE(bob->recorder.waitUntil([&] { return !bob->recorder.rooms.empty(); }));
  std::scoped_lock lock(alice->recorder.mutex, bob->recorder.mutex);
  EXPECT_EQ(alice->recorder.binds.size(), 2U);
  EXPECT_EQ(bob->recorder.rooms.at(0).members, (std::vector<std::string>{"alice", "bob"}));
}

TEST_P(Reconnect, ARevokedTokenClosesTheClientForGood) {
  auto alice = bound("alice");
  ASSERT_TRUE(server->revokeToken(tenant.project, tenant.token));
  ASSERT_TRUE((*alice)->waitClosed(kPatience));
  std::lock_guard lock(alice->recorder.mutex);
  ASSERT_EQ(alice->recorder.disconnected.size(), 1U);
  const Disconnected& gone = alice->recorder.disconnected.at(0);
  EXPECT_EQ(gone.code, 1008);
  EXPECT_EQ(gone.reason, "token_revoked");
  EXPECT_FALSE(gone.willReconnect);
  EXPECT_EQ(alice->recorder.states.back(), State::kClosed);
  EXPECT_EQ((*alice)->send("bob", "1"), SendStatus::kClosed);
}

WSCLIENT_ALL_TRANSPORTS(Reconnect);

TEST(ReconnectLimits, GiveUpAfterMaxAttempts) {
  const ClosedPort nobodyThere;
  Options o = clientOptions(nobodyThere.url(), Tenant{"app", "t"}, TransportKind::kWebSocket);
  o.reconnect.maxAttempts = 2;
  TestClient alice(o);
  ASSERT_TRUE((*alice).connect().ok());
  ASSERT_TRUE((*alice).waitClosed(kPatience));
  std::lock_guard lock(alice.recorder.mutex);
  ASSERT_EQ(alice.recorder.disconnected.size(), 3U);
  EXPECT_TRUE(alice.recorder.disconnected[0].willReconnect);
  EXPECT_TRUE(alice.recorder.disconnected[1].willReconnect);
  EXPECT_FALSE(alice.recorder.disconnected[2].willReconnect);
  EXPECT_FALSE(alice.recorder.disconnected[2].wasConnected);
  EXPECT_EQ(alice.recorder.disconnected[2].error, ErrorCode::kConnectionFailed);
  EXPECT_TRUE(alice.recorder.connected.empty());
}

}  // namespace
}  // namespace wsclient::test
