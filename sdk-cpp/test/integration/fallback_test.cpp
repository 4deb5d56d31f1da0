// Automatic fallback ws -> sse -> poll, made to happen for real: a proxy in front of wsd
// refuses WebSocket upgrades (and, for the second step, SSE streams) with a 403, as some
// corporate proxies do. A refusal that names a bad token ends the client instead.
#include "fixture.h"

namespace wsclient::test {
namespace {

using namespace std::chrono_literals;

class Fallback : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server.start()) << server.error();
    tenant = makeTenant(server);
    ASSERT_FALSE(tenant.token.empty()) << server.error();
  }

  // Connects through `proxy`, binds alice, and checks a message reaches her.
  void expectWorkingSessionOver(TcpProxy& proxy, TransportKind expected) {
    TestClient alice(fallbackOptions(proxy.url(), tenant));
    ASSERT_TRUE(alice.start("alice")) << server.log();
    {
      std::lock_guard lock(alice.recorder.mutex);
      EXPECT_EQ(alice.recorder.connected.at(0).transport, expected);
      EXPECT_TRUE(alice.recorder.disconnected.empty());  // fallback within a round is silent
    }
    TestClient bob(clientOptions(server.url(), tenant, TransportKind::kWebSocket));
    ASSERT_TRUE(bob.start("bob"));
    ASSERT_EQ((*bob).send("alice", jsonString("through the proxy")), SendStatus::kAccepted);
    ASSERT_TRUE(alice.recorder.waitUntil([&] { return !alice.recorder.directs.empty(); }));
  }

  WsdServer server;
  Tenant tenant;
};

TEST_F(Fallback, UsesSseWhenAProxyRefusesWebSocket) {
  TcpProxy proxy(server.port(), TcpProxy::Rules{true, {}});
  ASSERT_NO_FATAL_FAILURE(expectWorkingSessionOver(proxy, TransportKind::kSse));
  EXPECT_GE(proxy.refusals(), 1);
}

TEST_F(Fallback, UsesPollingWhenSseIsRefusedToo) {
  TcpProxy proxy(server.port(), TcpProxy::Rules{true, {"GET /sse"}});
  ASSERT_NO_FATAL_FAILURE(expectWorkingSessionOver(proxy, TransportKind::kPoll));
  EXPECT_GE(proxy.refusals(), 2);
}

TEST_F(Fallback, AReconnectStartsWithTheTransportThatWorked) {
  TcpProxy proxy(server.port(), TcpProxy::Rules{true, {}});
  Options o = fallbackOptions(proxy.url(), tenant);
  o.heartbeat.pingAfter = 300ms;
  o.heartbeat.deadAfter = 300ms;
  TestClient alice(o);
  ASSERT_TRUE(alice.start("alice"));
  const int upgradesBefore = proxy.upgrades();
  proxy.freeze();  // the SSE link dies; the next one is SSE at once
  ASSERT_TRUE(alice.recorder.waitUntil([&] { return alice.recorder.connected.size() >= 2; })) << server.log();
  std::lock_guard lock(alice.recorder.mutex);
  EXPECT_EQ(alice.recorder.connected.at(1).transport, TransportKind::kSse);
  EXPECT_EQ(proxy.upgrades(), upgradesBefore);
}

TEST_F(Fallback, ARefusedTokenClosesTheClientInsteadOfRetrying) {
  Tenant wrong{tenant.project, "not-a-token"};
  TestClient alice(fallbackOptions(server.url(), wrong));
  ASSERT_TRUE((*alice).connect().ok());
  ASSERT_TRUE((*alice).waitClosed(kPatience));
  std::lock_guard lock(alice.recorder.mutex);
  ASSERT_EQ(alice.recorder.disconnected.size(), 1U);
  const Disconnected& refused = alice.recorder.disconnected.at(0);
  EXPECT_EQ(refused.error, ErrorCode::kInvalidToken);
  EXPECT_EQ(refused.httpStatus, 401);
  EXPECT_FALSE(refused.willReconnect);
  EXPECT_FALSE(refused.wasConnected);
}

TEST_F(Fallback, AnUnknownProjectOverWebSocketAloneClosesTheClientNamingTheCode) {
  Tenant wrong{"no-such-project", tenant.token};
  TestClient alice(clientOptions(server.url(), wrong, TransportKind::kWebSocket));
  ASSERT_TRUE((*alice).connect().ok());
  ASSERT_TRUE((*alice).waitClosed(kPatience));
  std::lock_guard lock(alice.recorder.mutex);
  ASSERT_EQ(alice.recorder.disconnected.size(), 1U);
  EXPECT_EQ(alice.recorder.disconnected.at(0).httpStatus, 404);
  EXPECT_EQ(alice.recorder.disconnected.at(0).error, ErrorCode::kProjectNotFound);
  EXPECT_EQ(alice.recorder.disconnected.at(0).errorText, "project_not_found");
  EXPECT_FALSE(alice.recorder.disconnected.at(0).willReconnect);
}

}  // namespace
}  // namespace wsclient::test
