#include "log/background_sync.h"

#include <pthread.h>

#include <utility>

namespace wsd::log {

BackgroundSync::BackgroundSync(const SegmentLog& segments, std::function<void(const Status&)> report)
    : segments_(segments), report_(std::move(report)), thread_([this] { run(); }) {}

BackgroundSync::~BackgroundSync() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();  // it syncs what is pending first
}

void BackgroundSync::sync(SegmentLog::Unsynced unsynced) {
  {
    std::lock_guard lock(mutex_);
    pending_.fds.insert(pending_.fds.end(), unsynced.fds.begin(), unsynced.fds.end());
    pending_.newSegments = pending_.newSegments || unsynced.newSegments;
  }
  changed_.notify_all();
}

void BackgroundSync::drain() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return !busy_ && pending_.fds.empty() && !pending_.newSegments; });
}

void BackgroundSync::run() {
  pthread_setname_np(pthread_self(), "wsd-fsync");  // as docs/architecture.md lists it
  std::unique_lock lock(mutex_);
  for (;;) {
    changed_.wait(lock, [this] { return stopping_ || !pending_.fds.empty() || pending_.newSegments; });
    if (pending_.fds.empty() && !pending_.newSegments) return;  // stopping, nothing left
    SegmentLog::Unsynced job = std::exchange(pending_, {});
    busy_ = true;
    lock.unlock();
    const Status synced = segments_.syncUnsynced(job);
    if (!synced.ok() && report_) report_(synced);
    lock.lock();
    busy_ = false;
    changed_.notify_all();
  }
}

}  // namespace wsd::log
