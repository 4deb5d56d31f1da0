// The embedded event log: EventLog over a SegmentLog in the data directory, written on
// the backend thread. Appends queued while a write is in progress go out together in
// the next write, so a burst costs one write(2) rather than one per event.
//
// Durability: an event is reported committed after write(2) returned, which survives a
// crash of the process (SIGKILL). `fsync` adds protection against power loss:
// kAlways syncs before reporting, kEverySecond once a second, kNever leaves it to the OS.
#pragma once

#include <event2/event.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "log/event_log.h"
#include "log/segment_log.h"

namespace wsd::log {

enum class FsyncPolicy { kAlways, kEverySecond, kNever };

class EmbeddedLog final : public EventLog {
 public:
  EmbeddedLog(std::unique_ptr<SegmentLog> segments, event_base* base, FsyncPolicy fsync);
  ~EmbeddedLog() override;

  Status replay(const std::function<void(const Event&)>& visit) override;
  Status start(Sink sink) override;
  void append(EventPtr event) override;
  void stop() override;

 private:
  void flush();        // backend thread
  void syncIfDirty();  // backend thread

  std::unique_ptr<SegmentLog> segments_;
  FsyncPolicy fsync_;
  Sink sink_;
  event* wake_ = nullptr;
  event* syncTimer_ = nullptr;
  bool dirty_ = false;  // backend thread: written since the last fsync

  std::mutex mutex_;  // guards queue_ and queuedAt_
  std::vector<EventPtr> queue_;
  std::vector<std::chrono::steady_clock::time_point> queuedAt_;  // when each was appended
};

}  // namespace wsd::log
