// The pure half of reading an HTTP request: path, query arguments, cookies, Last-Event-ID.
#include "core/http_request.h"

#include <gtest/gtest.h>

namespace wsd {
namespace {

TEST(HttpRequestParsing, ThePathEndsAtTheFirstQuestionMark) {
  EXPECT_EQ(pathOfUri("/poll?project=p&x=?"), "/poll");
  EXPECT_EQ(pathOfUri("/api/projects"), "/api/projects");
  EXPECT_EQ(pathOfUri("?only=query"), "");
}

TEST(HttpRequestParsing, AQueryArgumentSplitsAtItsFirstEqualsSign) {
  EXPECT_EQ(splitQueryArgument("token=a=b"), std::make_pair(std::string("token"), std::string("a=b")));
  EXPECT_EQ(splitQueryArgument("flag"), std::make_pair(std::string("flag"), std::string()));
  EXPECT_EQ(splitQueryArgument("=x"), std::make_pair(std::string(), std::string("x")));
}

TEST(HttpRequestParsing, TheFirstArgumentOfANameWinsAndAMissingOneIsEmpty) {
  HttpRequest request;
  request.query = {{"project", "a"}, {"project", "b"}};
  EXPECT_EQ(request.param("project"), "a");
  EXPECT_EQ(request.param("token"), "");
}

TEST(HttpRequestParsing, ACookieIsFoundByItsExactNameAmongOthers) {
  HttpRequest request;
  request.cookie = "xwsd_conn=no; theme=dark;  wsd_conn=c1:2; other=1";
  EXPECT_EQ(request.cookieValue("wsd_conn"), "c1:2");
  EXPECT_EQ(request.cookieValue("missing"), "");
  request.cookie = "wsd_conn";
  EXPECT_EQ(request.cookieValue("wsd_conn"), "");
}

TEST(HttpRequestParsing, LastEventIdSplitsAtTheLastColonIntoConnectionAndSequence) {
  auto id = parseLastEventId("conn:with:colons:42");
  ASSERT_TRUE(id.has_value());
  EXPECT_EQ(id->conn, "conn:with:colons");
  EXPECT_EQ(id->seq, 42u);
}

TEST(HttpRequestParsing, LastEventIdWithoutANumberAfterTheColonNamesNothing) {
  EXPECT_FALSE(parseLastEventId("c1").has_value());
  EXPECT_FALSE(parseLastEventId("c1:").has_value());
  EXPECT_FALSE(parseLastEventId("c1:-3").has_value());
  EXPECT_FALSE(parseLastEventId("c1:99999999999999999999999").has_value());
  EXPECT_FALSE(parseLastEventId("").has_value());
}

}  // namespace
}  // namespace wsd
