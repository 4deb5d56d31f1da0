// Reconnect delays: exponential growth, a ceiling, and jitter (ReconnectOptions in types.h).
// Locality: the I/O thread (one Backoff per client); backoffDelay() is pure.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>

#include "wsclient/types.h"

namespace wsclient::detail {

// Delay before retry number `attempt` (0-based), given `unit` drawn from [0, 1):
// min(maxDelay, initialDelay * multiplier^attempt) * (1 - jitter * unit), at least 1 ms.
std::chrono::milliseconds backoffDelay(const ReconnectOptions& options, unsigned attempt, double unit);

class Backoff {
 public:
  Backoff(const ReconnectOptions& options, std::uint64_t seed);
  // The next delay; counts a failed attempt.
  std::chrono::milliseconds next();
  // A session came up: the next failure starts over at initialDelay.
  void reset() { attempts_ = 0; }
  // maxAttempts failures in a row (never, when maxAttempts is 0).
  bool exhausted() const { return options_.maxAttempts != 0 && attempts_ >= options_.maxAttempts; }
  unsigned attempts() const { return attempts_; }

 private:
  ReconnectOptions options_;
  unsigned attempts_ = 0;
  std::mt19937_64 random_;
};

}  // namespace wsclient::detail
