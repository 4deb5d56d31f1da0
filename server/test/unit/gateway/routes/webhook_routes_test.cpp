// The webhook admin API (POST/GET/DELETE /webhook) through the server's route table, on a
// real log, projector and pipeline: the secret is shown once, the list never shows it,
// and a refused request appends nothing.
#include "gateway/routes/webhook_routes.h"

#include <gtest/gtest.h>

#include "gateway_harness.h"

namespace wsd {
namespace {

using testing::codeOf;
using testing::GatewayHarness;
using testing::stringField;

std::string addBody(const std::string& extra = "") {
  return R"({"projectKey":"shop","url":"https://hooks.example/wsd","events":["online","offline","online"])" + extra +
         "}";
}

TEST(WebhookRoutes, AWebhookIsAddedWithItsSecretShownOnceAndListedWithoutIt) {
  GatewayHarness gateway;
  gateway.projectWithToken("shop");
  auto added = gateway.answerTo(GatewayHarness::request("POST", "/webhook", {}, addBody()));
  ASSERT_EQ(added.status, 200) << added.body;
  const std::string id = stringField(added, "id").value_or("");
  EXPECT_EQ(id.rfind("wh_", 0), 0U) << id;
  const std::string secret = stringField(added, "secret").value_or("");
  EXPECT_EQ(secret.size(), 64U);
  EXPECT_NE(added.body.find(R"("events":["offline","online"])"), std::string::npos) << added.body;

  auto listed = gateway.answerTo(GatewayHarness::request("GET", "/webhook", {{"projectKey", "shop"}}));
  ASSERT_EQ(listed.status, 200);
  EXPECT_NE(listed.body.find(id), std::string::npos) << listed.body;
  EXPECT_EQ(listed.body.find("secret"), std::string::npos) << listed.body;
  EXPECT_EQ(listed.body.find(secret), std::string::npos) << listed.body;
}

TEST(WebhookRoutes, ASecretTheAdminGivesIsTheOneKept) {
  GatewayHarness gateway;
  gateway.projectWithToken("shop");
  auto added = gateway.answerTo(
      GatewayHarness::request("POST", "/webhook", {}, addBody(R"(,"secret":"a-secret-of-the-admin")")));
  ASSERT_EQ(added.status, 200) << added.body;
  EXPECT_EQ(stringField(added, "secret"), "a-secret-of-the-admin");
  ASSERT_EQ(gateway.state().webhooks("shop").size(), 1U);
  EXPECT_EQ(gateway.state().webhooks("shop").front().secret, "a-secret-of-the-admin");
}

TEST(WebhookRoutes, ARemovedWebhookIsGoneAndRemovingItAgainIs404) {
  GatewayHarness gateway;
  gateway.projectWithToken("shop");
  const std::string id =
      stringField(gateway.answerTo(GatewayHarness::request("POST", "/webhook", {}, addBody())), "id").value_or("");
  const std::vector<std::pair<std::string, std::string>> which = {{"projectKey", "shop"}, {"id", id}};
  EXPECT_EQ(gateway.answerTo(GatewayHarness::request("DELETE", "/webhook", which)).status, 200);
  EXPECT_TRUE(gateway.state().webhooks("shop").empty());
  auto again = gateway.answerTo(GatewayHarness::request("DELETE", "/webhook", which));
  EXPECT_EQ(again.status, 404);
  EXPECT_EQ(codeOf(again), "webhook_not_found");
}

TEST(WebhookRoutes, BadRequestsAreRefusedWithTheirCodeAndAppendNothing) {
  GatewayHarness gateway;
  gateway.projectWithToken("shop");
  const auto before = gateway.applied();
  std::vector<GatewayHarness::Refusal> cases;
  cases.push_back({GatewayHarness::request("POST", "/webhook", {}, "[1]"), 400, "bad_request"});
  cases.push_back(
      {GatewayHarness::request("POST", "/webhook", {}, R"({"projectKey":"shop","url":"ftp://x","events":["online"]})"),
       400, "bad_request"});
  cases.push_back({GatewayHarness::request("POST", "/webhook", {},
                                           R"({"projectKey":"shop","url":"https://x","events":["everything"]})"),
                   400, "bad_request"});
  cases.push_back(
      {GatewayHarness::request("POST", "/webhook", {}, R"({"projectKey":"shop","url":"https://x","events":[]})"), 400,
       "bad_request"});
  cases.push_back(
      {GatewayHarness::request("POST", "/webhook", {}, addBody(R"(,"secret":"short")")), 400, "bad_request"});
  cases.push_back({GatewayHarness::request("POST", "/webhook", {},
                                           R"({"projectKey":"nope","url":"https://x","events":["online"]})"),
                   404, "project_not_found"});
  cases.push_back({GatewayHarness::request("GET", "/webhook"), 400, "bad_request"});
  cases.push_back({GatewayHarness::request("GET", "/webhook", {{"projectKey", "nope"}}), 404, "project_not_found"});
  cases.push_back({GatewayHarness::request("DELETE", "/webhook", {{"projectKey", "shop"}}), 400, "bad_request"});
  cases.push_back({GatewayHarness::request("DELETE", "/webhook", {{"projectKey", "shop"}, {"id", "wh_nope"}}), 404,
                   "webhook_not_found"});
  gateway.expectRefusals(cases);
  EXPECT_EQ(gateway.applied(), before);
  EXPECT_TRUE(gateway.state().webhooks("shop").empty());
}

}  // namespace
}  // namespace wsd
