#include "app/config_units.h"

#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <utility>

namespace wsd {
namespace {

struct Unit {
  std::string_view suffix;
  double factor;
};

// Longest suffixes first, so "ms" is not read as "m" followed by garbage.
constexpr std::array<Unit, 5> kDurationUnits = {{{"ms", 0.001}, {"s", 1}, {"m", 60}, {"h", 3600}, {"d", 86400}}};
constexpr std::array<Unit, 8> kSizeUnits = {{{"KiB", 1024.0},
                                             {"MiB", 1024.0 * 1024},
                                             {"GiB", 1024.0 * 1024 * 1024},
                                             {"TiB", 1024.0 * 1024 * 1024 * 1024},
                                             {"kB", 1e3},
                                             {"MB", 1e6},
                                             {"GB", 1e9},
                                             {"B", 1}}};

// Splits "25s" into its number and its unit's factor (1 when there is no unit).
template <std::size_t N>
bool splitUnit(std::string_view text, const std::array<Unit, N>& units, std::string_view& number, double& factor) {
  number = text;
  factor = 1;
  for (const auto& unit : units) {
    if (text.size() > unit.suffix.size() && text.ends_with(unit.suffix)) {
      number = text.substr(0, text.size() - unit.suffix.size());
      factor = unit.factor;
      return true;
    }
  }
  return !text.empty();
}

bool readNumber(std::string_view text, double& out) {
  if (text.empty() || text.front() == '+') return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && end == text.data() + text.size() && std::isfinite(out);
}

}  // namespace

Result<double> parseDurationSeconds(std::string_view text) {
  std::string_view number;
  double factor = 1;
  double value = 0;
  if (!splitUnit(text, kDurationUnits, number, factor) || !readNumber(number, value) || value < 0) {
    return makeError("bad_config", "not a duration: use a number with ms, s, m, h or d (a bare number is seconds)");
  }
  return value * factor;
}

Result<std::uint64_t> parseSizeBytes(std::string_view text) {
  std::string_view number;
  double factor = 1;
  std::uint64_t whole = 0;
  auto bad = makeError("bad_config", "not a size: use a whole number with B, KiB, MiB or GiB (a bare number is bytes)");
  if (!splitUnit(text, kSizeUnits, number, factor)) return bad;
  auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), whole);
  if (ec != std::errc{} || end != number.data() + number.size()) return bad;
  const double bytes = static_cast<double>(whole) * factor;
  // 2^63 is exactly representable; anything at or past it does not fit the options' types.
  if (bytes >= 9.2e18) return bad;
  return static_cast<std::uint64_t>(whole * static_cast<std::uint64_t>(factor));
}

std::string secondsText(double seconds) {
  std::array<char, 64> buffer{};
  auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), seconds);
  if (ec != std::errc{}) return "nan";
  return {buffer.data(), end};
}

}  // namespace wsd
