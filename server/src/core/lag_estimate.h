// How far behind a reader of a partition is in time, from what it can see without reading
// ahead: the log time of the last record it finished, and since when it has been behind.
// The oldest record it has yet to finish is newer than the first and arrived, within one
// refresh, after the second; so the later of the two is its age's estimate (both alone
// mislead: a burst after a quiet hour is not an hour late, and a reader that never
// catches up under steady load is not ever later).
#pragma once

#include <algorithm>
#include <cstdint>

namespace wsd {

struct LagSighting {
  std::int64_t records = 0;        // records behind; 0: caught up
  std::int64_t nowMs = 0;          // when it was measured
  std::int64_t lastDoneTsMs = 0;   // log time of the last record finished (0: none yet)
  std::int64_t behindSinceMs = 0;  // when it was first measured behind, this time
};

// Seconds, 0 when caught up; never negative (clocks of other nodes may run ahead).
inline double lagSeconds(const LagSighting& s) {
  if (s.records <= 0) return 0;
  const std::int64_t since = std::max(s.lastDoneTsMs, s.behindSinceMs);
  return static_cast<double>(std::max<std::int64_t>(0, s.nowMs - since)) / 1000.0;
}

}  // namespace wsd
