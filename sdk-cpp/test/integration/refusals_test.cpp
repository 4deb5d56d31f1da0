// A refused connection names the server's code and message on every transport: a wrong
// token, an expired one and an unknown project close the client for good with the code in
// Disconnected (over WebSocket too, whose refused upgrade hides its body: the transport
// asks the plain GET of /ws for it, docs/protocol.md "Connecting").
#include <chrono>

#include "fixture.h"

namespace wsclient::test {
namespace {

using namespace std::chrono_literals;

long long pastMs() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return std::chrono::duration_cast<std::chrono::milliseconds>(now).count() - 60000;
}

class Refusals : public TransportTest {
 protected:
  // Connects as `who` and returns the one Disconnected the refusal caused.
  Disconnected refusedAs(const Tenant& who) {
    TestClient client(clientOptions(server->url(), who, GetParam()));
    EXPECT_TRUE((*client).connect().ok());
    EXPECT_TRUE((*client).waitClosed(20s)) << server->log();
    std::lock_guard lock(client.recorder.mutex);
    EXPECT_EQ(client.recorder.disconnected.size(), 1U);
    EXPECT_TRUE(client.recorder.connected.empty());
    return client.recorder.disconnected.empty() ? Disconnected{} : client.recorder.disconnected.front();
  }
};

TEST_P(Refusals, AWrongTokenNamesInvalidTokenAndTheServersMessage) {
  const Disconnected refused = refusedAs(Tenant{tenant.project, "not-a-token"});
  EXPECT_EQ(refused.error, ErrorCode::kInvalidToken);
  EXPECT_EQ(refused.errorText, "invalid_token");
  EXPECT_EQ(refused.httpStatus, 401);
  EXPECT_FALSE(refused.message.empty());
  EXPECT_FALSE(refused.willReconnect);
}

TEST_P(Refusals, AnExpiredTokenNamesTokenExpired) {
  const std::string expired = server->createToken(tenant.project, pastMs());
  ASSERT_FALSE(expired.empty()) << server->error();
  const Disconnected refused = refusedAs(Tenant{tenant.project, expired});
  EXPECT_EQ(refused.error, ErrorCode::kTokenExpired);
  EXPECT_EQ(refused.errorText, "token_expired");
  EXPECT_EQ(refused.httpStatus, 401);
  EXPECT_FALSE(refused.message.empty());
}

TEST_P(Refusals, AnUnknownProjectNamesProjectNotFound) {
  const Disconnected refused = refusedAs(Tenant{"no-such-project", tenant.token});
  EXPECT_EQ(refused.error, ErrorCode::kProjectNotFound);
  EXPECT_EQ(refused.errorText, "project_not_found");
  EXPECT_EQ(refused.httpStatus, 404);
  EXPECT_NE(refused.message.find("no-such-project"), std::string::npos) << refused.message;
}

WSCLIENT_ALL_TRANSPORTS(Refusals);

}  // namespace
}  // namespace wsclient::test
