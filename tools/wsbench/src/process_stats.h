// What the server process cost, read from /proc: resident memory and CPU time, so a
// run's throughput can be given per server CPU-second and memory per connection. Also
// the kernel's TCP buffer memory, which is not the server's user-space memory and is
// reported apart.
#pragma once

#include <cstdint>
#include <optional>

namespace wsbench {

struct ProcessSample {
  std::int64_t rssBytes = 0;
  double cpuSeconds = 0;  // user + system
};

std::optional<ProcessSample> sampleProcess(int pid);
// Pages of memory all TCP sockets hold in the kernel (/proc/net/sockstat "mem"), in bytes.
std::optional<std::int64_t> kernelTcpMemoryBytes();

}  // namespace wsbench
