// Option values with units: durations (`500ms`, `25s`, `1h`, `3d`) and sizes (`64KiB`,
// `4MiB`, `1GiB`). A bare number keeps the unit the option always had (seconds, bytes),
// so existing command lines mean what they meant.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace wsd {

// Seconds in `text`: a number followed by ms, s, m, h or d, or a bare number of seconds.
Result<double> parseDurationSeconds(std::string_view text);

// Bytes in `text`: a whole number followed by B, KiB, MiB, GiB or TiB (also kB, MB, GB:
// powers of 1000), or a bare number of bytes.
Result<std::uint64_t> parseSizeBytes(std::string_view text);

// `seconds` as the shortest text the option setters read back exactly ("25", "0.5").
std::string secondsText(double seconds);

}  // namespace wsd
