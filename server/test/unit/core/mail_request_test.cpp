// POST /mail bodies as the gateway reads them, and their round trip through mail.request.
#include "core/mail_request.h"

#include <gtest/gtest.h>

#include "core/json.h"

namespace wsd::mail {
namespace {

rapidjson::Document body(const char* text) {
  rapidjson::Document doc;
  EXPECT_TRUE(json::parse(doc, text));
  return doc;
}

TEST(MailRequest, OneRecipientAndTheSeedsFieldsAreRead) {
  auto mail = fromRequestBody(
      body(R"({"to":"user@example.com","subject":"测试邮件","text":"t","html":"<p>h</p>","fromName":"通知服务"})"), {});
  ASSERT_TRUE(mail.ok());
  EXPECT_EQ(mail->to, std::vector<std::string>{"user@example.com"});
  EXPECT_EQ(mail->subject, "测试邮件");
  EXPECT_EQ(mail->fromName, "通知服务");
  EXPECT_EQ(mail->from, "noreply@localhost.localdomain");  // the default sender
}

TEST(MailRequest, SeveralRecipientsKeepTheirOrder) {
  auto mail = fromRequestBody(body(R"({"to":["b@example.com","a@example.com"],"subject":"s"})"), {});
  ASSERT_TRUE(mail.ok());
  EXPECT_EQ(mail->to, (std::vector<std::string>{"b@example.com", "a@example.com"}));
  EXPECT_EQ(mail->fromName, "WebSocket Server");
}

TEST(MailRequest, ConfiguredSenderIsUsedWhenTheBodyNamesNone) {
  auto mail = fromRequestBody(body(R"({"to":"a@example.com","subject":"s"})"), {"news@example.org", "News"});
  ASSERT_TRUE(mail.ok());
  EXPECT_EQ(mail->from, "news@example.org");
  EXPECT_EQ(mail->fromName, "News");
}

TEST(MailRequest, InvalidAddressesAreRefusedByName) {
  for (const char* text :
       {R"({"to":"not-an-address","subject":"s"})", R"({"to":["a@example.com","x y@z.com"],"subject":"s"})",
        R"({"to":"a@example.com","subject":"s","from":"Me <me@example.com>"})"}) {
    auto mail = fromRequestBody(body(text), {});
    ASSERT_FALSE(mail.ok()) << text;
    EXPECT_EQ(mail.error().code, "invalid_address") << text;
  }
}

TEST(MailRequest, AnEmptyRecipientListIsABadRequest) {
  auto mail = fromRequestBody(body(R"({"to":[],"subject":"s"})"), {});
  ASSERT_FALSE(mail.ok());
  EXPECT_EQ(mail.error().code, "bad_request");
}

TEST(MailRequest, SurvivesTheRoundTripThroughTheEvent) {
  auto mail = fromRequestBody(
      body(
          R"({"to":["a@example.com","b@example.com"],"subject":"主题","text":"t","html":"h","from":"me@example.com","fromName":"我"})"),
      {});
  ASSERT_TRUE(mail.ok());
  Event event;
  event.id = "01ABC";
  event.type = EventType::kMailRequest;
  writeInto(event, *mail);
  auto decoded = Event::decode(event.encode());
  ASSERT_TRUE(decoded.ok());
  auto back = readFrom(*decoded);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->to, mail->to);
  EXPECT_EQ(back->subject, "主题");
  EXPECT_EQ(back->text, "t");
  EXPECT_EQ(back->html, "h");
  EXPECT_EQ(back->from, "me@example.com");
  EXPECT_EQ(back->fromName, "我");
}

TEST(MailRequest, AnEventWithoutAMailIsReportedNotGuessed) {
  Event event;
  event.id = "01ABC";
  auto back = readFrom(event);
  ASSERT_FALSE(back.ok());
  EXPECT_EQ(back.error().code, "bad_event");
}

}  // namespace
}  // namespace wsd::mail
