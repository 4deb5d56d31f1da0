// The admin API's events carry exactly what schemas/events/project.*.json and token.*.json
// say, in the order the log has always held them.
#include "core/admin_events.h"

#include <gtest/gtest.h>

#include "core/json.h"
#include "event_schema_check.h"

namespace wsd {
namespace {

using AdminEvents = test::EventMakerTest;
using test::schemaProblem;

TEST_F(AdminEvents, ProjectCreateRecordsKeyAndName) {
  auto e = projectCreateEvent("acme", "Acme Inc", ctx());
  expectEnvelope(*e, EventType::kProjectCreate, "acme", "");
  EXPECT_EQ(json::stringify(e->data), R"({"key":"acme","name":"Acme Inc"})");
  EXPECT_EQ(schemaProblem(*e), "");
}

TEST_F(AdminEvents, ProjectDeleteRecordsTheKey) {
  auto e = projectDeleteEvent("acme", ctx());
  expectEnvelope(*e, EventType::kProjectDelete, "acme", "");
  EXPECT_EQ(json::stringify(e->data), R"({"key":"acme"})");
  EXPECT_EQ(schemaProblem(*e), "");
}

TEST_F(AdminEvents, ProjectUpdateRecordsTheSettingsAsAsked) {
  json::Document settings;
  ASSERT_TRUE(json::parse(settings, R"({"maxConnections":5,"allowedOrigins":["https://a.example"]})"));
  auto e = projectUpdateEvent("acme", settings, ctx());
  expectEnvelope(*e, EventType::kProjectUpdate, "acme", "");
  EXPECT_EQ(json::stringify(e->data),
            R"({"key":"acme","settings":{"maxConnections":5,"allowedOrigins":["https://a.example"]}})");
  EXPECT_EQ(schemaProblem(*e), "");
}

TEST_F(AdminEvents, ProjectSecretKeepsThePreviousSecretsValidForTheGrace) {
  auto e = projectSecretEvent("acme", "s3cr3t", 30000, ctx());
  expectEnvelope(*e, EventType::kProjectSecret, "acme", "");
  EXPECT_EQ(json::stringify(e->data), R"({"secret":"s3cr3t","previousValidUntil":1700000030000})");
  EXPECT_EQ(schemaProblem(*e), "");
}

TEST_F(AdminEvents, TokenIssueRecordsTokenExpiryAndCreation) {
  auto e = tokenIssueEvent("acme", {"t0k", 1700000060000, kNow}, ctx());
  expectEnvelope(*e, EventType::kTokenIssue, "acme", "");
  EXPECT_EQ(json::stringify(e->data), R"({"token":"t0k","expiresAt":1700000060000,"createdAt":1700000000000})");
  EXPECT_EQ(schemaProblem(*e), "");
}

TEST_F(AdminEvents, TokenThatNeverExpiresIsRecordedWithNullExpiry) {
  auto e = tokenIssueEvent("acme", {"t0k", std::nullopt, kNow}, ctx());
  EXPECT_EQ(json::stringify(e->data), R"({"token":"t0k","expiresAt":null,"createdAt":1700000000000})");
  EXPECT_EQ(schemaProblem(*e), "");
}

TEST_F(AdminEvents, TokenRevokeRecordsTheToken) {
  auto e = tokenRevokeEvent("acme", "t0k", ctx());
  expectEnvelope(*e, EventType::kTokenRevoke, "acme", "");
  EXPECT_EQ(json::stringify(e->data), R"({"token":"t0k"})");
  EXPECT_EQ(schemaProblem(*e), "");
}

TEST_F(AdminEvents, TokenUpdateRecordsTheNewExpiry) {
  auto e = tokenUpdateEvent("acme", "t0k", 1700000090000, ctx());
  expectEnvelope(*e, EventType::kTokenUpdate, "acme", "");
  EXPECT_EQ(json::stringify(e->data), R"({"token":"t0k","expiresAt":1700000090000})");
  EXPECT_EQ(schemaProblem(*e), "");
  auto never = tokenUpdateEvent("acme", "t0k", std::nullopt, ctx());
  EXPECT_EQ(json::stringify(never->data), R"({"token":"t0k","expiresAt":null})");
  EXPECT_EQ(schemaProblem(*never), "");
}

}  // namespace
}  // namespace wsd
