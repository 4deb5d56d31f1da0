// Calendar arithmetic after Howard Hinnant's days_from_civil / civil_from_days (public
// domain): exact for the proleptic Gregorian calendar, no table, no library call.
#include "time_text.h"

#include <charconv>
#include <cstdio>

namespace wsd::wslog {
namespace {

constexpr std::int64_t kMsPerDay = 86'400'000;

struct Civil {
  std::int64_t year = 1970;
  int month = 1;
  int day = 1;
};

std::int64_t daysFromCivil(Civil c) {
  const std::int64_t y = c.month <= 2 ? c.year - 1 : c.year;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t mp = (c.month + 9) % 12;
  const std::int64_t doy = (153 * mp + 2) / 5 + c.day - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

Civil civilFromDays(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  Civil c;
  c.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  c.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  c.year = yoe + era * 400 + (c.month <= 2 ? 1 : 0);
  return c;
}

bool leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int daysInMonth(std::int64_t year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && leap(year) ? 29 : kDays[month - 1];
}

// A cursor over the text: fixed-width digit groups and single separators.
struct Cursor {
  std::string_view text;
  std::size_t pos = 0;

  bool atEnd() const { return pos == text.size(); }
  bool peek(char c) const { return pos < text.size() && text[pos] == c; }
  bool take(char c) {
    if (!peek(c)) return false;
    ++pos;
    return true;
  }
  bool digits(std::size_t width, int& out) {
    if (text.size() - pos < width) return false;
    out = 0;
    for (std::size_t i = 0; i < width; ++i) {
      const char c = text[pos + i];
      if (c < '0' || c > '9') return false;
      out = out * 10 + (c - '0');
    }
    pos += width;
    return true;
  }
};

Error bad(std::string_view text, const char* why) {
  return makeError("bad_time", "cannot read '" + std::string(text) + "' as a time (" + why +
                                   "): use ISO-8601 like 2024-05-01T14:00:00Z or epoch milliseconds");
}

bool allDigits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// The fractional seconds after '.', as milliseconds (digits past the third are dropped).
bool fraction(Cursor& cur, int& ms) {
  std::size_t count = 0;
  ms = 0;
  while (cur.pos < cur.text.size() && cur.text[cur.pos] >= '0' && cur.text[cur.pos] <= '9') {
    if (count < 3) ms = ms * 10 + (cur.text[cur.pos] - '0');
    ++count;
    ++cur.pos;
  }
  for (std::size_t i = count; i < 3; ++i) ms *= 10;
  return count > 0;
}

// "Z", "+HH:MM", "+HHMM", "+HH" or nothing (UTC): minutes east of UTC.
bool zone(Cursor& cur, int& minutesEast) {
  minutesEast = 0;
  if (cur.atEnd() || cur.take('Z') || cur.take('z')) return true;
  const bool plus = cur.peek('+');
  if (!cur.take('+') && !cur.take('-')) return false;
  int hours = 0;
  int minutes = 0;
  if (!cur.digits(2, hours)) return false;
  if (!cur.atEnd()) {
    cur.take(':');
    if (!cur.digits(2, minutes)) return false;
  }
  if (hours > 23 || minutes > 59) return false;
  minutesEast = (plus ? 1 : -1) * (hours * 60 + minutes);
  return true;
}

}  // namespace

Result<std::int64_t> parseTime(std::string_view text) {
  if (allDigits(text)) {
    std::int64_t ms = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), ms);
    if (ec != std::errc{} || end != text.data() + text.size()) return bad(text, "out of range");
    return ms;
  }
  Cursor cur{text};
  int year = 0;
  int month = 0;
  int day = 0;
  if (!cur.digits(4, year) || !cur.take('-') || !cur.digits(2, month) || !cur.take('-') || !cur.digits(2, day)) {
    return bad(text, "expected YYYY-MM-DD");
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return bad(text, "no such date");
  int hour = 0;
  int minute = 0;
  int second = 0;
  int ms = 0;
  if (cur.take('T') || cur.take('t') || cur.take(' ')) {
    if (!cur.digits(2, hour) || !cur.take(':') || !cur.digits(2, minute)) return bad(text, "expected HH:MM");
    if (cur.take(':') && !cur.digits(2, second)) return bad(text, "expected seconds");
    if ((cur.take('.') || cur.take(',')) && !fraction(cur, ms)) return bad(text, "expected fractional seconds");
  }
  if (hour > 23 || minute > 59 || second > 60) return bad(text, "no such time of day");
  int minutesEast = 0;
  if (!zone(cur, minutesEast) || !cur.atEnd()) return bad(text, "unexpected text after the time");
  const std::int64_t days = daysFromCivil({year, month, day});
  const std::int64_t local = days * kMsPerDay + ((hour * 60 + minute) * 60 + second) * 1000LL + ms;
  return local - minutesEast * kMsPerMinute;
}

std::string formatTime(std::int64_t ms) {
  const std::int64_t days = ms >= 0 ? ms / kMsPerDay : (ms - kMsPerDay + 1) / kMsPerDay;
  const std::int64_t inDay = ms - days * kMsPerDay;
  const Civil c = civilFromDays(days);
  char out[96];
  std::snprintf(out, sizeof(out), "%04lld-%02d-%02dT%02lld:%02lld:%02lld.%03lldZ", static_cast<long long>(c.year),
                c.month, c.day, static_cast<long long>(inDay / 3'600'000), static_cast<long long>(inDay / 60'000 % 60),
                static_cast<long long>(inDay / 1000 % 60), static_cast<long long>(inDay % 1000));
  return out;
}

std::string formatMinute(std::int64_t ms) {
  std::string full = formatTime(ms);
  return full.substr(0, 16) + "Z";
}

std::string formatDay(std::int64_t ms) { return formatTime(ms).substr(0, 10); }

}  // namespace wsd::wslog
