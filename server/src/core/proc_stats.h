// What Linux's /proc says about a process, read from the files' text: the numbers behind
// the standard process_* metrics (client_golang's names and meanings). Parsing only; the
// gateway reads the files (gateway/metrics/process_metrics.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/result.h"

namespace wsd::proc {

// The fields of /proc/<pid>/stat that the metrics need (proc(5); counted from 1).
struct ProcStat {
  std::uint64_t userTicks = 0;      // field 14, utime: clock ticks in user mode
  std::uint64_t systemTicks = 0;    // field 15, stime: clock ticks in kernel mode
  std::uint64_t startTicks = 0;     // field 22, starttime: clock ticks after boot it started
  std::uint64_t virtualBytes = 0;   // field 23, vsize
  std::uint64_t residentPages = 0;  // field 24, rss
};

// /proc/<pid>/stat. The command name (field 2) is in parentheses and may itself hold
// spaces and parentheses, so the fields are counted from its last `)`.
// Errors: proc_unreadable when a field is missing or not a number.
Result<ProcStat> parseStat(std::string_view text);

// The `btime` line of /proc/stat: when the system booted, in seconds since the epoch.
// Errors: proc_unreadable.
Result<std::uint64_t> parseBootTime(std::string_view text);

// The soft limit of the `Max open files` line of /proc/<pid>/limits; nullopt for
// "unlimited". Errors: proc_unreadable.
Result<std::optional<std::uint64_t>> parseMaxOpenFiles(std::string_view text);

// The process_* values, from what parseStat and parseBootTime read.
struct ProcessTimes {
  double cpuSeconds = 0;        // user + system
  double startTimeSeconds = 0;  // since the epoch
};
ProcessTimes processTimes(const ProcStat& stat, std::uint64_t bootTime, long ticksPerSecond);

}  // namespace wsd::proc
