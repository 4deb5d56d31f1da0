// Heartbeats on each transport: the SDK answers the server's pings (mode=long), so wsd
// never closes the link with 4000; and a link that goes silent (a proxy freezes it, as a
// dead network path would) is detected by the SDK's own ping and replaced.
#include "fixture.h"

namespace wsclient::test {
namespace {

using namespace std::chrono_literals;

class ServerPings : public TransportTest {
 protected:
  // Two unanswered pings close a link: 0.4 s with these flags.
  std::vector<std::string> serverArgs() const override { return {"--heartbeat-interval", "0.2"}; }
};

TEST_P(ServerPings, AreAnsweredSoTheLinkStaysUp) {
  Options o = options();
  o.mode = Mode::kLong;
  o.heartbeat.pingAfter = 0ms;  // only the server's pings, none of our own
  TestClient alice(o);
  ASSERT_TRUE(alice.connect());
  // Eight pings take 1.6 s: four times what an unanswered link survives.
  ASSERT_TRUE(alice.recorder.waitUntil([&] { return alice.recorder.heartbeats.size() >= 8; })) << server->log();
  std::lock_guard lock(alice.recorder.mutex);
  EXPECT_TRUE(alice.recorder.disconnected.empty()) << alice.recorder.disconnected.at(0).reason;
  for (const auto& beat : alice.recorder.heartbeats) EXPECT_TRUE(beat.ping);
}

TEST_P(ServerPings, AreNotSentInShortMode) {
  Options longMode = options();
  longMode.heartbeat.pingAfter = 0ms;
  Options shortMode = longMode;
  shortMode.mode = Mode::kShort;
  TestClient pinged(longMode);
  TestClient quiet(shortMode);
  ASSERT_TRUE(quiet.connect());
  ASSERT_TRUE(pinged.connect());
  // While the long-mode client gets five pings, the short-mode one gets none.
  ASSERT_TRUE(pinged.recorder.waitUntil([&] { return pinged.recorder.heartbeats.size() >= 5; }));
  std::lock_guard lock(quiet.recorder.mutex);
  EXPECT_TRUE(quiet.recorder.heartbeats.empty());
  EXPECT_TRUE(quiet.recorder.disconnected.empty());
}

WSCLIENT_ALL_TRANSPORTS(ServerPings);

class DeadLink : public TransportTest {};

TEST_P(DeadLink, IsDetectedByTheSdksPingAndReplaced) {
  TcpProxy proxy(server->port(), {});
  Options o = clientOptions(proxy.url(), tenant, GetParam());
  o.mode = Mode::kShort;
  o.heartbeat.pingAfter = 300ms;
  o.heartbeat.deadAfter = 300ms;
  TestClient alice(o);
  ASSERT_TRUE(alice.start("alice"));
  proxy.freeze();
  // A WebSocket session cannot resume: wait for the new one's restored bind too (until it is
  // applied, wsd still delivers alice's messages to the frozen session it thinks alive).
  const std::size_t binds = GetParam() == TransportKind::kWebSocket ? 2 : 1;
  ASSERT_TRUE(alice.recorder.waitUntil([&] {
    return alice.recorder.connected.size() >= 2 && alice.recorder.binds.size() >= binds;
  })) << alice.recorder.summary();
  {
    std::lock_guard lock(alice.recorder.mutex);
    ASSERT_FALSE(alice.recorder.disconnected.empty());
    EXPECT_NE(alice.recorder.disconnected.at(0).reason.find("dead link"), std::string::npos);
    EXPECT_TRUE(alice.recorder.disconnected.at(0).willReconnect);
    EXPECT_TRUE(alice.recorder.connected.at(1).reconnected);
    // SSE and polling get the same server session back; a WebSocket session cannot resume.
    EXPECT_EQ(alice.recorder.connected.at(1).resumed, GetParam() != TransportKind::kWebSocket);
  }
  // The new link carries messages for alice again.
  auto bob = bound("bob");
  ASSERT_EQ((*bob)->send("alice", "1"), SendStatus::kAccepted);
  ASSERT_TRUE(alice.recorder.waitUntil([&] { return !alice.recorder.directs.empty(); }))
      << "alice: " << alice.recorder.summary() << "\nbob: " << bob->recorder.summary();
}

WSCLIENT_ALL_TRANSPORTS(DeadLink);

}  // namespace
}  // namespace wsclient::test
