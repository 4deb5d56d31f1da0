#include "process_stats.h"

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

namespace wsbench {

std::optional<ProcessSample> sampleProcess(int pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return std::nullopt;
  // Fields after the command name (which may hold spaces, so skip past its ')').
  std::istringstream fields(line.substr(line.rfind(')') + 2));
  std::string field;
  long long utime = 0, stime = 0, rssPages = 0;
  for (int i = 3; fields >> field; ++i) {
    if (i == 14) utime = std::stoll(field);
    if (i == 15) stime = std::stoll(field);
    if (i == 24) {
      rssPages = std::stoll(field);
      break;
    }
  }
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  return ProcessSample{rssPages * sysconf(_SC_PAGESIZE), static_cast<double>(utime + stime) / ticks};
}

std::optional<std::int64_t> kernelTcpMemoryBytes() {
  std::ifstream sockstat("/proc/net/sockstat");
  std::string line;
  while (std::getline(sockstat, line)) {
    if (line.rfind("TCP:", 0) != 0) continue;
    const auto at = line.find(" mem ");
    if (at == std::string::npos) return std::nullopt;
    return std::stoll(line.substr(at + 5)) * sysconf(_SC_PAGESIZE);
  }
  return std::nullopt;
}

}  // namespace wsbench
