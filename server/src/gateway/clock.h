// The wall clock, read in one place. Only the gateway reads it, when it decides; the
// time then travels inside events (core/decide.h).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

namespace wsd {

inline std::int64_t wallClockMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Where a session reads the time: wallClockMs, or a test's clock that moves only when told.
using Clock = std::function<std::int64_t()>;

}  // namespace wsd
