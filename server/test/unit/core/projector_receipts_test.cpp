// Delivery receipts in the projector: bind takes stored messages by default (at most
// once) and only reads them with offlineAtLeastOnce; message.ack removes them.
#include <gtest/gtest.h>

#include "projector_harness.h"

namespace wsd {
namespace {

class ProjectorReceipts : public test::ProjectorHarness {
 protected:
  Effects ack(const std::string& conn, const std::vector<std::string>& idList) {
    auto e = event(EventType::kMessageAck, conn);
    putList(*e, "ids", idList);
    return apply(e);
  }
  static std::vector<std::string> directsIn(const std::vector<std::string>& messages) {
    std::vector<std::string> msgs;
    for (const auto& m : messages) {
      if (typeOf(m) == "direct") msgs.push_back(json::string(parsed(m), "msg").value_or(""));
    }
    return msgs;
  }
  // alice (conn "a") sends `texts` to the absent bob; returns their ids.
  std::vector<std::string> storeForBob(const std::vector<std::string>& texts, std::int64_t ttl = 1000) {
    std::vector<std::string> stored;
    for (const auto& text : texts) {
      std::string id;
      send("a", "alice", "bob", text, &id, ttl);
      stored.push_back(id);
    }
    return stored;
  }
};

TEST_F(ProjectorReceipts, AtLeastOnceRedeliversOnEveryBindUntilAcknowledged) {
  createProject(R"({"offlineDelivery":"at_least_once"})");
  open("a");
  bind("a", "alice");
  auto stored = storeForBob({"one", "two"});
  open("b1");
  EXPECT_EQ(directsIn(messagesTo(bind("b1", "bob"), "b1")), (std::vector<std::string>{"one", "two"}));
  close("b1");
  open("b2");
  auto again = messagesTo(bind("b2", "bob"), "b2");
  EXPECT_EQ(directsIn(again), (std::vector<std::string>{"one", "two"}));
  EXPECT_NE(again[1].find("\"offline\":true"), std::string::npos);

  auto fx = ack("b2", {stored[0], "never-stored"});
  auto replies = messagesTo(fx, "b2");
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(typeOf(replies[0]), "ack_success");
  EXPECT_EQ(listOf(replies[0], "ids"), std::vector<std::string>{stored[0]});
  close("b2");
  open("b3");
  EXPECT_EQ(directsIn(messagesTo(bind("b3", "bob"), "b3")), std::vector<std::string>{"two"});
}

TEST_F(ProjectorReceipts, AtLeastOnceStillExpires) {
  createProject(R"({"offlineDelivery":"at_least_once"})");
  open("a");
  bind("a", "alice");
  storeForBob({"short"}, 5);
  storeForBob({"long"}, 100000);
  now += 10;  // the next event is after the first message's expiry
  open("b");
  EXPECT_EQ(directsIn(messagesTo(bind("b", "bob"), "b")), std::vector<std::string>{"long"});
}

TEST_F(ProjectorReceipts, ByDefaultBindTakesStoredMessagesOnceAndAckFindsNothing) {
  createProject();
  open("a");
  bind("a", "alice");
  auto stored = storeForBob({"one"});
  open("b1");
  EXPECT_EQ(directsIn(messagesTo(bind("b1", "bob"), "b1")), std::vector<std::string>{"one"});
  EXPECT_TRUE(listOf(messagesTo(ack("b1", stored), "b1")[0], "ids").empty());
  close("b1");
  open("b2");
  EXPECT_TRUE(directsIn(messagesTo(bind("b2", "bob"), "b2")).empty());
}

TEST_F(ProjectorReceipts, AckAppliedOnAnUnboundSessionIsNotBound) {
  createProject();
  open("c");
  auto replies = messagesTo(ack("c", {"x"}), "c");
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_NE(replies[0].find("not_bound"), std::string::npos);
}

TEST_F(ProjectorReceipts, AckOnlyRemovesTheAckingUidsMessages) {
  createProject(R"({"offlineDelivery":"at_least_once"})");
  open("a");
  bind("a", "alice");
  auto forBob = storeForBob({"for bob"});
  std::string forCarol;
  send("a", "alice", "carol", "for carol", &forCarol);
  open("b");
  bind("b", "bob");
  EXPECT_EQ(listOf(messagesTo(ack("b", {forCarol, forBob[0]}), "b")[0], "ids"), forBob);
  EXPECT_EQ(state.inboxSize("p", "carol"), 1u);
}

// A session ended over its output budget hands its unwritten direct messages back as
// message.undelivered: the recipient gets them on its next bind, under their own ids.
TEST_F(ProjectorReceipts, UndeliveredDirectMessagesWaitForTheNextBindUnderTheirIds) {
  createProject();
  open("a");
  bind("a", "alice");
  open("b1");
  bind("b1", "bob");
  std::string id;
  auto sent = send("a", "alice", "bob", "lost on the way", &id, 100000);
  const auto rendered = messagesTo(sent, "b1");
  ASSERT_EQ(rendered.size(), 1u);
  DecideContext ctx;
  ctx.node = "n1";
  ctx.nowMs = ++now;
  ctx.offlineTtlMs = 100000;
  ctx.ids = &ids;
  auto undelivered = decideUndelivered("p", "b1", rendered[0], ctx);
  ASSERT_NE(undelivered, nullptr);
  apply(undelivered);
  close("b1");
  open("b2");
  auto again = messagesTo(bind("b2", "bob"), "b2");
  EXPECT_EQ(directsIn(again), std::vector<std::string>{"lost on the way"});
  ASSERT_EQ(again.size(), 2u);  // bind_success, then the message
  EXPECT_EQ(json::string(parsed(again[1]), "id").value_or(""), id);
  EXPECT_EQ(json::string(parsed(again[1]), "from").value_or(""), "alice");
}

// With Kafka the gateway can hand a message back after the session's conn.close was
// applied (it reached the session while the close was on its way to the log). By then the
// uid may have bound again and taken its inbox: its live sessions get the message at once.
class LateUndelivered : public ProjectorReceipts {
 protected:
  // bob's session b1 gets a message from alice and is closed before it is handed back;
  // returns the message.undelivered event the gateway then appends.
  std::shared_ptr<Event> lostAfterClose(const std::string& createSettings = "") {
    createProject(createSettings);
    open("a");
    bind("a", "alice");
    open("b1");
    bind("b1", "bob");
    auto rendered = messagesTo(send("a", "alice", "bob", "in flight", &id, 100000), "b1");
    close("b1");
    DecideContext ctx;
    ctx.node = "n1";
    ctx.nowMs = ++now;
    ctx.offlineTtlMs = 100000;
    ctx.ids = &ids;
    return decideUndelivered("p", "b1", rendered.at(0), ctx);
  }
  std::string id;
};

TEST_F(LateUndelivered, AUidThatBoundAgainGetsItAtOnceAndNothingIsLeftStored) {
  auto undelivered = lostAfterClose();
  open("b2");
  bind("b2", "bob");
  auto now = messagesTo(apply(undelivered), "b2");
  ASSERT_EQ(directsIn(now), std::vector<std::string>{"in flight"});
  EXPECT_EQ(json::string(parsed(now[0]), "id").value_or(""), id);
  EXPECT_NE(now[0].find("\"offline\":true"), std::string::npos);
  EXPECT_EQ(state.inboxSize("p", "bob"), 0u);
}

TEST_F(LateUndelivered, AUidStillAwayFindsItOnItsNextBind) {
  auto undelivered = lostAfterClose();
  EXPECT_TRUE(apply(undelivered).deliveries.empty());
  open("b2");
  EXPECT_EQ(directsIn(messagesTo(bind("b2", "bob"), "b2")), std::vector<std::string>{"in flight"});
}

TEST_F(LateUndelivered, AtLeastOnceDeliversItAndKeepsItUntilAcknowledged) {
  auto undelivered = lostAfterClose(R"({"offlineDelivery":"at_least_once"})");
  open("b2");
  bind("b2", "bob");
  EXPECT_EQ(directsIn(messagesTo(apply(undelivered), "b2")), std::vector<std::string>{"in flight"});
  EXPECT_EQ(state.inboxSize("p", "bob"), 1u);
}

TEST_F(ProjectorReceipts, OnlyDirectMessagesAreKeptWhenUndelivered) {
  DecideContext ctx;
  ctx.nowMs = ++now;
  ctx.ids = &ids;
  EXPECT_EQ(decideUndelivered("p", "c", R"({"type":"broadcast","from":"a","msg":"x","id":"1","timestamp":1})", ctx),
            nullptr);
  EXPECT_EQ(decideUndelivered("p", "c", R"({"type":"bind_success","uid":"a"})", ctx), nullptr);
  EXPECT_EQ(decideUndelivered("p", "c", "not json", ctx), nullptr);
}

}  // namespace
}  // namespace wsd
