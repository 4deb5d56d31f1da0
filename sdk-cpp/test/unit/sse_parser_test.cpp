// The event-stream parser (sse_parser.h), on chunks split anywhere.
#include "sse_parser.h"

#include <gtest/gtest.h>

namespace wsclient::detail {
namespace {

TEST(SseParser, ReturnsTheDataOfEachEventAndRemembersItsId) {
  SseParser parser;
  auto events = parser.feed("retry: 1000\n\nid: c1:1\ndata: {\"type\":\"connected\"}\n\n");
  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(events[0], R"({"type":"connected"})");
  EXPECT_EQ(parser.lastEventId(), "c1:1");
}

TEST(SseParser, JoinsChunksSplitAnywhereAndCrLf) {
  const std::string stream = "id: c:2\r\ndata: {\"a\":\r\ndata: 1}\r\n\r\n: keepalive\r\n\r\ndata:x\r\n\r\n";
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
    SseParser parser;
    auto events = parser.feed(stream.substr(0, cut));
    for (auto& e : parser.feed(stream.substr(cut))) events.push_back(e);
    ASSERT_EQ(events.size(), 2U) << "cut at " << cut;
    EXPECT_EQ(events[0], "{\"a\":\n1}");
    EXPECT_EQ(events[1], "x");
    EXPECT_EQ(parser.lastEventId(), "c:2");
  }
}

TEST(SseParser, CommentsAloneAreNoEvents) {
  SseParser parser;
  EXPECT_TRUE(parser.feed(": keepalive\n\n: again\n\n").empty());
}

}  // namespace
}  // namespace wsclient::detail
