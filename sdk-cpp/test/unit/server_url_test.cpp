// Options::url parsing and the endpoint strings (server_url.h).
#include "server_url.h"

#include <gtest/gtest.h>

namespace wsclient::detail {
namespace {

TEST(ServerUrl, ReadsSchemeHostPortAndPrefix) {
  auto url = parseServerUrl("wss://chat.example.com:8443/rt/");
  ASSERT_TRUE(url.ok()) << url.status().message;
  EXPECT_TRUE(url.value().secure);
  EXPECT_EQ(url.value().host, "chat.example.com");
  EXPECT_EQ(url.value().port, 8443);
  EXPECT_EQ(url.value().prefix, "/rt");
  EXPECT_EQ(httpOrigin(url.value()), "https://chat.example.com:8443");
}

TEST(ServerUrl, DefaultsThePortToTheScheme) {
  EXPECT_EQ(parseServerUrl("http://h").value().port, 80);
  EXPECT_EQ(parseServerUrl("https://h").value().port, 443);
  EXPECT_EQ(parseServerUrl("ws://h").value().port, 80);
}

TEST(ServerUrl, TakesIpv6Literals) {
  auto url = parseServerUrl("http://[::1]:8080");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url.value().host, "::1");
  EXPECT_EQ(hostHeader(url.value()), "[::1]:8080");
}

TEST(ServerUrl, RefusesWhatItCannotUse) {
  for (const char* bad : {"127.0.0.1:8080", "ftp://h", "http://", "http://h:0", "http://h:99999", "http://h:x",
                          "http://h/?project=p", "http://user@h"}) {
    auto url = parseServerUrl(bad);
    EXPECT_FALSE(url.ok()) << bad;
    EXPECT_EQ(url.status().code, ErrorCode::kInvalidOptions) << bad;
  }
}

TEST(ServerUrl, EncodesTheSessionQuery) {
  EXPECT_EQ(sessionQuery("my app", "a+b/c", Mode::kLong), "project=my%20app&token=a%2Bb%2Fc&mode=long");
  EXPECT_EQ(sessionQuery("p", "t", Mode::kShort), "project=p&token=t&mode=short");
}

}  // namespace
}  // namespace wsclient::detail
