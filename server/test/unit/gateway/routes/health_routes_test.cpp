// The operator's endpoints through the server's route table: /healthz says the process
// serves, /readyz names whichever backend is not reachable, /metrics speaks Prometheus'
// text format. None asks for the admin token, and none takes a method other than GET and
// HEAD.
#include "gateway/routes/health_routes.h"

#include <gtest/gtest.h>

#include "gateway_harness.h"

namespace wsd {
namespace {

using testing::codeOf;
using testing::GatewayHarness;
using testing::stringField;

TEST(HealthRoutes, HealthzAnswersOkWithoutTheAdminToken) {
  GatewayHarness gateway;
  for (const char* method : {"GET", "HEAD"}) {
    auto answer = gateway.answerTo(GatewayHarness::request(method, "/healthz", {}, "", std::nullopt));
    EXPECT_EQ(answer.status, 200) << method;
    EXPECT_EQ(answer.body, R"({"status":"ok"})");
  }
}

TEST(HealthRoutes, ReadyzIsOkWhileEveryCheckPassesAnd503NamingTheOneThatFails) {
  GatewayHarness gateway;
  auto ready = gateway.answerTo(GatewayHarness::request("GET", "/readyz", {}, "", std::nullopt));
  EXPECT_EQ(ready.status, 200) << ready.body;
  EXPECT_EQ(stringField(ready, "status"), "ok");
  EXPECT_NE(ready.body.find(R"("log":"ok")"), std::string::npos) << ready.body;

  std::string redisProblem = "connection refused";
  gateway.ctx().metrics.probes.push_back({"redis", [&redisProblem] { return redisProblem; }});
  auto notReady = gateway.answerTo(GatewayHarness::request("GET", "/readyz", {}, "", std::nullopt));
  EXPECT_EQ(notReady.status, 503) << notReady.body;
  EXPECT_EQ(stringField(notReady, "status"), "error");
  EXPECT_EQ(codeOf(notReady), "not_ready");
  EXPECT_EQ(stringField(notReady, "msg"), "redis: connection refused");
  EXPECT_NE(notReady.body.find(R"("log":"ok")"), std::string::npos) << notReady.body;

  redisProblem.clear();  // Redis answers again
  EXPECT_EQ(gateway.answerTo(GatewayHarness::request("GET", "/readyz", {}, "", std::nullopt)).status, 200);
}

TEST(HealthRoutes, MetricsAreInPrometheusTextFormatAndCountWhatHappened) {
  GatewayHarness gateway;
  gateway.projectWithToken("shop");
  auto answer = gateway.answerTo(GatewayHarness::request("GET", "/metrics", {}, "", std::nullopt));
  ASSERT_EQ(answer.status, 200);
  EXPECT_EQ(answer.contentType.rfind("text/plain", 0), 0U) << answer.contentType;
  EXPECT_NE(answer.body.find("# TYPE wsd_connections gauge\n"), std::string::npos);
  EXPECT_NE(answer.body.find("wsd_connections{transport=\"ws\"} 0\n"), std::string::npos) << answer.body;
  EXPECT_NE(answer.body.find("# TYPE wsd_connections_opened_total counter\n"), std::string::npos);
  EXPECT_NE(answer.body.find("wsd_inbox_messages 0\n"), std::string::npos);
}

TEST(HealthRoutes, AnotherMethodIs405AndChangesNothing) {
  GatewayHarness gateway;
  for (const char* path : {"/healthz", "/readyz", "/metrics"}) {
    auto answer = gateway.answerTo(GatewayHarness::request("POST", path, {}, "{}", std::nullopt));
    EXPECT_EQ(answer.status, 405) << path;
    EXPECT_EQ(codeOf(answer), "method_not_allowed") << path;
  }
  EXPECT_EQ(gateway.applied(), 0U);
}

}  // namespace
}  // namespace wsd
