// Times as analysts type and read them: ISO-8601 (UTC unless a zone is given) or epoch
// milliseconds in, ISO-8601 UTC with milliseconds out. Pure: no locale, no TZ variable,
// no clock, so the same text means the same instant on every machine.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace wsd::wslog {

// Accepts "1714572000000" (epoch ms), "2024-05-01", "2024-05-01T14:00", "2024-05-01T14:00:05",
// "2024-05-01T14:00:05.250", each optionally followed by "Z", "+02:00", "-0530" (a space
// may stand for the "T"). Without a zone the time is UTC.
Result<std::int64_t> parseTime(std::string_view text);

// "2024-05-01T14:00:05.250Z".
std::string formatTime(std::int64_t ms);

constexpr std::int64_t kMsPerMinute = 60'000;

// The minute `ms` falls in, counted from the epoch (rounded down, before it too).
constexpr std::int64_t minuteOf(std::int64_t ms) {
  return ms >= 0 ? ms / kMsPerMinute : (ms - kMsPerMinute + 1) / kMsPerMinute;
}

// "2024-05-01T14:00Z": the minute `ms` falls in.
std::string formatMinute(std::int64_t ms);

// "2024-05-01": the UTC day `ms` falls in.
std::string formatDay(std::int64_t ms);

}  // namespace wsd::wslog
