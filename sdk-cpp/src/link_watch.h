// Dead-link detection (HeartbeatOptions in types.h): after `pingAfter` of silence, ping
// once; after `deadAfter` more silence, the link is dead. Anything heard resets it.
// Pure logic over time points, so tests drive it with made-up clocks.
// Locality: the I/O thread.
#pragma once

#include <optional>

#include "outgoing.h"

namespace wsclient::detail {

class LinkWatch {
 public:
  explicit LinkWatch(const HeartbeatOptions& options) : options_(options) {}

  enum class Action { kNone, kPing, kDead };

  // A session came up, or something arrived.
  void heard(Clock::time_point now) {
    lastHeard_ = now;
    pingedAt_.reset();
  }
  // What is due at `now`: kPing at most once per silence.
  Action check(Clock::time_point now);
  // When check() next has something to do (nullopt: never, heartbeats are off).
  std::optional<Clock::time_point> nextDeadline() const;

 private:
  HeartbeatOptions options_;
  Clock::time_point lastHeard_{};
  std::optional<Clock::time_point> pingedAt_;
};

}  // namespace wsclient::detail
