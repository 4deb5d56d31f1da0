// What most integration tests start from: a real wsd with a tenant, options for a client
// of one transport (short reconnect delays, so tests stay quick), and a client paired with
// its Recorder. Tests parametrised over transports use TransportTest.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "recorder.h"
#include "tcp_proxy.h"
#include "wsd_server.h"

namespace wsclient::test {

// A Client and what it reported. The recorder outlives the client (declared first).
struct TestClient {
  explicit TestClient(const Options& options) : client(std::make_unique<Client>(options, recorder.handlers())) {}
  // connect() and wait for the session.
  bool connect();
  // bind(uid) and wait for its bind_success.
  bool bind(const std::string& uid);
  // connect() + bind(uid).
  bool start(const std::string& uid) { return connect() && bind(uid); }
  Client& operator*() { return *client; }
  Client* operator->() { return client.get(); }

  Recorder recorder;
  std::unique_ptr<Client> client;
};

// Options for `url` and `tenant` over `transport` alone; reconnects in 50-400 ms.
Options clientOptions(const std::string& url, const Tenant& tenant, TransportKind transport);
// The same, with the full fallback list ws, sse, poll.
Options fallbackOptions(const std::string& url, const Tenant& tenant);

// A test with its own wsd and tenant, and its transport as the parameter.
class TransportTest : public ::testing::TestWithParam<TransportKind> {
 protected:
  // Extra wsd flags for a suite (e.g. a fast heartbeat); call before SetUp runs.
  virtual std::vector<std::string> serverArgs() const { return {}; }
  void SetUp() override;

  Options options() const { return clientOptions(server->url(), tenant, GetParam()); }
  std::unique_ptr<TestClient> newClient() const { return std::make_unique<TestClient>(options()); }
  // A client of this test's transport, connected and bound to `uid`.
  std::unique_ptr<TestClient> bound(const std::string& uid) const;

  std::unique_ptr<WsdServer> server;
  Tenant tenant;
};

std::string transportName(const ::testing::TestParamInfo<TransportKind>& info);

#define WSCLIENT_ALL_TRANSPORTS(Suite)                                                                              \
  INSTANTIATE_TEST_SUITE_P(Transports, Suite,                                                                       \
                           ::testing::Values(TransportKind::kWebSocket, TransportKind::kSse, TransportKind::kPoll), \
                           transportName)

}  // namespace wsclient::test
