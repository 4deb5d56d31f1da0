// The shared poll queues (shared_poll_queues.h) as the poll sessions this gateway holds
// use them (sessions/shared_poll_queue.h): by session rather than by connId, with every
// callback dropped once its session is no longer held here, and the gateway's part in
// ending such a session over its budget.
//
// Threads: gateway thread only.
#pragma once

#include "gateway/cluster/shared_poll_queues.h"
#include "gateway/gateway_context.h"
#include "gateway/sessions/shared_poll_queue.h"

namespace wsd {

class HeldPollQueues final : public SharedPollQueue {
 public:
  HeldPollQueues(SharedPollQueues& queues, GatewayContext& ctx) : queues_(queues), ctx_(ctx) {}

  void push(Session& session, const server_message::Text& message, std::function<void(QueueSize)> stored) override;
  void drain(Session& session, std::function<void(std::vector<std::string>)> taken) override;
  void discard(const Session& session) override;
  void wasPolled(Session& session, std::function<void(bool)> answer) override;
  std::optional<OutputBudget::Over> overBudget(QueueSize size) const override;
  bool keepUndelivered(Session& session, const std::vector<std::string>& messages,
                       std::function<void()> logged) override;
  void endOverBudget(Session& session, OutputBudget::Over over) override;

 private:
  SharedPollQueues& queues_;
  GatewayContext& ctx_;
};

}  // namespace wsd
