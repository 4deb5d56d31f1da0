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

#include <array>
#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "core/client_message.h"
#include "core/event.h"
#include "gateway/metrics/metrics.h"
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

// schemas/server: the types a server message is counted under (anything else: "other").
// Sorted, for a binary search.
inline constexpr std::array<std::string_view, 24> kServerMessageTypes = {
    "bind_success",
    "broadcast",
    "closed",
    "connected",
    "direct",
    "error",
    "list",
    "offline",
    "online",
    "online_result",
    "ping",
    "pong",
    "room_created",
    "room_history",
    "room_joined",
    "room_left",
    "room_member_joined",
    "room_member_left",
    "room_message",
    "room_send_success",
    "send_success",
    "webrtc_answer",
    "webrtc_ice",
    "webrtc_offer",
};
// The index of "other" in wsd_messages_out_total's series; "invalid" is kClientTypeCount
// in wsd_messages_in_total's.
inline constexpr std::size_t kOtherServerType = kServerMessageTypes.size();

// The series of the families counted by index (metrics::IndexedCounter).
std::vector<metrics::Labels> clientTypeSeries();  // ClientType order, then "invalid"
std::vector<metrics::Labels> serverTypeSeries();  // kServerMessageTypes order, then "other"
std::vector<metrics::Labels> disconnectSeries();  // reason x code (core/disconnect_labels.h)

// Where the outcome of a webhook delivery or of a mail is counted, from its log record.
enum class DeliveryOutcome : std::size_t { kDelivered, kFailed };

struct GatewayMetrics {
  // Upper bounds (seconds) of the log append latency histogram: 0.1 ms to 10 s.
  static std::vector<double> appendBounds() {
    return {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  }

  metrics::IndexedCounter messagesIn{clientTypeSeries()};          // client messages by ClientType; last: not parsed
  metrics::IndexedCounter messagesOut{serverTypeSeries()};         // server messages queued to sessions held here
  metrics::IndexedCounter disconnects{disconnectSeries(), false};  // sessions ended here, by reason and code
  // Outcomes recorded in the log (webhook.delivered/failed, mail.sent/failed), whichever
  // process delivered: every gateway reads every record.
  metrics::IndexedCounter webhookDeliveries{metrics::seriesOf("outcome", {"delivered", "failed"})};
  metrics::IndexedCounter mailDeliveries{metrics::seriesOf("outcome", {"sent", "failed"})};
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

// The `type` of a rendered server message (`{"type":"...",`) as an index into
// kServerMessageTypes, or kOtherServerType. O(log types): a binary search, no allocation.
std::size_t serverMessageTypeIndex(std::string_view text);
// The same as a name ("other" for kOtherServerType).
std::string_view serverMessageType(std::string_view text);

// Counts a session's end under its reason and close code (bounded: core/disconnect_labels.h).
void countDisconnect(GatewayMetrics& metrics, int code, std::string_view reason);
// Counts the outcome an applied event records (a webhook delivery's, a mail's); other
// events count nothing. O(1).
void countDeliveryOutcome(GatewayMetrics& metrics, const Event& event);

// A gauge per partition (`partition` label) from a lag report: its records, or (`inSeconds`)
// its estimated age.
metrics::Family partitionLagFamily(std::string name, std::string help, const std::vector<log::PartitionLag>& lag,
                                   bool inSeconds = false);

// Feeds `metrics` from `log`: append timings, failures and health, and (for Kafka) the
// consumer lag at scrape time. Before the log starts.
void watchEventLog(log::EventLog& log, GatewayMetrics& metrics);

}  // namespace wsd
