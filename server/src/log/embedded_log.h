// The embedded event log: EventLog over a SegmentLog in the data directory.
//
// Who writes: with fsync kAlways, the backend thread. Appends queued while a write and
// its fsync are in progress go out together in the next one, so a burst costs one
// fsync(2) rather than one per event (group commit). Otherwise, the appending thread
// writes its event itself, as Redis writes its append-only file from the main thread,
// and the sink runs before append() returns: a client's message costs no hand-off to
// another thread and back (docs/performance.md). A write(2) to the page cache takes
// microseconds; the slow part, fsync, stays on the backend thread, on a duplicate of
// the segment's descriptor, so it never holds up a writer.
//
// Durability: an event is reported committed after write(2) returned, which survives a
// crash of the process (SIGKILL). `fsync` adds protection against power loss:
// kAlways syncs before reporting (the SegmentLog must be opened with sync_each_append:
// it syncs each segment it wrote to and the directory after creating one), kEverySecond
// once a second, kNever leaves it to the OS. A batch the log took only in part is
// reported as it is on disk: its first records committed, the rest failed
// (segment_log.h, invariant 4).
//
// Chain: every record is linked to the one before it (core/log_chain.h) where it is
// written, under the write lock, so the links follow the file's order whichever thread
// appends; a checkpoint record joins a write when one is due.
#pragma once

#include <event2/event.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/log_chain.h"
#include "log/chain_checkpoints.h"
#include "log/event_log.h"
#include "log/segment_log.h"

namespace wsd::log {

enum class FsyncPolicy { kAlways, kEverySecond, kNever };

class EmbeddedLog final : public EventLog {
 public:
  EmbeddedLog(std::unique_ptr<SegmentLog> segments, event_base* base, FsyncPolicy fsync, Checkpoints checkpoints = {});
  ~EmbeddedLog() override;

  Status replay(const Visit& visit) override;
  Status start(Sink sink) override;
  // With fsync kAlways: queues the event for the backend thread. Otherwise: writes it
  // and hands it to the sink on the calling thread (see above).
  void append(EventPtr event) override;
  void stop() override;

 private:
  using Clock = std::chrono::steady_clock;
  void flush();  // backend thread: writes what is queued
  // Writes `batch` and hands it to the sink, in one critical section so that the sink
  // sees events in log order whichever threads wrote them.
  void commit(std::vector<EventPtr> batch, std::vector<Clock::time_point> queuedAt);
  void syncIfDirty();  // backend thread
  // The records of `batch` linked to the chain, with a checkpoint after any record that
  // makes one due (inserted into `batch` and `queuedAt` too). Under writeMutex_.
  std::vector<std::string> link(std::vector<EventPtr>& batch, std::vector<Clock::time_point>& queuedAt);
  bool checkpointDue(Clock::time_point now) const;
  // After a write the disk took in part: the chain as if only the first `written` were sent.
  void rewind(const chain::ChainWriter& before, std::int64_t sinceCheckpointBefore, const std::vector<EventPtr>& batch,
              const std::vector<std::string>& records, std::size_t written);

  std::unique_ptr<SegmentLog> segments_;
  FsyncPolicy fsync_;
  Sink sink_;
  event* wake_ = nullptr;
  event* syncTimer_ = nullptr;

  std::mutex writeMutex_;  // guards segments_, dirty_ and the chain; held across a commit's sink call
  bool dirty_ = false;     // written since the last fsync
  chain::ChainWriter chain_;
  Checkpoints checkpoints_;
  std::int64_t sinceCheckpoint_ = 0;  // records written since the last checkpoint
  Clock::time_point lastCheckpointAt_ = Clock::now();

  std::mutex mutex_;  // guards queue_ and queuedAt_
  std::vector<EventPtr> queue_;
  std::vector<Clock::time_point> queuedAt_;  // when each was appended
};

}  // namespace wsd::log
