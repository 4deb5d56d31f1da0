// Output budgets with fake sessions: a session is ended over its own budget at the check
// (not for a burst), and the process budget ends the largest holders first.
#include "gateway/sessions/output_budget.h"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "gateway/sessions/session_registry.h"

namespace wsd {
namespace {

// Keeps what it is sent, as a socket that is not read would.
class HoardingSession final : public Session {
 public:
  explicit HoardingSession(std::string conn)
      : Session(SessionIdentity{std::move(conn), "p", "t", Transport::kWebSocket, Mode::kShort, {}},
                RateLimiter(1000, 1000)) {}
  void enqueue(server_message::Text message) override {
    holdMessage(message->size());
    queue_.push_back(std::move(message));
  }
  void close(int code, const std::string& reason) override {
    closing = true;
    closedWith = {code, reason};
  }
  std::vector<server_message::Text> takeUndelivered() override {
    for (const auto& m : queue_) releaseMessage(m->size());
    return std::exchange(queue_, {});
  }
  std::pair<int, std::string> closedWith{0, ""};

 private:
  std::vector<server_message::Text> queue_;
};

server_message::Text text(std::size_t bytes) { return std::make_shared<const std::string>(bytes, 'x'); }

class OutputBudgetTest : public ::testing::Test {
 protected:
  void configure(OutputBudget::Limits limits) {
    sessions.output().configure(
        limits,
        [this](Session& s, OutputBudget::Over over) {
          ended.push_back({s.conn(), over});
          s.takeUndelivered();
          s.spillFromNowOn();
          s.close(over == OutputBudget::Over::kProcess ? 1013 : 1008, "over");
        },
        [this](const std::string&, const std::string& conn, const std::string&) { spilled.push_back(conn); });
  }
  HoardingSession& add(const std::string& conn) {
    return static_cast<HoardingSession&>(*sessions.add(std::make_unique<HoardingSession>(conn)));
  }

  SessionRegistry sessions;
  std::vector<std::pair<std::string, OutputBudget::Over>> ended;
  std::vector<std::string> spilled;
};

TEST_F(OutputBudgetTest, ABurstOverTheSessionBudgetIsEndedOnlyIfStillHeldAtTheCheck) {
  configure({1000, 0, 0});
  auto& reader = add("reader");
  reader.send(text(3000));
  EXPECT_TRUE(ended.empty());  // a burst: the client may read it before the check
  reader.takeUndelivered();    // it did
  sessions.output().check(reader);
  EXPECT_TRUE(ended.empty());
  reader.send(text(3000));
  sessions.output().check(reader);  // this time it did not
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_EQ(ended[0].second, OutputBudget::Over::kSession);
  EXPECT_EQ(reader.heldBytes(), 0u);
  EXPECT_EQ(sessions.output().held(), 0u);
}

TEST_F(OutputBudgetTest, TooManyMessagesEndAsASlowConsumerHoweverSmall) {
  configure({0, 0, 3});
  auto& reader = add("reader");
  for (int i = 0; i < 4; ++i) reader.send(text(1));
  sessions.output().check(reader);
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_EQ(ended[0].second, OutputBudget::Over::kSessionMessages);
}

TEST_F(OutputBudgetTest, TheProcessBudgetEndsTheLargestHoldersFirst) {
  configure({0, 10000, 0});
  auto& small = add("small");
  auto& large = add("large");
  small.send(text(2000));
  large.send(text(7000));
  EXPECT_TRUE(ended.empty());
  small.send(text(2000));  // 11000 held: over, and `large` holds the most
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_EQ(ended[0].first, "large");
  EXPECT_EQ(ended[0].second, OutputBudget::Over::kProcess);
  EXPECT_EQ(sessions.output().held(), 4000u);
  EXPECT_EQ(small.closedWith.first, 0);
}

TEST_F(OutputBudgetTest, AnEndedSessionSpillsDirectMessagesAndQueuesOnlyItsClosed) {
  configure({100, 0, 0});
  auto& reader = add("reader");
  reader.uid = "b";
  reader.send(text(500));
  sessions.output().check(reader);
  reader.send(std::make_shared<const std::string>(R"({"type":"direct","from":"a","to":"b","msg":1})"));
  reader.send(std::make_shared<const std::string>(R"({"type":"broadcast","from":"a","msg":1})"));
  EXPECT_EQ(spilled, std::vector<std::string>{"reader"});
  EXPECT_EQ(reader.heldMessages(), 0u);  // nothing more piles up for it
  reader.send(std::make_shared<const std::string>(R"({"type":"closed","code":1008,"reason":"over"})"));
  EXPECT_EQ(reader.heldMessages(), 1u);  // but it is told why it ended
}

TEST_F(OutputBudgetTest, ASessionGivesItsBytesBackWhenDestroyed) {
  configure({0, 0, 0});
  add("gone").send(text(1234));
  EXPECT_EQ(sessions.output().held(), 1234u);
  sessions.remove("gone");
  sessions.collectGarbage();
  EXPECT_EQ(sessions.output().held(), 0u);
}

// Until its conn.close is applied, the projections still address direct messages to a
// session ended over budget, even once it left the registry: the registry must still say
// whose it was, so they can be kept.
TEST_F(OutputBudgetTest, ALeavingSessionIsKnownAfterItsRemovalUntilItsCloseIsApplied) {
  configure({100, 0, 0});
  auto& reader = add("reader");
  reader.uid = "b";
  reader.send(text(500));
  sessions.output().check(reader);
  sessions.noteLeaving("reader", "p");
  sessions.remove("reader");
  ASSERT_NE(sessions.leavingProject("reader"), nullptr);
  EXPECT_EQ(*sessions.leavingProject("reader"), "p");
  sessions.closeApplied("reader");
  EXPECT_EQ(sessions.leavingProject("reader"), nullptr);
}

}  // namespace
}  // namespace wsd
