// What a polling session held here asks of the queue its messages wait in when that queue
// is shared by every gateway (given --redis: cluster/held_poll_queues.h), and of the
// gateway, to end such a session over its budget. A PollSession holds it as a pointer that
// its SessionDirectory gave it, null when the session keeps its queue in its own memory.
//
// Each callback runs later, on the gateway thread, and only while `session` is still held
// here (connIds are never reused, so its connId tells): a callback may use the session.
//
// Threads: gateway thread only.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/server_messages.h"
#include "gateway/sessions/output_budget.h"

namespace wsd {

class Session;

class SharedPollQueue {
 public:
  // What a session's queue holds after a push (zero if the queue failed to answer).
  struct QueueSize {
    std::size_t messages = 0;
    std::size_t bytes = 0;
  };

  virtual ~SharedPollQueue() = default;

  // Queues `message` for `session`; `stored` runs once the queue took it, or failed to.
  virtual void push(Session& session, const server_message::Text& message, std::function<void(QueueSize)> stored) = 0;
  // Takes everything queued for `session`, oldest first, so that no GET is handed any of
  // it from now on; `taken` runs with it (empty if the queue failed).
  virtual void drain(Session& session, std::function<void(std::vector<std::string>)> taken) = 0;
  // `session` ends unpolled: what was queued for it goes, so a late GET finds nothing.
  virtual void discard(const Session& session) = 0;
  // `answer(true)` if some gateway polled `session` within the session timeout (also when
  // the queue cannot tell: an outage of ours ends no session).
  virtual void wasPolled(Session& session, std::function<void(bool)> answer) = 0;
  // The session budget a queue of `size` breaks, if any (OutputBudget::overSessionBudget).
  virtual std::optional<OutputBudget::Over> overBudget(QueueSize size) const = 0;
  // Keeps the direct messages among `messages` for the session's uid (message.undelivered
  // events, output_overflow.h). False if none is kept; else `logged` runs once the log
  // has them all.
  virtual bool keepUndelivered(Session& session, const std::vector<std::string>& messages,
                               std::function<void()> logged) = 0;
  // Ends `session`, over its budget, as every transport's session is (output_overflow.h).
  virtual void endOverBudget(Session& session, OutputBudget::Over over) = 0;
};

}  // namespace wsd
