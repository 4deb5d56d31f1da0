// When the gateway must look for sessions that hold an expired token.
//
// Tokens expire by the clock, not by an event, so the gateway closes the sessions that
// hold one itself. Looking at every session every second cost O(sessions) a second (and
// stalled the loop for milliseconds with 15,000 idle connections) to find nothing. The
// watch remembers the earliest expiry among the tokens the last sweep saw, and asks for
// the next sweep only at that time, or once that may no longer hold: a session was
// opened since (its token may expire sooner), or a token was issued or updated (its
// expiry moved).
//
// Threads: gateway thread only.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>

namespace wsd {

class TokenExpiryWatch {
 public:
  // A token was issued or updated.
  void tokensChanged() { stale_ = true; }
  // Whether a sweep is due, `sessionsOpened` being the count of sessions ever opened.
  bool due(std::int64_t nowMs, std::uint64_t sessionsOpened) const {
    return stale_ || sessionsOpened != openedAtSweep_ || nowMs >= earliestExpiryMs_;
  }
  // A sweep begins; it tells sawExpiry() the expiry of the token of every session it
  // does not close (those already expired too, if it cannot close them yet).
  void sweepBegins(std::uint64_t sessionsOpened) {
    stale_ = false;
    openedAtSweep_ = sessionsOpened;
    earliestExpiryMs_ = kNever;
  }
  void sawExpiry(const std::optional<std::int64_t>& expiresAtMs) {
    if (expiresAtMs) earliestExpiryMs_ = std::min(earliestExpiryMs_, *expiresAtMs);
  }

 private:
  static constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();
  bool stale_ = true;
  std::uint64_t openedAtSweep_ = 0;
  std::int64_t earliestExpiryMs_ = kNever;
};

}  // namespace wsd
