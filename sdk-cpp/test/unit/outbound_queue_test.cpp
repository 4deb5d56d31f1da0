// The outbound queue (outbound_queue.h): its bound and overflow policies, and requeueing.
#include "outbound_queue.h"

#include <gtest/gtest.h>

namespace wsclient::detail {
namespace {

Outgoing message(const std::string& text) { return Outgoing{text, Origin::kApp, Intent::kNone, "", nullptr}; }

TEST(OutboundQueue, RejectNewRefusesOnceFull) {
  OutboundQueue queue(2, OverflowPolicy::kRejectNew);
  Outgoing dropped;
  EXPECT_EQ(queue.push(message("a"), &dropped), OutboundQueue::Push::kQueued);
  EXPECT_EQ(queue.push(message("b"), &dropped), OutboundQueue::Push::kQueued);
  EXPECT_EQ(queue.push(message("c"), &dropped), OutboundQueue::Push::kFull);
  EXPECT_EQ(queue.pop()->text, "a");
  EXPECT_EQ(queue.pop()->text, "b");
  EXPECT_FALSE(queue.pop());
}

TEST(OutboundQueue, DropOldestMakesRoomAndHandsBackTheDropped) {
  OutboundQueue queue(2, OverflowPolicy::kDropOldest);
  Outgoing dropped;
  queue.push(message("a"), &dropped);
  queue.push(message("b"), &dropped);
  EXPECT_EQ(queue.push(message("c"), &dropped), OutboundQueue::Push::kQueuedDroppedOldest);
  EXPECT_EQ(dropped.text, "a");
  EXPECT_EQ(queue.pop()->text, "b");
  EXPECT_EQ(queue.pop()->text, "c");
}

TEST(OutboundQueue, RequeuedMessagesGoFirstInTheirOrderEvenPastTheBound) {
  OutboundQueue queue(2, OverflowPolicy::kRejectNew);
  Outgoing dropped;
  queue.push(message("c"), &dropped);
  queue.push(message("d"), &dropped);
  std::vector<Outgoing> back;
  back.push_back(message("a"));
  back.push_back(message("b"));
  queue.requeueFront(std::move(back));
  EXPECT_EQ(queue.size(), 4U);
  std::string order;
  while (auto item = queue.pop()) order += item->text;
  EXPECT_EQ(order, "abcd");
}

TEST(OutboundQueue, TakeAllEmptiesIt) {
  OutboundQueue queue(5, OverflowPolicy::kRejectNew);
  Outgoing dropped;
  queue.push(message("a"), &dropped);
  EXPECT_EQ(queue.takeAll().size(), 1U);
  EXPECT_TRUE(queue.empty());
}

}  // namespace
}  // namespace wsclient::detail
