// A queue shared by every gateway with no Redis behind it, for poll session tests: it
// records what the session asked of it and keeps each callback until the test answers it,
// as Redis answers later.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gateway/sessions/session.h"
#include "gateway/sessions/shared_poll_queue.h"

namespace wsd::testing {

class FakeSharedPollQueue final : public SharedPollQueue {
 public:
  void push(Session& /*session*/, const server_message::Text& message, std::function<void(QueueSize)> stored) override {
    pushed.push_back(*message);
    stored_.push_back(std::move(stored));
  }
  void drain(Session& /*session*/, std::function<void(std::vector<std::string>)> taken) override {
    ++drains;
    taken_ = std::move(taken);
  }
  void discard(const Session& session) override { discarded.push_back(session.conn()); }
  void wasPolled(Session& /*session*/, std::function<void(bool)> answer) override {
    ++pollAsks;
    polledAnswer_ = std::move(answer);
  }
  std::optional<OutputBudget::Over> overBudget(QueueSize size) const override {
    if (size.messages > messagesAllowed) return OutputBudget::Over::kSessionMessages;
    return std::nullopt;
  }
  bool keepUndelivered(Session& /*session*/, const std::vector<std::string>& messages,
                       std::function<void()> logged) override {
    if (messages.empty()) return false;
    kept.insert(kept.end(), messages.begin(), messages.end());
    logged_ = std::move(logged);
    return true;
  }
  void endOverBudget(Session& /*session*/, OutputBudget::Over over) override { endedOverBudget.push_back(over); }

  // ---- the test answers for the queue ----
  // The oldest push not yet answered: the queue now holds `messages`.
  void answerPush(std::size_t messages) {
    ASSERT_FALSE(stored_.empty()) << "no push to answer";
    auto stored = std::move(stored_.front());
    stored_.erase(stored_.begin());
    stored(QueueSize{messages, messages * 10});
  }
  void answerDrain(std::vector<std::string> messages) {
    ASSERT_TRUE(taken_) << "no drain to answer";
    auto taken = std::exchange(taken_, {});
    taken(std::move(messages));
  }
  void answerPolled(bool polled) {
    ASSERT_TRUE(polledAnswer_) << "nobody asked whether the session was polled";
    auto answer = std::exchange(polledAnswer_, {});
    answer(polled);
  }
  void logKept() {
    ASSERT_TRUE(logged_) << "nothing kept to log";
    auto logged = std::exchange(logged_, {});
    logged();
  }

  std::size_t messagesAllowed = 1000;
  std::vector<std::string> pushed;
  std::vector<std::string> discarded;
  std::vector<std::string> kept;  // given to keepUndelivered, in order
  std::vector<OutputBudget::Over> endedOverBudget;
  int drains = 0;
  int pollAsks = 0;

 private:
  std::vector<std::function<void(QueueSize)>> stored_;
  std::function<void(std::vector<std::string>)> taken_;
  std::function<void(bool)> polledAnswer_;
  std::function<void()> logged_;
};

}  // namespace wsd::testing
