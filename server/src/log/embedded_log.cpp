#include "log/embedded_log.h"

#include <pthread.h>
#include <unistd.h>

#include <cassert>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "logging/logger.h"

namespace wsd::log {

namespace {

// The chain's end as the log stands: after its last record, or a new chain.
chain::ChainWriter chainAfterLastRecord(const SegmentLog& segments) {
  const Offset next = segments.nextOffset();
  if (next == 0) return {};
  chain::ChainWriter writer;
  const Status read = segments.replay(next - 1, [&](Offset, std::string_view payload) {
    writer = chain::ChainWriter(static_cast<std::int64_t>(next), payload);
  });
  if (!read.ok()) logging::warn("the chain starts afresh: " + read.error().message);
  return writer;
}

}  // namespace

EmbeddedLog::EmbeddedLog(std::unique_ptr<SegmentLog> segments, event_base* base, FsyncPolicy fsync,
                         Checkpoints checkpoints)
    : segments_(std::move(segments)),
      fsync_(fsync),
      chain_(chainAfterLastRecord(*segments_)),
      checkpoints_(std::move(checkpoints)) {
  assert(segments_->syncsEachAppend() == (fsync_ == FsyncPolicy::kAlways));
  if (fsync_ == FsyncPolicy::kAlways) {
    committedEvent_ = event_new(
        base, -1, 0, [](evutil_socket_t, short, void* self) { static_cast<EmbeddedLog*>(self)->handOverCommitted(); },
        this);
    syncThread_ = std::thread([this] { syncLoop(); });
  }
  if (fsync_ == FsyncPolicy::kEverySecond) {
    backgroundSync_ = std::make_unique<BackgroundSync>(
        *segments_, [](const Status& failed) { logging::warn("fsync failed: " + failed.error().message); });
    syncTimer_ = event_new(
        base, -1, EV_PERSIST,
        [](evutil_socket_t, short, void* self) { static_cast<EmbeddedLog*>(self)->syncIfDirty(); }, this);
    timeval second{1, 0};
    event_add(syncTimer_, &second);
  }
}

EmbeddedLog::~EmbeddedLog() {
  stop();
  if (syncTimer_ != nullptr) event_free(syncTimer_);
  if (committedEvent_ != nullptr) event_free(committedEvent_);
}

Status EmbeddedLog::replay(const Visit& visit) {
  std::string firstError;
  auto status = segments_->replay(0, [&](Offset offset, std::string_view bytes) {
    auto event = Event::decode(bytes);
    if (event.ok()) {
      visit(*event, LogPosition{0, static_cast<std::int64_t>(offset)});
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
    std::lock_guard lock(writeMutex_);  // across the sink call: see writeMutex_
    auto committed = write(std::move(batch), {Clock::now()});
    if (sink_) sink_(std::move(committed));
    return;
  }
  bool wasEmpty = false;
  {
    std::lock_guard lock(mutex_);
    wasEmpty = queue_.empty();
    queue_.push_back(std::move(event));
    queuedAt_.push_back(Clock::now());
  }
  if (wasEmpty) queued_.notify_one();
}

// The sync thread: waits for appends, writes and syncs each batch that queued up, and
// tells the loop. Ends once stop() asked and the queue is empty.
void EmbeddedLog::syncLoop() {
  pthread_setname_np(pthread_self(), "wsd-fsync");
  std::unique_lock lock(mutex_);
  for (;;) {
    queued_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and everything is written
    std::vector<EventPtr> batch;
    std::vector<Clock::time_point> queuedAt;
    batch.swap(queue_);
    queuedAt.swap(queuedAt_);
    lock.unlock();  // appends go on queueing while the disk syncs
    std::vector<Committed> outcome;
    {
      std::lock_guard writing(writeMutex_);
      outcome = write(std::move(batch), std::move(queuedAt));
    }
    lock.lock();
    for (auto& c : outcome) written_.push_back(std::move(c));
    event_active(committedEvent_, EV_READ, 0);  // the loop's event fd: handOverCommitted
  }
}

void EmbeddedLog::handOverCommitted() {
  std::vector<Committed> batch;
  {
    std::lock_guard lock(mutex_);
    batch.swap(written_);
  }
  if (!batch.empty() && sink_) sink_(std::move(batch));
}

bool EmbeddedLog::checkpointDue(Clock::time_point now) const {
  if (!checkpoints_.newEvent || sinceCheckpoint_ == 0) return false;
  const auto& policy = checkpoints_.policy;
  if (policy.everyRecords > 0 && sinceCheckpoint_ >= policy.everyRecords) return true;
  return policy.everyMs > 0 && now - lastCheckpointAt_ >= std::chrono::milliseconds(policy.everyMs);
}

// Links in place: the batch and its times gain an entry only when a checkpoint falls due
// (an insertion, O(batch), once per checkpoint period), so an append allocates nothing here
// but the records.
std::vector<std::string> EmbeddedLog::link(std::vector<EventPtr>& batch, std::vector<Clock::time_point>& queuedAt) {
  std::vector<std::string> records;
  records.reserve(batch.size());
  const auto now = Clock::now();
  for (std::size_t i = 0; i < batch.size(); ++i) {
    records.push_back(chain_.link(*batch[i]));
    ++sinceCheckpoint_;
    if (!checkpointDue(now)) continue;
    auto checkpoint = checkpoints_.newEvent();
    checkpoint->type = EventType::kLogCheckpoint;
    chain::fillCheckpoint(*checkpoint, chain_.nextSeq() - 1, chain_.lastHash(), checkpoints_.policy.key);
    records.push_back(chain_.link(*checkpoint));
    ++i;  // the checkpoint goes right after the record that made it due
    batch.insert(batch.begin() + static_cast<std::ptrdiff_t>(i), std::move(checkpoint));
    queuedAt.insert(queuedAt.begin() + static_cast<std::ptrdiff_t>(i), now);
    sinceCheckpoint_ = 0;
    lastCheckpointAt_ = now;
  }
  return records;
}

void EmbeddedLog::rewind(const chain::ChainWriter& before, std::int64_t sinceCheckpointBefore,
                         const std::vector<EventPtr>& batch, const std::vector<std::string>& records,
                         std::size_t written) {
  chain_ = before;
  for (std::size_t i = 0; i < written; ++i) chain_.passOver(records[i]);
  // Counted again from the records that are in the log; a checkpoint that is not will be
  // written again when next due.
  sinceCheckpoint_ = sinceCheckpointBefore;
  for (std::size_t i = 0; i < written; ++i) {
    if (batch[i]->type == EventType::kLogCheckpoint)
      sinceCheckpoint_ = 0;
    else
      ++sinceCheckpoint_;
  }
}

// `times` is taken by value: link() inserts the checkpoints' times into it in place.
std::vector<Committed> EmbeddedLog::write(std::vector<EventPtr> batch, std::vector<Clock::time_point> times) {
  const chain::ChainWriter before = chain_;
  const std::int64_t sinceCheckpointBefore = sinceCheckpoint_;
  const std::vector<std::string> payloads = link(batch, times);
  // With kAlways the segment log syncs before it returns (it was opened with
  // sync_each_append), so `written` counts records that are on disk.
  const auto appended = segments_->appendBatch(payloads);
  if (appended.written < payloads.size()) rewind(before, sinceCheckpointBefore, batch, payloads, appended.written);
  if (appended.written > 0 && fsync_ != FsyncPolicy::kAlways) dirty_ = true;
  std::vector<Committed> out;
  out.reserve(batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    // What the log holds is what the sink is told: the first `written` are in it.
    const bool inTheLog = i < appended.written;
    reportAppend(times[i], inTheLog ? nullptr : &appended.status.error());
    if (inTheLog)
      out.push_back({std::move(batch[i]), true, {}, LogPosition{0, static_cast<std::int64_t>(appended.first + i)}});
    else
      out.push_back({std::move(batch[i]), false, appended.status.error(), {}});
  }
  return out;
}

void EmbeddedLog::syncIfDirty() {
  Result<SegmentLog::Unsynced> unsynced = SegmentLog::Unsynced{};
  {
    std::lock_guard lock(writeMutex_);
    if (!dirty_) return;
    dirty_ = false;
    unsynced = segments_->takeUnsynced();
  }
  if (!unsynced.ok()) return logging::warn("fsync failed: " + unsynced.error().message);
  backgroundSync_->sync(std::move(unsynced.value()));  // the loop does not wait for the disk
}

void EmbeddedLog::stop() {
  if (syncThread_.joinable()) {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    queued_.notify_one();
    syncThread_.join();  // it writes and syncs what is queued first
    handOverCommitted();
  }
  if (fsync_ == FsyncPolicy::kEverySecond) {
    syncIfDirty();
    backgroundSync_->drain();  // on disk before stop() returns
  }
}

}  // namespace wsd::log
