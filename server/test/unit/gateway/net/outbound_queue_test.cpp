// A connection's outbound queue: first in, first out, and no memory held while empty.
#include "gateway/net/outbound_queue.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace wsd {
namespace {

server_message::Text text(std::string s) { return std::make_shared<const std::string>(std::move(s)); }

TEST(OutboundQueue, GivesMessagesBackInTheOrderTheyCame) {
  OutboundQueue queue;
  queue.push(text("a"));
  queue.push(text("b"));
  queue.push(text("c"));
  ASSERT_EQ(queue.size(), 3U);
  std::string seen;
  while (!queue.empty()) {
    seen += *queue.front();
    queue.pop();
  }
  EXPECT_EQ(seen, "abc");
}

TEST(OutboundQueue, ReleasesAMessageOnceItIsPopped) {
  OutboundQueue queue;
  auto message = text("kept by the caller too");
  queue.push(message);
  queue.push(text("next"));
  ASSERT_EQ(message.use_count(), 2);
  queue.pop();
  EXPECT_EQ(message.use_count(), 1);
  EXPECT_EQ(*queue.front(), "next");
}

TEST(OutboundQueue, KeepsOrderAcrossCompactionWhileNeverDrained) {
  // A steady reader: one pushed, one popped, the queue never empty, well past the point
  // where popped slots are dropped.
  OutboundQueue queue;
  int nextIn = 0;
  int nextOut = 0;
  for (int i = 0; i < 10; ++i) queue.push(text(std::to_string(nextIn++)));
  for (int round = 0; round < 1000; ++round) {
    queue.push(text(std::to_string(nextIn++)));
    ASSERT_EQ(*queue.front(), std::to_string(nextOut++));
    queue.pop();
    ASSERT_EQ(queue.size(), 10U);
  }
}

TEST(OutboundQueue, ClearDropsEverything) {
  OutboundQueue queue;
  auto message = text("x");
  queue.push(message);
  queue.push(text("y"));
  queue.clear();
  EXPECT_TRUE(queue.empty());
  EXPECT_EQ(queue.size(), 0U);
  EXPECT_EQ(message.use_count(), 1);
}

}  // namespace
}  // namespace wsd
