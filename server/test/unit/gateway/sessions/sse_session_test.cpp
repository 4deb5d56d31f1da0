// The SSE session's rules, on fake streams: event ids, resuming after Last-Event-ID, the
// bounded resume window, keep-alive comments, and how the session ends.
#include "gateway/sessions/sse_session.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/error_codes.h"
#include "fake_transport.h"
#include "gateway/sessions/session_registry.h"

namespace wsd {
namespace {

using testing::FakeSseStream;
using testing::ManualClock;

server_message::Text message(const std::string& text) {
  return std::make_shared<const std::string>(R"({"type":"broadcast","msg":")" + text + R"("})");
}

// The event a stream carries for message `text`, sent as the session's `seq`th.
std::string event(std::uint64_t seq, const std::string& text) {
  return "id: c1:" + std::to_string(seq) + "\ndata: " + *message(text) + "\n\n";
}

class SseSessionTest : public ::testing::Test {
 protected:
  SseSession& open() {
    SessionIdentity identity{"c1", "p", "t", Transport::kSse, Mode::kShort, "secret"};
    auto end = [this](Session& session, int code, const std::string& reason) {
      ended.emplace_back(code, reason);
      sessions.remove(session.conn());
    };
    return static_cast<SseSession&>(*sessions.add(std::make_unique<SseSession>(
        identity, RateLimiter(1000, 1000), options, sessions.output(), end, clock.clock())));
  }
  void sendAll(SseSession& session, const std::vector<std::string>& texts) {
    for (const auto& text : texts) session.send(message(text));
  }

  GatewayOptions options;
  SessionRegistry sessions;
  ManualClock clock;
  std::vector<std::pair<int, std::string>> ended;
};

// ---- events and resuming --------------------------------------------------------------

TEST_F(SseSessionTest, EachMessageIsOneEventWhoseIdIsTheConnAndItsPlace) {
  SseSession& session = open();
  FakeSseStream stream;
  session.attach(&stream, 0);
  sendAll(session, {"a", "b"});
  EXPECT_GE(stream.writableAsks, 1);
  EXPECT_EQ(session.onWritable(), AfterWrite::kKeepOpen);
  EXPECT_EQ(stream.body, event(1, "a") + event(2, "b"));
  EXPECT_EQ(stream.writes, 1);  // written together
}

TEST_F(SseSessionTest, AResumeAfterLastEventIdReplaysOnlyLaterMessagesNoneTwice) {
  SseSession& session = open();
  FakeSseStream first;
  session.attach(&first, 0);
  sendAll(session, {"a", "b", "c"});
  session.onWritable();
  session.detach(&first, clock.nowMs);
  session.send(message("d"));  // while no stream is attached

  FakeSseStream resumed;
  session.attach(&resumed, 2);  // the client saw up to "b"
  session.onWritable();
  EXPECT_EQ(resumed.body, event(3, "c") + event(4, "d"));
  session.send(message("e"));
  session.onWritable();
  EXPECT_EQ(resumed.body, event(3, "c") + event(4, "d") + event(5, "e"));
  EXPECT_TRUE(ended.empty());
}

TEST_F(SseSessionTest, AResumeFromAnIdNotYetSentReplaysNothingAgain) {
  SseSession& session = open();
  FakeSseStream first;
  session.attach(&first, 0);
  sendAll(session, {"a"});
  session.onWritable();
  FakeSseStream resumed;
  session.attach(&resumed, 99);
  session.send(message("b"));
  session.onWritable();
  EXPECT_EQ(resumed.body, event(2, "b"));
}

TEST_F(SseSessionTest, TheResumeWindowKeepsOnlyTheLastWrittenMessages) {
  options.sseReplayMessages = 2;
  SseSession& session = open();
  FakeSseStream first;
  session.attach(&first, 0);
  sendAll(session, {"a", "b", "c", "d", "e"});
  session.onWritable();
  EXPECT_EQ(session.heldMessages(), 2u);
  session.detach(&first, clock.nowMs);

  FakeSseStream resumed;
  session.attach(&resumed, 1);  // "b" and "c" are gone from the window
  session.onWritable();
  EXPECT_EQ(resumed.body, event(4, "d") + event(5, "e"));
}

TEST_F(SseSessionTest, TheResumeWindowNeverDropsWhatNoStreamHasWritten) {
  options.sseReplayMessages = 2;
  SseSession& session = open();
  sendAll(session, {"a", "b", "c", "d"});
  EXPECT_EQ(session.heldMessages(), 4u);
  FakeSseStream stream;
  session.attach(&stream, 0);
  session.onWritable();
  EXPECT_EQ(stream.body, event(1, "a") + event(2, "b") + event(3, "c") + event(4, "d"));
  EXPECT_EQ(session.heldMessages(), 2u);
}

TEST_F(SseSessionTest, TheResumeWindowHoldsAtMostHalfTheSessionsByteBudget) {
  sessions.output().configure({1000, 0, 0}, [](Session&, OutputBudget::Over) {}, {});
  SseSession& session = open();
  FakeSseStream stream;
  session.attach(&stream, 0);
  for (int i = 0; i < 5; ++i) session.send(message(std::string(200, 'x')));
  session.onWritable();
  EXPECT_LE(session.heldBytes(), 500u);
  EXPECT_GT(session.heldMessages(), 0u);
}

TEST_F(SseSessionTest, ANewStreamReplacesTheOneAttachedWhichIsClosed) {
  SseSession& session = open();
  FakeSseStream first;
  FakeSseStream second;
  session.attach(&first, 0);
  session.attach(&second, 0);
  EXPECT_TRUE(first.closedSoon);
  session.detach(&first, clock.nowMs);  // the old stream's end changes nothing
  EXPECT_EQ(session.stream(), &second);
  clock.nowMs += options.sseResumeMs;
  session.onTick(clock.nowMs);
  EXPECT_TRUE(ended.empty());
}

// ---- keep-alive and hang-ups ----------------------------------------------------------

TEST_F(SseSessionTest, AKeepAliveCommentIsWrittenAfterAHeartbeatOfSilence) {
  options.heartbeatMs = 15000;
  SseSession& session = open();
  FakeSseStream stream;
  session.attach(&stream, 0);
  session.send(message("a"));
  session.onWritable();
  const std::string afterMessage = stream.body;

  clock.nowMs += 14999;
  session.onTick(clock.nowMs);
  session.onWritable();
  EXPECT_EQ(stream.body, afterMessage);

  clock.nowMs += 1;
  const int asks = stream.writableAsks;
  session.onTick(clock.nowMs);
  EXPECT_EQ(stream.writableAsks, asks + 1);
  session.onWritable();
  EXPECT_EQ(stream.body, afterMessage + ": keepalive\n\n");
}

TEST_F(SseSessionTest, AStreamWhoseClientHungUpIsClosed) {
  SseSession& session = open();
  FakeSseStream stream;
  session.attach(&stream, 0);
  stream.hungUp = true;
  session.onTick(clock.nowMs);
  EXPECT_TRUE(stream.closedSoon);
}

TEST_F(SseSessionTest, AFailedWriteEndsTheStream) {
  SseSession& session = open();
  FakeSseStream stream;
  session.attach(&stream, 0);
  stream.failing = true;
  session.send(message("a"));
  EXPECT_EQ(session.onWritable(), AfterWrite::kClose);
}

// ---- ending ---------------------------------------------------------------------------

TEST_F(SseSessionTest, ASessionWithoutAStreamEndsWhenTheResumeWindowPasses) {
  options.sseResumeMs = 5000;
  SseSession& session = open();
  FakeSseStream stream;
  session.attach(&stream, 0);
  session.detach(&stream, clock.nowMs);
  clock.nowMs += 4999;
  session.onTick(clock.nowMs);
  EXPECT_TRUE(ended.empty());
  clock.nowMs += 1;
  session.onTick(clock.nowMs);
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_EQ(ended[0],
            std::make_pair(error_codes::kStreamClosed.closeCode, std::string(error_codes::kStreamClosed.name)));
  EXPECT_EQ(sessions.find("c1"), nullptr);
}

TEST_F(SseSessionTest, ACloseSendsClosedAfterWhatIsQueuedThenEndsTheStreamAndTheSession) {
  SseSession& session = open();
  FakeSseStream stream;
  session.attach(&stream, 0);
  session.send(message("a"));
  session.close(4001, "kicked");
  session.send(message("after the close"));
  EXPECT_EQ(session.onWritable(), AfterWrite::kClose);
  EXPECT_EQ(stream.body, event(1, "a") + "id: c1:2\ndata: " + *server_message::closed(4001, "kicked") + "\n\n");
  EXPECT_TRUE(ended.empty());  // until its stream is gone
  session.detach(&stream, clock.nowMs);
  EXPECT_EQ(ended, (std::vector<std::pair<int, std::string>>{{4001, "kicked"}}));
}

TEST_F(SseSessionTest, ACloseWithoutAStreamEndsTheSessionAtOnce) {
  SseSession& session = open();
  session.close(4001, "kicked");
  EXPECT_EQ(ended, (std::vector<std::pair<int, std::string>>{{4001, "kicked"}}));
}

TEST_F(SseSessionTest, OutputOverTheSessionBudgetEndsTheSessionWithTheDocumentedCode) {
  const auto& over = error_codes::kOutputOverBudget;
  std::vector<server_message::Text> handedOver;
  testing::endOverBudgetAsTheGatewayDoes(sessions.output(), 1000, handedOver);
  SseSession& session = open();
  FakeSseStream stream;
  session.attach(&stream, 0);
  session.send(message(std::string(3000, 'x')));  // the stream is not writable: it is held
  sessions.output().check(session);

  EXPECT_EQ(handedOver.size(), 1u);
  session.send(message("more"));  // spilled, not written
  EXPECT_EQ(session.onWritable(), AfterWrite::kClose);
  EXPECT_EQ(stream.body, "id: c1:2\ndata: " + *server_message::closed(over.closeCode, over.name) + "\n\n");
}

}  // namespace
}  // namespace wsd
