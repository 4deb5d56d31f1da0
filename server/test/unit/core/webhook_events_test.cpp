// Webhook events carry exactly what schemas/events/webhook.*.json say, in the order the
// log has always held them.
#include "core/webhook_events.h"

#include <gtest/gtest.h>

#include "core/json.h"
#include "event_schema_check.h"

namespace wsd {
namespace {

using WebhookEvents = test::EventMakerTest;
using test::schemaProblem;

TEST_F(WebhookEvents, AddRecordsTheEndpointWithItsSecret) {
  store::WebhookRecord hook{"wh_1", "https://hooks.example/in", {"connect", "message"}, "shh", kNow};
  auto e = webhookAddEvent("acme", hook, ctx());
  expectEnvelope(*e, EventType::kWebhookAdd, "acme", "");
  EXPECT_EQ(json::stringify(e->data), R"({"id":"wh_1","url":"https://hooks.example/in",)"
                                      R"("events":["connect","message"],"secret":"shh","createdAt":1700000000000})");
  EXPECT_EQ(schemaProblem(*e), "");
}

TEST_F(WebhookEvents, RemoveRecordsTheHookId) {
  auto e = webhookRemoveEvent("acme", "wh_1", ctx());
  expectEnvelope(*e, EventType::kWebhookRemove, "acme", "");
  EXPECT_EQ(json::stringify(e->data), R"({"id":"wh_1"})");
  EXPECT_EQ(schemaProblem(*e), "");
}

TEST_F(WebhookEvents, DeliveredOutcomeRecordsAttemptsAndStatusWithoutError) {
  DeliveryReport report{"ev1.0.wh_1", "wh_1", "ev1", "message", "https://hooks.example/in", true, 2, 204, ""};
  auto e = webhookOutcomeEvent("acme", report, ctx());
  expectEnvelope(*e, EventType::kWebhookDelivered, "acme", "");
  EXPECT_EQ(json::stringify(e->data), R"({"delivery":"ev1.0.wh_1","hook":"wh_1","event":"ev1","type":"message",)"
                                      R"("url":"https://hooks.example/in","attempts":2,"status":204})");
  EXPECT_EQ(schemaProblem(*e), "");
}

TEST_F(WebhookEvents, FailedOutcomeRecordsTheLastError) {
  DeliveryReport report{
      "ev1.0.wh_1", "wh_1", "ev1", "message", "https://hooks.example/in", false, 5, 0, "Couldn't connect to server"};
  auto e = webhookOutcomeEvent("acme", report, ctx());
  expectEnvelope(*e, EventType::kWebhookFailed, "acme", "");
  EXPECT_EQ(json::stringify(e->data), R"({"delivery":"ev1.0.wh_1","hook":"wh_1","event":"ev1","type":"message",)"
                                      R"("url":"https://hooks.example/in","attempts":5,"status":0,)"
                                      R"("error":"Couldn't connect to server"})");
  EXPECT_EQ(schemaProblem(*e), "");
}

}  // namespace
}  // namespace wsd
