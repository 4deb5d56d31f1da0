// What a wsd process counts for GET /metrics and checks for GET /readyz: the counters
// the gateway keeps, the log append timings the log reports, and hooks for
// what other parts publish (the Kafka consumer's lag, the projector's lag, Redis's
// health). docs/operations.md, "Metrics", describes every metric.
//
// Threads: the LabeledCounters are the gateway thread's. logAppend and logAppendFailures
// are atomics, written by whichever thread the log commits on (the backend thread, or
// the appending one with the embedded log); every Health is written by the backend
// thread; all are read by the gateway thread.
// Collectors and probes run on the gateway thread at scrape time and must read other
// threads' data only through atomics or locks of their own.
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "gateway/metrics.h"
#include "log/event_log.h"

namespace wsd {

// A backend's health as the thread that talks to it last saw it. Any thread.
class Health {
 public:
  // "" when fine, else what is wrong (shown in /readyz). Cheap when nothing changes.
  void set(const std::string& problem);
  std::string problem() const;

 private:
  std::atomic<bool> healthy_{true};
  mutable std::mutex mutex_;  // guards problem_
  std::string problem_;
};

// A readiness check: `problem` returns "" when `name` is ready, else why not.
struct ReadinessProbe {
  std::string name;
  std::function<std::string()> problem;
};

struct GatewayMetrics {
  // Upper bounds (seconds) of the log append latency histogram: 0.1 ms to 10 s.
  static std::vector<double> appendBounds() {
    return {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  }

  metrics::LabeledCounter messagesIn;            // client messages by type ("invalid": not parsed)
  metrics::LabeledCounter messagesOut;           // server messages queued to sessions held here, by type
  metrics::LabeledCounter mailRequests;          // POST /mail answers by outcome
  metrics::LabeledCounter overBudget;            // sessions ended over an output budget: "session" or "process"
  metrics::Histogram logAppend{appendBounds()};  // append() to the log's answer, seconds
  metrics::AtomicCounter logAppendFailures;      // appends the log refused (log_unavailable)
  Health log;                                    // the event log: "" while it takes appends
  // Families other parts add at scrape time (the Kafka log's consumer lag, the projector's lag).
  std::vector<std::function<void(std::vector<metrics::Family>&)>> collectors;
  // Checks of /readyz beyond the log (Redis, given --redis).
  std::vector<ReadinessProbe> probes;
};

// The `type` of a rendered server message (`{"type":"...",`), or "other".
std::string_view serverMessageType(std::string_view text);

// A gauge per partition (`partition` label) from a lag report.
metrics::Family partitionLagFamily(std::string name, std::string help, const std::vector<log::PartitionLag>& lag);

// Feeds `metrics` from `log`: append timings, failures and health, and (for Kafka) the
// consumer lag at scrape time. Before the log starts.
void watchEventLog(log::EventLog& log, GatewayMetrics& metrics);

}  // namespace wsd
