// The long-polling session's rules, on fake requests: with its queue kept here, what a GET
// is answered with and when, the poll and session timeouts, and how the session ends; with
// a queue shared by every gateway (a fake one), what it asks of the queue and when it ends.
#include "gateway/sessions/poll_session.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/error_codes.h"
#include "fake_shared_poll_queue.h"
#include "fake_transport.h"
#include "gateway/sessions/session_registry.h"

namespace wsd {
namespace {

using testing::FakePollRequest;
using testing::FakeSharedPollQueue;
using testing::ManualClock;
using Ends = std::vector<std::pair<int, std::string>>;

server_message::Text message(const std::string& text) {
  return std::make_shared<const std::string>(R"({"type":"broadcast","msg":")" + text + R"("})");
}

std::string array(const std::vector<std::string>& rendered) {
  std::string out = "[";
  for (const auto& one : rendered) out += (out.size() > 1 ? "," : "") + one;
  return out + "]";
}

class PollSessionTest : public ::testing::Test {
 protected:
  PollSession& open(SharedPollQueue* sharedQueue = nullptr) {
    SessionIdentity identity{"c1", "p", "t", Transport::kPoll, Mode::kShort, "secret"};
    auto end = [this](Session& session, int code, const std::string& reason) {
      ended.emplace_back(code, reason);
      sessions.remove(session.conn());
    };
    return static_cast<PollSession&>(*sessions.add(std::make_unique<PollSession>(
        identity, RateLimiter(1000, 1000), options, end, sharedQueue, clock.nowMs, clock.clock())));
  }
  void tickAfter(std::int64_t ms, PollSession& session) {
    clock.nowMs += ms;
    session.onTick(clock.nowMs);
  }

  GatewayOptions options;
  SessionRegistry sessions;
  ManualClock clock;
  Ends ended;
};

// ---- answering GETs -------------------------------------------------------------------

TEST_F(PollSessionTest, AGetFindingMessagesQueuedIsAnsweredAtOnceWithAllOfThem) {
  PollSession& session = open();
  session.send(message("a"));
  session.send(message("b"));
  FakePollRequest get;
  session.take(&get, clock.nowMs);
  ASSERT_TRUE(get.answered);
  EXPECT_EQ(*get.answered, array({*message("a"), *message("b")}));
  EXPECT_TRUE(get.forgotten);
  EXPECT_EQ(session.heldMessages(), 0u);
  EXPECT_EQ(sessions.output().held(), 0u);
}

TEST_F(PollSessionTest, AHeldPollIsAnsweredWhenAMessageArrives) {
  PollSession& session = open();
  FakePollRequest get;
  session.take(&get, clock.nowMs);
  EXPECT_FALSE(get.answered);
  tickAfter(1000, session);
  EXPECT_FALSE(get.answered);
  session.send(message("a"));
  EXPECT_EQ(get.answered, array({*message("a")}));
}

TEST_F(PollSessionTest, AHeldPollIsAnsweredWithAnEmptyArrayAtThePollTimeout) {
  options.pollTimeoutMs = 25000;
  PollSession& session = open();
  FakePollRequest get;
  session.take(&get, clock.nowMs);
  tickAfter(24999, session);
  EXPECT_FALSE(get.answered);
  tickAfter(1, session);
  EXPECT_EQ(get.answered, "[]");
  EXPECT_TRUE(ended.empty());
}

TEST_F(PollSessionTest, ANewerGetAnswersTheOlderHeldOneWithAnEmptyArrayAndIsHeldInstead) {
  PollSession& session = open();
  FakePollRequest older;
  FakePollRequest newer;
  session.take(&older, clock.nowMs);
  session.take(&newer, clock.nowMs);
  EXPECT_EQ(older.answered, "[]");
  EXPECT_FALSE(newer.answered);
  session.send(message("a"));
  EXPECT_EQ(newer.answered, array({*message("a")}));
}

TEST_F(PollSessionTest, AClientThatGaveUpOnItsGetKeepsTheMessagesForItsNext) {
  PollSession& session = open();
  FakePollRequest abandoned;
  session.take(&abandoned, clock.nowMs);
  abandoned.hungUp = true;
  tickAfter(1000, session);
  EXPECT_TRUE(abandoned.closedSoon);
  session.release(&abandoned, clock.nowMs);
  session.send(message("a"));
  EXPECT_FALSE(abandoned.answered);
  FakePollRequest next;
  session.take(&next, clock.nowMs);
  EXPECT_EQ(next.answered, array({*message("a")}));
}

// ---- the session timeout --------------------------------------------------------------

TEST_F(PollSessionTest, ASessionNobodyPollsEndsAtTheSessionTimeout) {
  options.pollSessionTimeoutMs = 60000;
  PollSession& session = open();
  tickAfter(59999, session);
  EXPECT_TRUE(ended.empty());
  tickAfter(1, session);
  EXPECT_EQ(ended, (Ends{{error_codes::kPollTimeout.closeCode, error_codes::kPollTimeout.name}}));
  EXPECT_EQ(sessions.find("c1"), nullptr);
}

TEST_F(PollSessionTest, TheSessionTimeoutCountsFromTheLastAnswer) {
  options.pollTimeoutMs = 25000;
  options.pollSessionTimeoutMs = 60000;
  PollSession& session = open();
  FakePollRequest get;
  session.take(&get, clock.nowMs);
  tickAfter(25000, session);  // answered [] at the poll timeout
  ASSERT_TRUE(get.answered);
  tickAfter(59999, session);
  EXPECT_TRUE(ended.empty());
  tickAfter(1, session);
  EXPECT_EQ(ended.size(), 1u);
}

TEST_F(PollSessionTest, AHeldPollKeepsTheSessionPastTheSessionTimeout) {
  options.pollTimeoutMs = 90000;
  options.pollSessionTimeoutMs = 60000;
  PollSession& session = open();
  FakePollRequest get;
  session.take(&get, clock.nowMs);
  tickAfter(70000, session);
  EXPECT_TRUE(ended.empty());
  EXPECT_FALSE(get.answered);
}

// ---- closing --------------------------------------------------------------------------

TEST_F(PollSessionTest, ACloseIsHandedOutAfterWhatIsQueuedThenTheSessionEnds) {
  PollSession& session = open();
  session.send(message("a"));
  session.close(4001, "kicked");
  EXPECT_TRUE(ended.empty());  // until a GET takes the `closed`
  FakePollRequest get;
  session.take(&get, clock.nowMs);
  EXPECT_EQ(get.answered, array({*message("a"), *server_message::closed(4001, "kicked")}));
  EXPECT_EQ(ended, (Ends{{4001, "kicked"}}));
}

TEST_F(PollSessionTest, ACloseAnswersAHeldPollAtOnce) {
  PollSession& session = open();
  FakePollRequest get;
  session.take(&get, clock.nowMs);
  session.close(4001, "kicked");
  EXPECT_EQ(get.answered, array({*server_message::closed(4001, "kicked")}));
  EXPECT_EQ(ended, (Ends{{4001, "kicked"}}));
}

TEST_F(PollSessionTest, AClosedSessionNobodyPollsEndsWithItsOwnCodeAtTheSessionTimeout) {
  options.pollSessionTimeoutMs = 60000;
  PollSession& session = open();
  session.close(4001, "kicked");
  tickAfter(60000, session);
  EXPECT_EQ(ended, (Ends{{4001, "kicked"}}));
}

TEST_F(PollSessionTest, OutputOverTheSessionBudgetEndsTheSessionWithTheDocumentedCode) {
  const auto& over = error_codes::kOutputOverBudget;
  std::vector<server_message::Text> handedOver;
  testing::endOverBudgetAsTheGatewayDoes(sessions.output(), 1000, handedOver);
  PollSession& session = open();
  session.send(message(std::string(3000, 'x')));  // nobody polls
  sessions.output().check(session);
  EXPECT_EQ(handedOver.size(), 1u);
  session.send(message("more"));  // spilled, not queued

  FakePollRequest get;
  session.take(&get, clock.nowMs);
  EXPECT_EQ(get.answered, array({*server_message::closed(over.closeCode, over.name)}));
  EXPECT_EQ(ended, (Ends{{over.closeCode, over.name}}));
}

// ---- a queue shared by every gateway -------------------------------------------------

class SharedQueuePollSessionTest : public PollSessionTest {
 protected:
  PollSession& openShared() { return open(&queue); }

  FakeSharedPollQueue queue;
};

TEST_F(SharedQueuePollSessionTest, MessagesGoToTheSharedQueueAndNoneIsHeldHere) {
  PollSession& session = openShared();
  session.send(message("a"));
  session.send(message("b"));
  EXPECT_EQ(queue.pushed, (std::vector<std::string>{*message("a"), *message("b")}));
  EXPECT_EQ(session.heldMessages(), 0u);
  EXPECT_EQ(sessions.output().held(), 0u);
  EXPECT_TRUE(session.takeUndelivered().empty());
}

// Its `closed` must be in the shared queue before its conn.close is logged (poll_session.h).
TEST_F(SharedQueuePollSessionTest, TellsItsEndBeforeLoggingItOnlyWithASharedQueue) {
  const SessionIdentity identity{"c2", "p", "t", Transport::kPoll, Mode::kShort, "secret"};
  const PollSession shared(identity, RateLimiter(1000, 1000), options, {}, &queue, clock.nowMs, clock.clock());
  const PollSession local(identity, RateLimiter(1000, 1000), options, {}, nullptr, clock.nowMs, clock.clock());
  EXPECT_TRUE(shared.tellsItsEndBeforeLoggingIt());
  EXPECT_FALSE(local.tellsItsEndBeforeLoggingIt());
}

TEST_F(SharedQueuePollSessionTest, ACloseQueuesClosedAndEndsTheSessionOnlyOnceTheQueueHasIt) {
  PollSession& session = openShared();
  session.close(4001, "kicked");
  EXPECT_EQ(queue.pushed, (std::vector<std::string>{*server_message::closed(4001, "kicked")}));
  EXPECT_TRUE(ended.empty());
  queue.answerPush(1);
  EXPECT_EQ(ended, (Ends{{4001, "kicked"}}));
}

TEST_F(SharedQueuePollSessionTest, AQueueWithinItsBudgetLeavesTheSessionOpen) {
  PollSession& session = openShared();
  queue.messagesAllowed = 2;
  session.send(message("a"));
  queue.answerPush(2);
  EXPECT_EQ(queue.drains, 0);
  EXPECT_TRUE(queue.endedOverBudget.empty());
  EXPECT_FALSE(session.closing);
}

TEST_F(SharedQueuePollSessionTest, AQueueOverItsBudgetIsDrainedAndItsMessagesKeptInOrderBeforeTheSessionEnds) {
  PollSession& session = openShared();
  queue.messagesAllowed = 1;
  session.send(message("a"));
  session.send(message("b"));
  queue.answerPush(2);
  EXPECT_EQ(queue.drains, 1);
  session.send(message("c"));  // while the queue is drained: kept after what it held
  EXPECT_EQ(queue.pushed.size(), 2u);
  queue.answerDrain({*message("a"), *message("b")});
  EXPECT_EQ(queue.kept, (std::vector<std::string>{*message("a"), *message("b"), *message("c")}));
  EXPECT_TRUE(queue.endedOverBudget.empty()) << "ended before the log had its messages";
  queue.logKept();
  EXPECT_EQ(queue.endedOverBudget, std::vector<OutputBudget::Over>{OutputBudget::Over::kSessionMessages});
}

TEST_F(SharedQueuePollSessionTest, AQueueOverItsBudgetWithNothingToKeepEndsTheSessionAtOnce) {
  PollSession& session = openShared();
  queue.messagesAllowed = 0;
  session.send(message("a"));
  queue.answerPush(1);
  queue.answerDrain({});
  EXPECT_TRUE(queue.kept.empty());
  EXPECT_EQ(queue.endedOverBudget, std::vector<OutputBudget::Over>{OutputBudget::Over::kSessionMessages});
}

TEST_F(SharedQueuePollSessionTest, ASessionNotPolledHereAsksWhetherAnyGatewayPolledItBeforeEnding) {
  options.pollSessionTimeoutMs = 60000;
  PollSession& session = openShared();
  tickAfter(60000, session);
  EXPECT_EQ(queue.pollAsks, 1);
  tickAfter(100, session);
  EXPECT_EQ(queue.pollAsks, 1) << "asked again before the answer";
  EXPECT_TRUE(ended.empty());
  queue.answerPolled(false);
  EXPECT_EQ(queue.discarded, std::vector<std::string>{"c1"});
  EXPECT_EQ(ended, (Ends{{error_codes::kPollTimeout.closeCode, error_codes::kPollTimeout.name}}));
}

TEST_F(SharedQueuePollSessionTest, ASessionPolledOnAnotherGatewayStaysOpenForAnotherSessionTimeout) {
  options.pollSessionTimeoutMs = 60000;
  PollSession& session = openShared();
  tickAfter(60000, session);
  queue.answerPolled(true);
  tickAfter(59000, session);
  EXPECT_EQ(queue.pollAsks, 1);
  EXPECT_TRUE(ended.empty());
  EXPECT_TRUE(queue.discarded.empty());
  tickAfter(1000, session);
  EXPECT_EQ(queue.pollAsks, 2);
}

}  // namespace
}  // namespace wsd
