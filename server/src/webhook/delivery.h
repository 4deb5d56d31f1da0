// One webhook delivery: an occurrence (webhook/hook_events.h) on its way to one endpoint,
// and what became of it.
#pragma once

#include <cstdint>
#include <string>

namespace wsd::webhook {

struct Delivery {
  // "<event id>.<occurrence index>.<hook id>": the same for every attempt and after a
  // restart, so a receiver can drop a repeat (X-Wsd-Delivery).
  std::string id;
  std::string project;
  std::string hookId;
  std::string url;
  std::string secret;
  std::string eventId;  // the log event it reports
  std::string type;     // the hook event name
  std::string body;     // the JSON payload, signed as is
};

struct Outcome {
  bool delivered = false;  // an attempt was answered 2xx
  int attempts = 0;
  long status = 0;    // the last attempt's HTTP status; 0: no answer
  std::string error;  // the last attempt's failure; empty when delivered
};

// Attempts and their spacing (--webhook-attempts, --webhook-timeout, --webhook-backoff).
struct RetryPolicy {
  int attempts = 5;                // per delivery, the first included
  std::int64_t timeoutMs = 10000;  // per attempt, connecting included
  std::int64_t backoffMs = 1000;   // before the second attempt; doubles after each failure
  std::int64_t maxBackoffMs = 300000;

  // How long to wait after failed attempt number `attempt` (1-based).
  std::int64_t delayAfter(int attempt) const {
    std::int64_t delay = backoffMs;
    for (int i = 1; i < attempt && delay < maxBackoffMs; ++i) delay *= 2;
    return delay < maxBackoffMs ? delay : maxBackoffMs;
  }
};

}  // namespace wsd::webhook
