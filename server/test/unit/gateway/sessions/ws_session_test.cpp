// The WebSocket session's rules, on a fake connection: how queued messages are written,
// how a server-side close is announced, and what a slow, failed or over-budget
// connection gets.
#include "gateway/sessions/ws_session.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/error_codes.h"
#include "fake_transport.h"
#include "gateway/sessions/session_registry.h"

namespace wsd {
namespace {

using testing::FakeWsTransport;
using testing::ManualClock;
using Messages = std::vector<std::string>;

server_message::Text message(const std::string& text) {
  return std::make_shared<const std::string>(R"({"type":"broadcast","msg":")" + text + R"("})");
}

std::string text(const std::string& msg) { return *message(msg); }

class WsSessionTest : public ::testing::Test {
 protected:
  // A session in the registry (which counts its held bytes), on a fake connection.
  WsSession& open(bool compressed = false, const std::string& conn = "c1") {
    auto transport = std::make_unique<FakeWsTransport>();
    wire = transport.get();
    SessionIdentity identity{conn, "p", "t", Transport::kWebSocket, Mode::kShort, {}};
    return static_cast<WsSession&>(*sessions.add(std::make_unique<WsSession>(
        identity, RateLimiter(1000, 1000), std::move(transport), sessions.pendingWrites(), compressed, clock.clock())));
  }
  // The end of the callback the messages were given in.
  void endOfCallback() { sessions.pendingWrites().flush(); }

  SessionRegistry sessions;
  ManualClock clock;
  FakeWsTransport* wire = nullptr;
};

// ---- writing --------------------------------------------------------------------------

TEST_F(WsSessionTest, MessagesQueuedInOneCallbackLeaveInOneWrite) {
  WsSession& session = open();
  session.send(message("a"));
  session.send(message("b"));
  session.send(message("c"));
  EXPECT_TRUE(wire->writes.empty());  // not before the callback is over
  endOfCallback();
  ASSERT_EQ(wire->writes.size(), 1u);
  EXPECT_EQ(wire->writes[0], (Messages{text("a"), text("b"), text("c")}));
  EXPECT_EQ(session.heldBytes(), 0u);
  EXPECT_EQ(sessions.output().held(), 0u);
}

// A fan-out: the end of the callback writes each session given a message once, in the
// order they were given one, and none that ended before it (the flush loads sessions
// ahead of the one it writes: pending_writes.cpp).
TEST_F(WsSessionTest, EverySessionGivenAMessageIsWrittenOnceAtTheEndOfTheCallback) {
  std::vector<FakeWsTransport*> wires;
  for (int i = 0; i < 10; ++i) {
    open(false, "c" + std::to_string(i)).send(message("fan-out"));
    wires.push_back(wire);
  }
  for (const char* gone : {"c3", "c8", "c9"}) sessions.remove(gone);
  sessions.collectGarbage();
  endOfCallback();
  for (int i = 0; i < 10; ++i) {
    if (i == 3 || i >= 8) continue;  // their transports went with them
    ASSERT_EQ(wires[i]->writes.size(), 1u) << "c" << i;
    EXPECT_EQ(wires[i]->writes[0], Messages{text("fan-out")}) << "c" << i;
  }
  endOfCallback();  // nothing is listed twice
  for (int i = 0; i < 8; ++i) {
    if (i == 3) continue;
    EXPECT_EQ(wires[i]->writes.size(), 1u) << "c" << i;
  }
}

TEST_F(WsSessionTest, AWriteCarriesAtMostSixtyFourKilobytesAndAsksForTheRest) {
  WsSession& session = open();
  const std::string big(40 * 1024, 'x');
  session.send(message(big));
  session.send(message(big));
  session.send(message(big));
  endOfCallback();
  ASSERT_EQ(wire->writes.size(), 1u);
  EXPECT_EQ(wire->writes[0].size(), 2u);  // the second crossed 64 KiB; the third waits
  EXPECT_EQ(wire->writableAsks, 1);
  EXPECT_EQ(session.heldMessages(), 1u);
  EXPECT_EQ(session.onWritable(), AfterWrite::kKeepOpen);
  ASSERT_EQ(wire->writes.size(), 2u);
  EXPECT_EQ(wire->writes[1], Messages{text(big)});
}

TEST_F(WsSessionTest, NothingMoreIsWrittenWhileAnEarlierWriteIsStillGoingOut) {
  WsSession& session = open();
  wire->holding = true;
  session.send(message("a"));
  endOfCallback();
  EXPECT_TRUE(wire->writes.empty());
  EXPECT_EQ(wire->writableAsks, 1);  // told when the socket has taken the earlier bytes
  wire->holding = false;
  EXPECT_EQ(session.onWritable(), AfterWrite::kKeepOpen);
  EXPECT_EQ(wire->writes, std::vector<Messages>{Messages{text("a")}});
}

TEST_F(WsSessionTest, CompressedMessagesAreWrittenOneByOneInTheWritableTurnWhileTheSocketTakesThem) {
  WsSession& session = open(/*compressed=*/true);
  session.send(message("a"));
  session.send(message("b"));
  session.send(message("c"));
  endOfCallback();
  EXPECT_TRUE(wire->writes.empty());
  EXPECT_EQ(wire->writableAsks, 1);
  wire->chokedAfterWrites = 2;
  EXPECT_EQ(session.onWritable(), AfterWrite::kKeepOpen);
  EXPECT_EQ(wire->writes, (std::vector<Messages>{Messages{text("a")}, Messages{text("b")}}));
  EXPECT_EQ(wire->writableAsks, 2);  // "c" waits for the next turn
  wire->chokedAfterWrites = -1;
  session.onWritable();
  EXPECT_EQ(wire->writes.back(), Messages{text("c")});
}

TEST_F(WsSessionTest, AFailedWriteEndsTheConnection) {
  WsSession& session = open();
  wire->failing = true;
  session.send(message("a"));
  endOfCallback();
  EXPECT_TRUE(wire->dropped);  // outside its writable turn: dropped once the callback is over
  session.send(message("b"));
  EXPECT_EQ(session.onWritable(), AfterWrite::kClose);
}

// ---- closing --------------------------------------------------------------------------

TEST_F(WsSessionTest, ACloseWaitsForQueuedMessagesThenTheLingerThenSendsCodeAndReason) {
  WsSession& session = open();
  session.send(message("a"));
  session.close(4001, "kicked");
  EXPECT_TRUE(session.closing);
  session.send(message("after the close"));  // not sent

  EXPECT_EQ(session.onWritable(), AfterWrite::kKeepOpen);
  EXPECT_EQ(wire->writes, std::vector<Messages>{Messages{text("a")}});
  EXPECT_FALSE(wire->closeFrame);

  const int asks = wire->writableAsks;
  clock.nowMs += 199;
  session.onTick(clock.nowMs);
  EXPECT_EQ(wire->writableAsks, asks);  // still lingering
  EXPECT_EQ(session.onWritable(), AfterWrite::kKeepOpen);
  EXPECT_FALSE(wire->closeFrame);

  clock.nowMs += 1;
  session.onTick(clock.nowMs);
  EXPECT_EQ(wire->writableAsks, asks + 1);
  EXPECT_EQ(session.onWritable(), AfterWrite::kClose);
  ASSERT_TRUE(wire->closeFrame);
  EXPECT_EQ(*wire->closeFrame, std::make_pair(4001, std::string("kicked")));
  EXPECT_EQ(wire->writes.size(), 1u);
}

TEST_F(WsSessionTest, TheCloseFrameWaitsForOutputTheSocketHasNotTakenYet) {
  WsSession& session = open();
  session.close(1000, "bye");
  clock.nowMs += 1000;
  wire->holding = true;
  EXPECT_EQ(session.onWritable(), AfterWrite::kKeepOpen);
  EXPECT_FALSE(wire->closeFrame);
  wire->holding = false;
  EXPECT_EQ(session.onWritable(), AfterWrite::kClose);
  EXPECT_EQ(*wire->closeFrame, std::make_pair(1000, std::string("bye")));
}

TEST_F(WsSessionTest, ASecondCloseKeepsTheFirstCodeAndReason) {
  WsSession& session = open();
  session.close(4001, "kicked");
  session.close(1001, "going away");
  clock.nowMs += 1000;
  EXPECT_EQ(session.onWritable(), AfterWrite::kClose);
  EXPECT_EQ(*wire->closeFrame, std::make_pair(4001, std::string("kicked")));
  EXPECT_EQ(session.closeCode(), 4001);
}

TEST_F(WsSessionTest, AConnectionThatDropsIsRecordedAsLostAndAPeerCloseKeepsItsCode) {
  WsSession& lost = open();
  EXPECT_EQ(lost.closeCode(), 1006);
  EXPECT_EQ(lost.closeReason(), "connection lost");
  lost.notePeerClose(1001);
  EXPECT_EQ(lost.closeCode(), 1001);
  EXPECT_EQ(lost.closeReason(), "closed by client");
}

// ---- output budget --------------------------------------------------------------------

TEST_F(WsSessionTest, OutputOverTheSessionBudgetEndsTheSessionWithTheDocumentedCode) {
  const auto& over = error_codes::kOutputOverBudget;
  std::vector<server_message::Text> handedOver;
  testing::endOverBudgetAsTheGatewayDoes(sessions.output(), 1000, handedOver);
  WsSession& session = open();
  wire->holding = true;  // the client does not read
  session.send(message(std::string(3000, 'x')));
  endOfCallback();
  sessions.output().check(session);

  EXPECT_EQ(handedOver.size(), 1u);
  EXPECT_EQ(session.heldBytes(), 0u);
  session.send(message("more"));  // spilled, not written
  wire->holding = false;
  clock.nowMs += 1000;
  EXPECT_EQ(session.onWritable(), AfterWrite::kClose);
  EXPECT_TRUE(wire->writes.empty());
  EXPECT_EQ(*wire->closeFrame, std::make_pair(over.closeCode, std::string(over.name)));
}

}  // namespace
}  // namespace wsd
