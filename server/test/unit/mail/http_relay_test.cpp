// The HTTP relay's request body: what a MailChannels-compatible API receives.
#include "mail/http_relay.h"

#include <gtest/gtest.h>

#include "core/json.h"

namespace wsd::mail {
namespace {

rapidjson::Document sent(const MailRequest& mail) {
  rapidjson::Document doc;
  EXPECT_TRUE(json::parse(doc, mailChannelsBody(mail)));
  return doc;
}

TEST(MailChannelsBody, NamesEveryRecipientTheSenderAndBothParts) {
  auto doc = sent({"me@example.com", "通知服务", {"a@example.com", "b@example.com"}, "主题", "text", "<p>html</p>"});
  const auto& to = doc["personalizations"][0]["to"];
  ASSERT_EQ(to.Size(), 2u);
  EXPECT_STREQ(to[1]["email"].GetString(), "b@example.com");
  EXPECT_STREQ(doc["from"]["email"].GetString(), "me@example.com");
  EXPECT_STREQ(doc["from"]["name"].GetString(), "通知服务");
  EXPECT_STREQ(doc["subject"].GetString(), "主题");
  const auto& content = doc["content"];
  ASSERT_EQ(content.Size(), 2u);
  EXPECT_STREQ(content[0]["type"].GetString(), "text/plain");  // plain first, as the API wants
  EXPECT_STREQ(content[1]["type"].GetString(), "text/html");
  EXPECT_STREQ(content[1]["value"].GetString(), "<p>html</p>");
}

TEST(MailChannelsBody, HtmlOnlyMailHasOnlyTheHtmlPart) {
  auto doc = sent({"me@example.com", "", {"a@example.com"}, "s", "", "<b>x</b>"});
  ASSERT_EQ(doc["content"].Size(), 1u);
  EXPECT_STREQ(doc["content"][0]["type"].GetString(), "text/html");
}

TEST(MailChannelsBody, MailWithNoBodyStillHasAnEmptyPlainPart) {
  auto doc = sent({"me@example.com", "", {"a@example.com"}, "s", "", ""});
  ASSERT_EQ(doc["content"].Size(), 1u);
  EXPECT_STREQ(doc["content"][0]["type"].GetString(), "text/plain");
}

}  // namespace
}  // namespace wsd::mail
