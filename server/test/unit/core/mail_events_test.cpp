// A mail's events carry exactly what schemas/events/mail.*.json say, in the order the log
// has always held them; the mailer's name the request they answer.
#include "core/mail_events.h"

#include <gtest/gtest.h>

#include "core/json.h"
#include "event_schema_check.h"

namespace wsd {
namespace {

using MailEvents = test::EventMakerTest;
using test::schemaProblem;

mail::MailRequest aMail() {
  return {"noreply@acme.example", "Acme", {"a@example.com", "b@example.com"}, "Hi", "text", "<p>html</p>"};
}

TEST_F(MailEvents, RequestRecordsTokenLimitAndTheWholeMail) {
  auto e = mailRequestEvent("acme", "t0k", {10, 60000}, aMail(), ctx());
  expectEnvelope(*e, EventType::kMailRequest, "acme", "");
  EXPECT_EQ(json::stringify(e->data),
            R"({"token":"t0k","max":10,"windowMs":60000,"mail":{"from":"noreply@acme.example","fromName":"Acme",)"
            R"("to":["a@example.com","b@example.com"],"subject":"Hi","text":"text","html":"<p>html</p>"}})");
  EXPECT_EQ(schemaProblem(*e), "");
}

TEST_F(MailEvents, RequestReadsBackAsTheMailAsked) {
  auto e = mailRequestEvent("acme", "t0k", {10, 60000}, aMail(), ctx());
  auto mail = mail::readFrom(*e);
  ASSERT_TRUE(mail.ok()) << mail.error().message;
  EXPECT_EQ(mail->to, aMail().to);
  EXPECT_EQ(mail->html, "<p>html</p>");
}

TEST_F(MailEvents, AcceptingDecisionIsMailAccepted) {
  auto e = mailDecisionEvent("acme", "req1", "t0k", {true, 3, 10, 0}, ctx());
  expectEnvelope(*e, EventType::kMailAccepted, "acme", "");
  EXPECT_EQ(json::stringify(e->data), R"({"request":"req1","token":"t0k","count":3,"max":10})");
  EXPECT_EQ(schemaProblem(*e), "");
}

TEST_F(MailEvents, RefusingDecisionIsMailRejected) {
  auto e = mailDecisionEvent("acme", "req1", "t0k", {false, 10, 10, 5000}, ctx());
  expectEnvelope(*e, EventType::kMailRejected, "acme", "");
  EXPECT_EQ(json::stringify(e->data), R"({"request":"req1","token":"t0k","count":10,"max":10})");
  EXPECT_EQ(schemaProblem(*e), "");
}

TEST_F(MailEvents, SentRecordsRelayAndItsMessageId) {
  auto e = mailSentEvent("acme", "req1", "smtp", "<m1@relay>", ctx());
  expectEnvelope(*e, EventType::kMailSent, "acme", "");
  EXPECT_EQ(json::stringify(e->data), R"({"request":"req1","relay":"smtp","messageId":"<m1@relay>"})");
  EXPECT_EQ(schemaProblem(*e), "");
}

TEST_F(MailEvents, FailedRecordsTheErrorCodeAndMessage) {
  auto e = mailFailedEvent("acme", "req1", {"mail_relay_failed", "550 no such user"}, ctx());
  expectEnvelope(*e, EventType::kMailFailed, "acme", "");
  EXPECT_EQ(json::stringify(e->data), R"({"request":"req1","code":"mail_relay_failed","error":"550 no such user"})");
  EXPECT_EQ(schemaProblem(*e), "");
}

}  // namespace
}  // namespace wsd
