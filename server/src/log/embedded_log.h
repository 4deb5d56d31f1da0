// The embedded event log: EventLog over a SegmentLog in the data directory.
//
// Who writes: with fsync kEverySecond or kNever, the appending thread (the serving loop),
// as Redis writes its append-only file from its main thread: the event is encoded,
// written (write(2) to the page cache) and handed to the sink before append() returns,
// so a client's message costs no hand-off to another thread and back
// (docs/performance.md). kEverySecond's fsync is due once a second, from a timer of the
// loop: one fsync of what a second wrote, run on a thread of its own (background_sync.h)
// so that the loop never waits for the disk.
//
// With fsync kAlways a record is acknowledged only once it is on disk, and an fsync
// takes milliseconds, so the loop does not wait for it: appends queue for the log's sync
// thread ("wsd-fsync"), which writes and syncs what queued up together in one batch
// (group commit: a burst costs one fsync(2), not one per event) and hands the outcome
// back to the loop, where the sink runs. The sync thread writes as well as syncs because
// SegmentLog orders each piece's write and fsync across segment rolls (invariant 3 of
// segment_log.h); a write(2) costs it microseconds.
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
//
// Threads: the sink runs on the loop's thread (`base`), or, with kEverySecond and
// kNever, on whichever thread appended (the serving roles append on the loop only).
#pragma once

#include <event2/event.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/log_chain.h"
#include "log/background_sync.h"
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
  // With fsync kAlways: queues the event for the sync thread. Otherwise: writes it and
  // hands it to the sink on the calling thread (see above). Any thread.
  void append(EventPtr event) override;
  // Writes (and with kAlways syncs) what is still queued, hands it to the sink on the
  // calling thread, and stops the sync thread. On the loop's thread, after the loop
  // stopped running: nothing here waits for the loop.
  void stop() override;

 private:
  using Clock = std::chrono::steady_clock;
  // Writes `batch`: what the log holds of it, in order. The caller holds writeMutex_.
  std::vector<Committed> write(std::vector<EventPtr> batch, std::vector<Clock::time_point> times);
  void syncLoop();           // the sync thread (kAlways): writes and syncs what queued up
  void handOverCommitted();  // the loop's thread: the sync thread's outcomes to the sink
  void syncIfDirty();        // the loop's thread, once a second (kEverySecond): hands over the sync
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
  event* committedEvent_ = nullptr;                 // kAlways: activated by the sync thread, runs handOverCommitted
  event* syncTimer_ = nullptr;                      // kEverySecond
  std::unique_ptr<BackgroundSync> backgroundSync_;  // kEverySecond

  // Guards segments_, dirty_ and the chain. Without kAlways it is held across the sink
  // call, so that the sink sees events in log order whichever threads wrote them.
  std::mutex writeMutex_;
  bool dirty_ = false;  // written since the last fsync
  chain::ChainWriter chain_;
  Checkpoints checkpoints_;
  std::int64_t sinceCheckpoint_ = 0;  // records written since the last checkpoint
  Clock::time_point lastCheckpointAt_ = Clock::now();

  // kAlways: what the sync thread is to write, and what it wrote, for the loop.
  std::mutex mutex_;  // guards queue_, queuedAt_, written_ and stopping_
  std::condition_variable queued_;
  std::vector<EventPtr> queue_;
  std::vector<Clock::time_point> queuedAt_;  // when each was appended
  std::vector<Committed> written_;           // on disk (or refused), not yet handed to the sink
  bool stopping_ = false;
  std::thread syncThread_;
};

}  // namespace wsd::log
