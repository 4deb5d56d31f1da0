#include "fixture.h"

namespace wsclient::test {

using namespace std::chrono_literals;

bool TestClient::connect() {
  if (!client->connect().ok()) return false;
  return recorder.waitUntil([this] { return !recorder.connected.empty(); });
}

bool TestClient::bind(const std::string& uid) {
  if (client->bind(uid) != SendStatus::kAccepted) return false;
  return recorder.waitUntil([&] {
    for (const auto& b : recorder.binds) {
      if (b.uid == uid) return true;
    }
    return false;
  });
}

Options clientOptions(const std::string& url, const Tenant& tenant, TransportKind transport) {
  Options options = fallbackOptions(url, tenant);
  options.transports = {transport};
  return options;
}

Options fallbackOptions(const std::string& url, const Tenant& tenant) {
  Options options;
  options.url = url;
  options.project = tenant.project;
  options.token = tenant.token;
  options.connectTimeout = 5s;
  options.requestTimeout = 5s;
  options.reconnect.initialDelay = 50ms;
  options.reconnect.maxDelay = 400ms;
  return options;
}

void TransportTest::SetUp() {
  server = std::make_unique<WsdServer>(serverArgs());
  ASSERT_TRUE(server->start()) << server->error();
  tenant = makeTenant(*server);
  ASSERT_FALSE(tenant.token.empty()) << server->error();
}

std::unique_ptr<TestClient> TransportTest::bound(const std::string& uid) const {
  auto client = newClient();
  EXPECT_TRUE(client->start(uid)) << "client " << uid << " over " << toString(GetParam())
                                  << " did not connect and bind; wsd said:\n"
                                  << server->log();
  return client;
}

std::string transportName(const ::testing::TestParamInfo<TransportKind>& info) { return toString(info.param); }

}  // namespace wsclient::test
