// The event log interface: where actions are appended and from where committed events
// flow back, in log order, to be applied and delivered. Implementations: EmbeddedLog
// (segment files in the data dir) and a Kafka log (distributed mode).
//
// Ordering: events appended by one thread are committed in the order appended; the
// committed sink sees every committed event exactly once, in log order.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <vector>

#include "core/event.h"
#include "core/result.h"

namespace wsd::log {

// How far a reader is behind the end of one partition: the high watermark minus the
// reader's position, in records.
struct PartitionLag {
  std::int32_t partition = 0;
  std::int64_t records = 0;
  double seconds = 0;  // how old its oldest unread (or unwritten) record is, about; 0: not measured or caught up
};

// Where a record is in the log: its partition (the embedded log has one, 0) and offset.
struct LogPosition {
  std::int32_t partition = 0;
  std::int64_t offset = -1;  // -1: not in the log
};

struct Committed {
  EventPtr event;
  bool ok = true;  // false: the event is not in the log; `error` says why
  Error error;
  LogPosition position;  // where the log put it (offset -1 when !ok)
};

class EventLog {
 public:
  using Sink = std::function<void(std::vector<Committed>&&)>;
  virtual ~EventLog() = default;

  // Calls `visit` for every event already in the log, in order, with where it is
  // (start-up rebuild). Locality: the calling thread, before start().
  using Visit = std::function<void(const Event&, LogPosition)>;
  virtual Status replay(const Visit& visit) = 0;
  // Begins delivering committed events (and failed appends) to `sink`.
  // The sink runs on the thread of the loop the log was given, or on the thread that
  // appended (the embedded log, embedded_log.h), and must only hand the batch over.
  virtual Status start(Sink sink) = 0;
  // Queues `event` for appending, or writes it at once (the embedded log: a write(2) to
  // the page cache, never an fsync). Locality: any thread.
  virtual void append(EventPtr event) = 0;
  // Appends what is queued, then stops delivering. Locality: the loop's thread once the
  // loop no longer runs, or another thread: it never waits for the loop.
  virtual void stop() = 0;

  // Told of every append's outcome: the seconds from append() to the log's answer
  // (written; with Kafka, acknowledged by the broker) and the error, or null when the
  // log took it. For metrics and readiness. Locality: set before start(); called where
  // the sink is, possibly on several threads at once.
  using AppendObserver = std::function<void(double seconds, const Error* failure)>;
  void observeAppends(AppendObserver observer) { appendObserver_ = std::move(observer); }

  // Where this log is read as a consumer that can fall behind (Kafka), how far behind
  // each partition is; empty otherwise. Locality: any thread (read from atomics).
  virtual std::vector<PartitionLag> consumerLag() const { return {}; }

 protected:
  void reportAppend(std::chrono::steady_clock::time_point since, const Error* failure) const {
    if (!appendObserver_) return;
    appendObserver_(std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count(), failure);
  }

 private:
  AppendObserver appendObserver_;
};

}  // namespace wsd::log
