// Appends made by threads that do not run the serving loop (the mailer's worker, the
// webhook sender): queued here and appended on the loop's thread, so that the event log
// and the pipeline behind its sink are touched by that one thread only
// (docs/architecture.md, "Threads").
//
// Threads: append() from any thread; appendQueued() on the loop's thread, which runs it
// from the loop, or directly once the loop has stopped (shutdown: what the mailer and
// the webhook sender appended last still reaches the log).
#pragma once

#include <event2/event.h>

#include <functional>
#include <mutex>
#include <vector>

#include "core/event.h"

namespace wsd::log {

class CrossThreadAppends {
 public:
  // `loop` needs libevent's thread support (evthread_use_pthreads) before it was made.
  CrossThreadAppends(event_base* loop, std::function<void(EventPtr)> appendOnLoop);
  ~CrossThreadAppends();
  CrossThreadAppends(const CrossThreadAppends&) = delete;
  CrossThreadAppends& operator=(const CrossThreadAppends&) = delete;

  // Queues `event` and wakes the loop (its notify fd) if nothing was queued yet.
  void append(EventPtr event);
  // Appends what is queued, in the order queued.
  void appendQueued();

 private:
  std::function<void(EventPtr)> appendOnLoop_;
  event* wake_ = nullptr;
  std::mutex mutex_;  // guards queue_
  std::vector<EventPtr> queue_;
};

}  // namespace wsd::log
