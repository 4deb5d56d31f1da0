// The messages a connection has yet to write, oldest first. Most connections are idle
// most of the time, so an empty queue holds no memory: std::deque would take 576 bytes
// up front and keep them for the connection's life, the largest part of an idle
// connection's footprint after libwebsockets' own. The buffer is taken on the first push
// and given back once the queue drains.
//
// Threads: the owning session's (the gateway thread).
#pragma once

#include <cstddef>
#include <vector>

#include "core/server_messages.h"

namespace wsd {

class OutboundQueue {
 public:
  bool empty() const { return head_ == items_.size(); }
  std::size_t size() const { return items_.size() - head_; }
  const server_message::Text& front() const { return items_[head_]; }

  void push(server_message::Text message) { items_.push_back(std::move(message)); }
  // Starts loading the front slot into the cache (PendingWrites::flush).
  void prefetchFront() const {
    if (!empty()) __builtin_prefetch(&items_[head_]);
  }
  void pop();
  void clear();

 private:
  // Invariant: items_[0, head_) were popped and hold nothing; they are dropped once they
  // are at least half the buffer, so a queue never drained (a steady reader) stays
  // bounded by twice what it holds.
  std::vector<server_message::Text> items_;
  std::size_t head_ = 0;
};

}  // namespace wsd
