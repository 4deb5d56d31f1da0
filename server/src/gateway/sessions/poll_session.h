// A long-polling session: messages wait in a queue until a GET /poll takes them all as
// one JSON array. A GET with nothing to take is held until a message arrives or the
// poll timeout passes; a session nobody polls for the session timeout ends. Given
// --redis the queue is shared instead (shared_poll_queue.h, in Redis) and GETs may reach
// any gateway, which take from it there; this gateway still holds the session: it
// appended conn.open and receives its messages from the log. Each GET held here is a
// PollRequest (transport.h).
//
// Threads: gateway thread only.
#pragma once

#include <cstdint>
#include <vector>

#include "gateway/clock.h"
#include "gateway/gateway_options.h"
#include "gateway/sessions/output_budget.h"
#include "gateway/sessions/session.h"
#include "gateway/sessions/session_end.h"
#include "gateway/sessions/shared_poll_queue.h"
#include "gateway/sessions/transport.h"

namespace wsd {

class PollSession final : public Session {
 public:
  // `options` (the poll and session timeouts) outlive the session; `end` is how it ends
  // itself. `sharedQueue`: the queue every gateway reads that holds this session's
  // messages, as the session directory gave it (session_directory.h); null for a queue
  // kept here. It outlives the session.
  PollSession(SessionIdentity identity, RateLimiter limiter, const GatewayOptions& options, SessionEnd end,
              SharedPollQueue* sharedQueue, std::int64_t nowMs, Clock clock = wallClockMs)
      : Session(std::move(identity), limiter),
        options_(options),
        end_(std::move(end)),
        sharedQueue_(sharedQueue),
        clock_(std::move(clock)),
        lastSeenMs_(nowMs) {}

  void enqueue(server_message::Text message) override;
  void close(int code, const std::string& reason) override;
  // Local queues only: a shared queue holds its messages, and bounds them, itself.
  std::vector<server_message::Text> takeUndelivered() override;
  bool tellsItsEndBeforeLoggingIt() const override { return sharedQueue_ != nullptr; }

  // A GET arrived: answers it now if anything is queued, else holds it (answering an
  // older held GET with []). The session uses `request` until it answers it or
  // release(request) (its connection's end). May end (and destroy) the session.
  void take(PollRequest* request, std::int64_t nowMs);
  // The held request's connection went away.
  void release(PollRequest* request, std::int64_t nowMs);
  // Poll timeout and session timeout. May end (and destroy) the session.
  void onTick(std::int64_t nowMs) override;
  // With shared queues (see shared_poll_queues.h) a GET reached some gateway.
  void markPolled(std::int64_t nowMs);

 private:
  void answer(PollRequest* request);  // may end (and destroy) the session
  // Shared queue: pushes `message` to it, then holds the queue to the session budget.
  void pushShared(server_message::Text message);
  // Shared queue over the session budget: takes back what waits in the queue, keeps its
  // direct messages (and those queued meanwhile) for the uid, in order, then closes.
  void endOverSharedBudget(OutputBudget::Over over);
  // Keeps `messages`' direct ones for the uid and, once the log has them, closes (or keeps
  // what arrived meanwhile first): the client, told `closed`, may bind again at once
  // through any gateway, and its inbox must hold them by then.
  void spillThenClose(OutputBudget::Over over, const std::vector<std::string>& messages);

  const GatewayOptions& options_;
  SessionEnd end_;
  SharedPollQueue* sharedQueue_;  // null: the queue is queue_
  Clock clock_;
  std::vector<server_message::Text> queue_;
  PollRequest* held_ = nullptr;
  std::int64_t heldSinceMs_ = 0;
  std::int64_t lastSeenMs_;
  bool askedElsewhere_ = false;
  bool draining_ = false;                            // endOverSharedBudget's LPOP is on its way
  std::vector<server_message::Text> whileDraining_;  // what arrived meanwhile, in order
  int closeCode_ = 1000;
  std::string closeReason_;
};

}  // namespace wsd
