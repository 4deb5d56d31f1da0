// The outbound queue: app messages waiting for a session (or for the link to take them).
// Bounded by Options::maxQueued with the OverflowPolicy of types.h.
//
// Not thread-safe: SharedState owns it and holds its lock around every call.
#pragma once

#include <cstddef>
#include <deque>
#include <optional>
#include <vector>

#include "outgoing.h"

namespace wsclient::detail {

class OutboundQueue {
 public:
  OutboundQueue(std::size_t capacity, OverflowPolicy policy) : capacity_(capacity), policy_(policy) {}

  enum class Push {
    kQueued,
    kQueuedDroppedOldest,  // queued; *dropped holds the message it replaced at the front
    kFull,                 // not queued (kRejectNew)
  };
  Push push(Outgoing item, Outgoing* dropped);

  std::optional<Outgoing> pop();
  // Puts messages a lost link did not deliver back at the front, in their order. They were
  // accepted already, so they are never refused: the queue may exceed its bound by them.
  void requeueFront(std::vector<Outgoing> items);
  std::vector<Outgoing> takeAll();
  std::size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }

 private:
  std::size_t capacity_;
  OverflowPolicy policy_;
  std::deque<Outgoing> items_;
};

}  // namespace wsclient::detail
