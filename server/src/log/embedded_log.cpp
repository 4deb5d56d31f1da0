#include "log/embedded_log.h"

#include <unistd.h>

#include <cassert>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "logging/logger.h"

namespace wsd::log {

EmbeddedLog::EmbeddedLog(std::unique_ptr<SegmentLog> segments, event_base* base, FsyncPolicy fsync)
    : segments_(std::move(segments)), fsync_(fsync) {
  assert(segments_->syncsEachAppend() == (fsync_ == FsyncPolicy::kAlways));
  wake_ = event_new(
      base, -1, 0, [](evutil_socket_t, short, void* self) { static_cast<EmbeddedLog*>(self)->flush(); }, this);
  if (fsync_ == FsyncPolicy::kEverySecond) {
    syncTimer_ = event_new(
        base, -1, EV_PERSIST,
        [](evutil_socket_t, short, void* self) { static_cast<EmbeddedLog*>(self)->syncIfDirty(); }, this);
    timeval second{1, 0};
    event_add(syncTimer_, &second);
  }
}

EmbeddedLog::~EmbeddedLog() {
  if (syncTimer_ != nullptr) event_free(syncTimer_);
  event_free(wake_);
}

Status EmbeddedLog::replay(const std::function<void(const Event&)>& visit) {
  std::string firstError;
  auto status = segments_->replay(0, [&](Offset offset, std::string_view bytes) {
    auto event = Event::decode(bytes);
    if (event.ok()) {
      visit(*event);
    } else if (firstError.empty()) {
      firstError = "record " + std::to_string(offset) + ": " + event.error().message;
    }
  });
  if (!status.ok()) return status;
  if (!firstError.empty()) {
    logging::warn("skipped undecodable log records (first: " + firstError + ")");
  }
  return okStatus();
}

Status EmbeddedLog::start(Sink sink) {
  sink_ = std::move(sink);
  return okStatus();
}

void EmbeddedLog::append(EventPtr event) {
  if (fsync_ != FsyncPolicy::kAlways) {
    std::vector<EventPtr> batch;
    batch.push_back(std::move(event));
    commit(std::move(batch), {Clock::now()});
    return;
  }
  bool wasEmpty = false;
  {
    std::lock_guard lock(mutex_);
    wasEmpty = queue_.empty();
    queue_.push_back(std::move(event));
    queuedAt_.push_back(Clock::now());
  }
  if (wasEmpty) event_active(wake_, EV_READ, 0);
}

void EmbeddedLog::flush() {
  std::vector<EventPtr> batch;
  std::vector<Clock::time_point> queuedAt;
  {
    std::lock_guard lock(mutex_);
    batch.swap(queue_);
    queuedAt.swap(queuedAt_);
  }
  if (!batch.empty()) commit(std::move(batch), queuedAt);
}

void EmbeddedLog::commit(std::vector<EventPtr> batch, const std::vector<Clock::time_point>& queuedAt) {
  std::vector<std::string> payloads;
  payloads.reserve(batch.size());
  for (const auto& event : batch) payloads.push_back(event->encode());
  std::lock_guard lock(writeMutex_);
  // With kAlways the segment log syncs before it returns (it was opened with
  // sync_each_append), so `written` counts records that are on disk.
  const auto appended = segments_->appendBatch(payloads);
  if (appended.written > 0 && fsync_ != FsyncPolicy::kAlways) dirty_ = true;
  std::vector<Committed> out;
  out.reserve(batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    // What the log holds is what the sink is told: the first `written` are in it.
    const bool inTheLog = i < appended.written;
    reportAppend(queuedAt[i], inTheLog ? nullptr : &appended.status.error());
    if (inTheLog)
      out.push_back({std::move(batch[i]), true, {}});
    else
      out.push_back({std::move(batch[i]), false, appended.status.error()});
  }
  if (sink_) sink_(std::move(out));
}

void EmbeddedLog::syncIfDirty() {
  Result<SegmentLog::Unsynced> unsynced = SegmentLog::Unsynced{};
  {
    std::lock_guard lock(writeMutex_);
    if (!dirty_) return;
    dirty_ = false;
    unsynced = segments_->takeUnsynced();
  }
  // Outside the lock: writers go on while the disk syncs.
  Status synced = unsynced.ok() ? segments_->syncUnsynced(std::move(unsynced.value())) : Status(unsynced.error());
  if (!synced.ok()) logging::warn("fsync failed: " + synced.error().message);
}

void EmbeddedLog::stop() {
  // Called after the backend loop has stopped: write what is still queued.
  flush();
  if (fsync_ != FsyncPolicy::kNever) syncIfDirty();
}

}  // namespace wsd::log
