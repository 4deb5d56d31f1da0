#include "gateway/metrics/process_metrics.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <system_error>

#include "core/proc_stats.h"

namespace wsd {
namespace {

std::optional<std::string> readWhole(const char* path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

Result<std::string> readProc(const char* path) {
  auto text = readWhole(path);
  if (!text) return makeError("proc_unreadable", std::string("cannot read ") + path);
  return std::move(*text);
}

Result<std::size_t> countOpenFds() {
  std::error_code error;
  std::size_t count = 0;
  for (std::filesystem::directory_iterator it("/proc/self/fd", error), end; !error && it != end; it.increment(error)) {
    ++count;
  }
  if (error) return makeError("proc_unreadable", "cannot list /proc/self/fd: " + error.message());
  return count;
}

metrics::Family single(std::string name, std::string help, metrics::Kind kind, double value) {
  return {std::move(name), std::move(help), kind, {{"", {}, value}}};
}

}  // namespace

Result<std::vector<metrics::Family>> processFamilies() {
  auto statText = readProc("/proc/self/stat");
  auto systemText = readProc("/proc/stat");
  auto limitsText = readProc("/proc/self/limits");
  if (!statText.ok()) return statText.error();
  if (!systemText.ok()) return systemText.error();
  if (!limitsText.ok()) return limitsText.error();
  auto stat = proc::parseStat(*statText);
  auto bootTime = proc::parseBootTime(*systemText);
  auto maxFds = proc::parseMaxOpenFiles(*limitsText);
  auto openFds = countOpenFds();
  if (!stat.ok()) return stat.error();
  if (!bootTime.ok()) return bootTime.error();
  if (!maxFds.ok()) return maxFds.error();
  if (!openFds.ok()) return openFds.error();

  const auto times = proc::processTimes(*stat, *bootTime, sysconf(_SC_CLK_TCK));
  const auto pageBytes = static_cast<double>(sysconf(_SC_PAGESIZE));
  using metrics::Kind;
  std::vector<metrics::Family> out;
  out.push_back(single("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", Kind::kCounter,
                       times.cpuSeconds));
  out.push_back(single("process_resident_memory_bytes", "Resident memory size in bytes.", Kind::kGauge,
                       static_cast<double>(stat->residentPages) * pageBytes));
  out.push_back(single("process_virtual_memory_bytes", "Virtual memory size in bytes.", Kind::kGauge,
                       static_cast<double>(stat->virtualBytes)));
  out.push_back(
      single("process_open_fds", "Number of open file descriptors.", Kind::kGauge, static_cast<double>(*openFds)));
  // "unlimited" is shown as client_golang shows it: the largest value a limit can take.
  out.push_back(single("process_max_fds", "Maximum number of open file descriptors.", Kind::kGauge,
                       maxFds->has_value() ? static_cast<double>(**maxFds) : 18446744073709551615.0));
  out.push_back(single("process_start_time_seconds", "Start time of the process since unix epoch in seconds.",
                       Kind::kGauge, times.startTimeSeconds));
  return out;
}

}  // namespace wsd
