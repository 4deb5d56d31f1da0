// Composing mail for an SMTP relay: what a mail client will see, checked by decoding it.
#include "core/mail_message.h"

#include <gtest/gtest.h>

#include <regex>

namespace wsd::mail {
namespace {

std::string unbase64(std::string_view in) {
  static const std::string kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  int value = 0, bits = 0;
  for (char c : in) {
    auto pos = kAlphabet.find(c);
    if (pos == std::string::npos) continue;  // '=', line ends
    value = (value << 6) | static_cast<int>(pos);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((value >> bits) & 0xff);
    }
  }
  return out;
}

// The text of every encoded word in `header`, concatenated, checking each word's size.
std::string decodeWords(const std::string& header) {
  std::string text;
  std::regex word(R"(=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=)");
  for (std::sregex_iterator it(header.begin(), header.end(), word), end; it != end; ++it) {
    EXPECT_LE(it->length(), 75) << "RFC 2047 caps an encoded word at 75 characters";
    text += unbase64((*it)[1].str());
  }
  return text;
}

std::string headerOf(const std::string& message, const std::string& name) {
  auto start = message.find("\r\n" + name + ": ");
  if (start == std::string::npos && message.rfind(name + ": ", 0) == 0)
    start = 0;
  else if (start != std::string::npos)
    start += 2;
  if (start == std::string::npos) return {};
  std::string value;
  std::size_t pos = start + name.size() + 2;
  for (;;) {  // unfold continuation lines
    auto end = message.find("\r\n", pos);
    value += message.substr(pos, end - pos);
    if (message.compare(end + 2, 1, " ") != 0) break;
    pos = end + 2;
  }
  return value;
}

Message chinese() {
  Message m;
  m.from = "noreply@example.com";
  m.fromName = "通知服务";
  m.to = {"user@example.com"};
  m.subject = "测试邮件：一封很长很长的主题，用来检查编码后的折行是否在字符边界上切开";
  m.text = "这是一封测试邮件";
  m.html = "<p>这是一封 <strong>测试邮件</strong></p>";
  m.dateMs = 1795373211000;
  m.messageId = "abc123@example.com";
  m.boundary = "=_wsd_b1";
  return m;
}

TEST(MailMessage, AChineseSubjectAndSenderNameDecodeBackExactly) {
  auto message = compose(chinese());
  EXPECT_EQ(decodeWords(headerOf(message, "Subject")), chinese().subject);
  auto from = headerOf(message, "From");
  EXPECT_EQ(decodeWords(from), "通知服务");
  EXPECT_NE(from.find("<noreply@example.com>"), std::string::npos);
}

TEST(MailMessage, TextAndHtmlMakeAMultipartAlternativeTextFirst) {
  auto message = compose(chinese());
  EXPECT_NE(headerOf(message, "Content-Type").find("multipart/alternative; boundary=\"=_wsd_b1\""), std::string::npos);
  auto text = message.find("Content-Type: text/plain; charset=UTF-8");
  auto html = message.find("Content-Type: text/html; charset=UTF-8");
  ASSERT_NE(text, std::string::npos);
  ASSERT_NE(html, std::string::npos);
  EXPECT_LT(text, html);
  EXPECT_NE(message.find("--=_wsd_b1--\r\n"), std::string::npos);
  auto body = message.substr(html);
  body = body.substr(body.find("\r\n\r\n") + 4);
  EXPECT_EQ(unbase64(body.substr(0, body.find("--"))), chinese().html);
}

TEST(MailMessage, OnlyTextIsOneTextPart) {
  auto m = chinese();
  m.html.clear();
  auto message = compose(m);
  EXPECT_EQ(message.find("multipart"), std::string::npos);
  EXPECT_EQ(headerOf(message, "Content-Type"), "text/plain; charset=UTF-8");
  EXPECT_EQ(unbase64(message.substr(message.find("\r\n\r\n") + 4)), m.text);
}

TEST(MailMessage, HeadersADateAndAMessageId) {
  auto message = compose(chinese());
  EXPECT_EQ(headerOf(message, "Date"), "Sun, 22 Nov 2026 18:46:51 +0000");
  EXPECT_EQ(headerOf(message, "Message-ID"), "<abc123@example.com>");
  EXPECT_EQ(headerOf(message, "MIME-Version"), "1.0");
}

TEST(MailMessage, LinesStayWithinTheLimitAndEndInCrlf) {
  auto m = chinese();
  m.text = std::string(5000, 'x');
  auto message = compose(m);
  std::size_t start = 0;
  while (start < message.size()) {
    auto end = message.find("\r\n", start);
    ASSERT_NE(end, std::string::npos) << "every line ends with CRLF";
    EXPECT_LE(end - start, 78u);
    EXPECT_EQ(message.substr(start, end - start).find('\n'), std::string::npos) << "no bare LF";
    start = end + 2;
  }
}

TEST(MailMessage, ALineBreakInTheSubjectCannotAddAHeader) {
  auto m = chinese();
  m.subject = "hi\r\nBcc: victim@example.com";
  auto message = compose(m);
  EXPECT_EQ(message.find("\r\nBcc:"), std::string::npos);
  EXPECT_EQ(decodeWords(headerOf(message, "Subject")), m.subject);
}

TEST(MailMessage, AsciiDisplayNamesAreQuoted) {
  auto m = chinese();
  m.fromName = R"(Ops "Team")";
  EXPECT_EQ(headerOf(compose(m), "From"), R"("Ops \"Team\"" <noreply@example.com>)");
}

TEST(MailAddress, PlainAddressesPassAndTheRestIsRefused) {
  for (const char* good : {"user@example.com", "a.b+tag@mail.example.org", "用户@例子.中国"}) {
    EXPECT_TRUE(isValidAddress(good)) << good;
  }
  for (const char* bad :
       {"", "user", "@example.com", "user@", "user@example", "user@.com", "user@example.", "a@b@example.com",
        "Name <user@example.com>", "user@exa mple.com", "user@example..com", "user\r\n@example.com"}) {
    EXPECT_FALSE(isValidAddress(bad)) << bad;
  }
}

}  // namespace
}  // namespace wsd::mail
