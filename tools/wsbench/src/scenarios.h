// The four load shapes (see wsbench --help) and what each measured.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "fleet.h"
#include "histogram.h"
#include "options.h"
#include "process_stats.h"

namespace wsbench {

struct RunResult {
  std::uint64_t sent = 0;      // messages sent while measuring (broadcast: broadcasts)
  std::uint64_t received = 0;  // deliveries of those messages
  std::uint64_t expected = 0;  // deliveries there should have been
  std::size_t setupErrors = 0;
  std::uint64_t protocolErrors = 0;  // `error` messages from the server
  std::string firstError;
  double measuredSeconds = 0;  // the window the throughput is over
  Histogram latencyNs;         // from each message's scheduled send to its arrival
  std::optional<ProcessSample> serverBefore, serverAfter;
  std::optional<std::int64_t> kernelTcpBefore, kernelTcpAfter;
  std::size_t connections = 0;  // open at the end of setup
};

struct RunContext {
  Options options;
  ServerAddress server;
  std::string project, token;
};

RunResult runScenario(const RunContext& context);

}  // namespace wsbench
