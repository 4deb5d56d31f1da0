// The admin API (POST/GET/PATCH/DELETE /project, POST /project/secret, POST/PATCH/DELETE
// /token) through the server's route table, on a real log, projector and pipeline: who is
// let in, when a change is answered, and what a refused request leaves behind (nothing).
#include "gateway/routes/admin_routes.h"

#include <gtest/gtest.h>

#include "../../log/recording_file_io.h"
#include "gateway_harness.h"

namespace wsd {
namespace {

using testing::codeOf;
using testing::GatewayHarness;
using testing::stringField;

TEST(AdminRoutes, EveryAdminPathRefusesAMissingOrWrongTokenWith401AndAppendsNothing) {
  GatewayHarness gateway;
  const std::vector<std::pair<std::string, std::string>> calls = {
      {"GET", "/project"},         {"POST", "/project"}, {"PATCH", "/project"}, {"DELETE", "/project"},
      {"POST", "/project/secret"}, {"POST", "/token"},   {"PATCH", "/token"},   {"DELETE", "/token"},
      {"PUT", "/project"},         {"GET", "/webhook"},  {"POST", "/webhook"},  {"GET", "/admin/state-snapshot"},
  };
  for (const auto& [method, path] : calls) {
    for (const std::optional<std::string>& bearer :
         {std::optional<std::string>{}, std::optional<std::string>{"wrong"}, std::optional<std::string>{""}}) {
      auto answer =
          gateway.answerTo(GatewayHarness::request(method, path, {}, R"({"key":"p","projectKey":"p"})", bearer));
      EXPECT_EQ(answer.status, 401) << method << " " << path;
      EXPECT_EQ(codeOf(answer), "unauthorized") << method << " " << path;
    }
  }
  EXPECT_EQ(gateway.applied(), 0U);
  EXPECT_TRUE(gateway.state().projects().empty());
}

TEST(AdminRoutes, AProjectIsAnsweredOnlyOnceItsEventIsApplied) {
  GatewayHarness gateway;
  auto create = GatewayHarness::request("POST", "/project", {}, R"({"key":"shop","name":"The shop"})");
  gateway.dispatch(*create);
  EXPECT_TRUE(create->answeredNow.empty());
  EXPECT_TRUE(create->answeredLater.given.empty());
  EXPECT_FALSE(gateway.state().project("shop"));

  gateway.applyCommitted();
  ASSERT_EQ(create->answeredLater.given.size(), 1U);
  const HttpResponse& answer = create->answeredLater.given.front().second;
  EXPECT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(stringField(answer, "key"), "shop");
  EXPECT_EQ(stringField(answer, "name"), "The shop");
  EXPECT_EQ(create->answeredLater.given.front().first, create->id());
  ASSERT_TRUE(gateway.state().project("shop"));
  EXPECT_EQ(gateway.state().project("shop")->name, "The shop");
  EXPECT_EQ(gateway.applied(), 1U);
}

TEST(AdminRoutes, AProjectWithoutANameIsNamedByItsKey) {
  GatewayHarness gateway;
  auto answer = gateway.answerTo(GatewayHarness::request("POST", "/project", {}, R"({"key":"plain"})"));
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(stringField(answer, "name"), "plain");
}

TEST(AdminRoutes, CreatingAProjectThatExistsIs409AndAppendsNothing) {
  GatewayHarness gateway;
  gateway.projectWithToken("shop");
  const auto before = gateway.applied();
  auto answer = gateway.answerTo(GatewayHarness::request("POST", "/project", {}, R"({"key":"shop"})"));
  EXPECT_EQ(answer.status, 409);
  EXPECT_EQ(codeOf(answer), "project_exists");
  EXPECT_EQ(gateway.applied(), before);
}

TEST(AdminRoutes, ABodyThatIsNotAnObjectOrBreaksItsSchemaIs400AndAppendsNothing) {
  GatewayHarness gateway;
  for (const char* body : {"", "[]", "{", "null", R"({"name":"no key"})", R"({"key":5})", R"({"key":""})"}) {
    auto answer = gateway.answerTo(GatewayHarness::request("POST", "/project", {}, body));
    EXPECT_EQ(answer.status, 400) << body;
    EXPECT_EQ(codeOf(answer), "bad_request") << body;
    EXPECT_FALSE(stringField(answer, "msg").value_or("").empty()) << body;
  }
  auto tooLarge = GatewayHarness::request("POST", "/project", {}, R"({"key":"big"})");
  tooLarge->mutableRequest().bodyTooLarge = true;
  EXPECT_EQ(gateway.answerTo(*tooLarge).status, 413);
  EXPECT_EQ(gateway.applied(), 0U);
  EXPECT_TRUE(gateway.state().projects().empty());
}

TEST(AdminRoutes, TheProjectListShowsEachProjectWithItsTokens) {
  GatewayHarness gateway;
  const std::string token = gateway.projectWithToken("shop");
  auto answer = gateway.answerTo(GatewayHarness::request("GET", "/project"));
  ASSERT_EQ(answer.status, 200);
  json::Document body;
  ASSERT_TRUE(json::parse(body, answer.body));
  const auto& projects = body["projects"];
  ASSERT_EQ(projects.Size(), 1U);
  EXPECT_EQ(json::string(projects[0], "key"), "shop");
  EXPECT_EQ(json::int64(projects[0], "connections"), 0);
  ASSERT_EQ(projects[0]["tokens"].Size(), 1U);
  EXPECT_EQ(json::string(projects[0]["tokens"][0], "token"), token);
}

TEST(AdminRoutes, ATokenIsIssuedUpdatedAndRevoked) {
  GatewayHarness gateway;
  const std::string token = gateway.projectWithToken("shop");
  ASSERT_EQ(token.size(), 40U);
  ASSERT_TRUE(gateway.state().token("shop", token));
  EXPECT_TRUE(gateway.state().token("shop", token)->expiresAt);  // the default lifetime

  auto updated = gateway.answerTo(GatewayHarness::request(
      "PATCH", "/token", {}, R"({"projectKey":"shop","token":")" + token + R"(","expiresAt":null})"));
  EXPECT_EQ(updated.status, 200) << updated.body;
  EXPECT_EQ(updated.body.find(R"("expiresAt":null)") != std::string::npos, true) << updated.body;
  EXPECT_FALSE(gateway.state().token("shop", token)->expiresAt);

  const std::vector<std::pair<std::string, std::string>> which = {{"projectKey", "shop"}, {"token", token}};
  EXPECT_EQ(gateway.answerTo(GatewayHarness::request("DELETE", "/token", which)).status, 200);
  EXPECT_FALSE(gateway.state().token("shop", token));
  auto again = gateway.answerTo(GatewayHarness::request("DELETE", "/token", which));
  EXPECT_EQ(again.status, 404);
  EXPECT_EQ(codeOf(again), "token_not_found");
}

TEST(AdminRoutes, AnExpiryGivenInSecondsIsReadAsSecondsAndOneInMillisecondsAsIs) {
  GatewayHarness gateway;
  gateway.projectWithToken("shop");
  auto inSeconds = gateway.answerTo(
      GatewayHarness::request("POST", "/token", {}, R"({"projectKey":"shop","expiresAt":2000000000})"));
  EXPECT_NE(inSeconds.body.find(R"("expiresAt":2000000000000)"), std::string::npos) << inSeconds.body;
  auto inMs = gateway.answerTo(
      GatewayHarness::request("POST", "/token", {}, R"({"projectKey":"shop","expiresAt":2000000000123})"));
  EXPECT_NE(inMs.body.find(R"("expiresAt":2000000000123)"), std::string::npos) << inMs.body;
}

TEST(AdminRoutes, ChangesNamingAnUnknownProjectOrTokenAre404AndAppendNothing) {
  GatewayHarness gateway;
  gateway.projectWithToken("shop");
  const auto before = gateway.applied();
  std::vector<GatewayHarness::Refusal> cases;
  cases.push_back(
      {GatewayHarness::request("POST", "/token", {}, R"({"projectKey":"nope"})"), 404, "project_not_found"});
  cases.push_back({GatewayHarness::request("DELETE", "/project", {{"key", "nope"}}), 404, "project_not_found"});
  cases.push_back({GatewayHarness::request("PATCH", "/project", {}, R"({"key":"nope","settings":{"signedBind":true}})"),
                   404, "project_not_found"});
  cases.push_back(
      {GatewayHarness::request("POST", "/project/secret", {}, R"({"key":"nope"})"), 404, "project_not_found"});
  cases.push_back({GatewayHarness::request("DELETE", "/token", {{"projectKey", "shop"}, {"token", "nope"}}), 404,
                   "token_not_found"});
  cases.push_back(
      {GatewayHarness::request("PATCH", "/token", {}, R"({"projectKey":"shop","token":"nope","expiresAt":null})"), 404,
       "token_not_found"});
  gateway.expectRefusals(cases);
  EXPECT_EQ(gateway.applied(), before);
}

TEST(AdminRoutes, ASettingsChangeIsAnsweredWithTheProjectAsTheLogMadeIt) {
  GatewayHarness gateway;
  gateway.projectWithToken("shop");
  auto answer = gateway.answerTo(
      GatewayHarness::request("PATCH", "/project", {}, R"({"key":"shop","settings":{"signedBind":true}})"));
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_NE(answer.body.find(R"("signedBind":true)"), std::string::npos) << answer.body;
  EXPECT_TRUE(gateway.state().project("shop")->settings.signedBind);
  auto unknown = gateway.answerTo(
      GatewayHarness::request("PATCH", "/project", {}, R"({"key":"shop","settings":{"colour":"red"}})"));
  EXPECT_EQ(unknown.status, 400) << unknown.body;
}

TEST(AdminRoutes, ARequiredQueryParameterLeftOutIs400) {
  GatewayHarness gateway;
  EXPECT_EQ(gateway.answerTo(GatewayHarness::request("DELETE", "/project")).status, 400);
  EXPECT_EQ(gateway.answerTo(GatewayHarness::request("DELETE", "/token", {{"projectKey", "shop"}})).status, 400);
  EXPECT_EQ(gateway.applied(), 0U);
}

TEST(AdminRoutes, DeletingAProjectRemovesItAndItsTokens) {
  GatewayHarness gateway;
  const std::string token = gateway.projectWithToken("shop");
  EXPECT_EQ(gateway.answerTo(GatewayHarness::request("DELETE", "/project", {{"key", "shop"}})).status, 200);
  EXPECT_FALSE(gateway.state().project("shop"));
  EXPECT_FALSE(gateway.state().token("shop", token));
  auto list = gateway.answerTo(GatewayHarness::request("GET", "/project"));
  EXPECT_NE(list.body.find(R"("projects":[])"), std::string::npos) << list.body;
}

TEST(AdminRoutes, ARotatedSecretIsShownOnceAndTheOldOneStaysValidForItsGrace) {
  GatewayHarness gateway;
  gateway.projectWithToken("shop");
  auto first = gateway.answerTo(GatewayHarness::request("POST", "/project/secret", {}, R"({"key":"shop"})"));
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(stringField(first, "secret").value_or("").size(), 64U);
  EXPECT_NE(first.body.find(R"("previousValidUntil":null)"), std::string::npos) << first.body;
  auto second =
      gateway.answerTo(GatewayHarness::request("POST", "/project/secret", {}, R"({"key":"shop","graceSeconds":60})"));
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_NE(stringField(second, "secret"), stringField(first, "secret"));
  EXPECT_EQ(second.body.find(R"("previousValidUntil":null)"), std::string::npos) << second.body;
  const auto secrets = gateway.state().project("shop")->settings.validSecrets(wallClockMs());
  EXPECT_EQ(secrets.size(), 2U);
}

TEST(AdminRoutes, AMethodAnAdminPathDoesNotTakeIs405ForTheAdmin) {
  GatewayHarness gateway;
  auto answer = gateway.answerTo(GatewayHarness::request("PUT", "/project", {}, R"({"key":"shop"})"));
  EXPECT_EQ(answer.status, 405);
  EXPECT_EQ(codeOf(answer), "method_not_allowed");
  EXPECT_EQ(gateway.applied(), 0U);
}

TEST(AdminRoutes, AChangeTheLogCannotWriteIsAnswered503AndChangesNothing) {
  log::testing::RecordingFileIo disk;  // outlives the gateway, whose log closes through it
  disk.failWritesTo = "00000000000000000000.log";
  GatewayHarness gateway(testing::routeTestOptions(), &disk);
  auto answer = gateway.answerTo(GatewayHarness::request("POST", "/project", {}, R"({"key":"shop"})"));
  EXPECT_EQ(answer.status, 503);
  EXPECT_EQ(codeOf(answer), "log_unavailable");
  EXPECT_FALSE(gateway.state().project("shop"));
  EXPECT_EQ(gateway.applied(), 0U);
}

}  // namespace
}  // namespace wsd
