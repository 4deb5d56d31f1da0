#include "core/proc_stats.h"

#include <cassert>
#include <charconv>
#include <string>
#include <vector>

namespace wsd::proc {
namespace {

Error unreadable(const std::string& what) { return makeError("proc_unreadable", what); }

std::optional<std::uint64_t> number(std::string_view text) {
  std::uint64_t value = 0;
  const auto* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty()) return std::nullopt;
  return value;
}

// Whitespace-separated words of `text`, at most `limit` of them.
std::vector<std::string_view> words(std::string_view text, std::size_t limit) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < text.size() && out.size() < limit) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    const std::size_t start = i;
    while (i < text.size() && text[i] != ' ' && text[i] != '\t' && text[i] != '\n') ++i;
    if (i > start) out.push_back(text.substr(start, i - start));
    if (i < text.size() && text[i] == '\n') break;
  }
  return out;
}

// The line of `text` that starts with `prefix`, without the prefix.
std::optional<std::string_view> lineAfter(std::string_view text, std::string_view prefix) {
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t end = std::min(text.find('\n', at), text.size());
    const std::string_view line = text.substr(at, end - at);
    if (line.substr(0, prefix.size()) == prefix) return line.substr(prefix.size());
    at = end + 1;
  }
  return std::nullopt;
}

}  // namespace

Result<ProcStat> parseStat(std::string_view text) {
  const auto close = text.rfind(')');
  if (close == std::string_view::npos) return unreadable("/proc stat: no command name in parentheses");
  // Field 3 (state) is the first word after the name; field N is word N - 3.
  const auto fields = words(text.substr(close + 1), 22);
  if (fields.size() < 22) return unreadable("/proc stat: fewer than 24 fields");
  const auto field = [&fields](std::size_t n) { return number(fields[n - 3]); };
  const auto utime = field(14), stime = field(15), start = field(22), vsize = field(23), rss = field(24);
  if (!utime || !stime || !start || !vsize || !rss) return unreadable("/proc stat: a field is not a number");
  return ProcStat{*utime, *stime, *start, *vsize, *rss};
}

Result<std::uint64_t> parseBootTime(std::string_view text) {
  const auto line = lineAfter(text, "btime ");
  if (!line) return unreadable("/proc/stat: no btime line");
  const auto columns = words(*line, 1);
  const auto value = columns.empty() ? std::nullopt : number(columns.front());
  if (!value) return unreadable("/proc/stat: btime is not a number");
  return *value;
}

Result<std::optional<std::uint64_t>> parseMaxOpenFiles(std::string_view text) {
  const auto line = lineAfter(text, "Max open files");
  if (!line) return unreadable("/proc limits: no 'Max open files' line");
  const auto columns = words(*line, 1);  // soft limit, hard limit, units
  if (columns.empty()) return unreadable("/proc limits: 'Max open files' has no soft limit");
  if (columns.front() == "unlimited") return std::optional<std::uint64_t>{};
  const auto value = number(columns.front());
  if (!value) return unreadable("/proc limits: the soft limit of open files is not a number");
  return std::optional<std::uint64_t>{*value};
}

ProcessTimes processTimes(const ProcStat& stat, std::uint64_t bootTime, long ticksPerSecond) {
  assert(ticksPerSecond > 0);
  const auto ticks = static_cast<double>(ticksPerSecond);
  return {static_cast<double>(stat.userTicks + stat.systemTicks) / ticks,
          static_cast<double>(bootTime) + static_cast<double>(stat.startTicks) / ticks};
}

}  // namespace wsd::proc
