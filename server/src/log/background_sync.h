// The periodic fsync(2) of the embedded log (fsync everysec), on a thread of its own.
//
// Why: on the loop, the fsync of a second's appends stopped every client of the gateway
// for as long as the disk took (3.8 ms at the median on a small VM's disk, 4-13 ms under
// traffic): the 1 % of messages that arrived meanwhile were the direct-message p99. As
// Redis does for appendfsync everysec, the loop now only hands over what is to be synced
// (SegmentLog::takeUnsynced: descriptors of its own) and goes on writing. A sync still
// running when the next one is due takes the new descriptors on its next turn, so a slow
// disk delays durability, never the loop: at most about two seconds of appends are at
// risk on power loss, as with Redis.
//
// Threads: sync() and drain() on the loop's thread; the sync thread ("wsd-fsync").
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "core/result.h"
#include "log/segment_log.h"

namespace wsd::log {

class BackgroundSync {
 public:
  // `report` runs on the sync thread with the outcome of each sync that failed.
  BackgroundSync(const SegmentLog& segments, std::function<void(const Status&)> report);
  ~BackgroundSync();  // syncs what was handed over, then stops
  BackgroundSync(const BackgroundSync&) = delete;
  BackgroundSync& operator=(const BackgroundSync&) = delete;

  // Hands over `unsynced`: the sync thread syncs it (with whatever it was handed before
  // and has not started on) and closes its descriptors. Does not wait.
  void sync(SegmentLog::Unsynced unsynced);
  // Waits until everything handed over so far is synced.
  void drain();

 private:
  void run();

  const SegmentLog& segments_;
  std::function<void(const Status&)> report_;
  std::mutex mutex_;
  std::condition_variable changed_;
  SegmentLog::Unsynced pending_;  // handed over, not started on
  bool busy_ = false;             // a sync is running
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace wsd::log
