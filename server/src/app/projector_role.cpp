#include "app/projector_role.h"

#include <cstdio>

#include "core/lag_estimate.h"
#include "gateway/clock.h"
#include "logging/logger.h"
#include "store/redis_batch.h"
#include "store/redis_layout.h"
#include "store/redis_snapshot.h"

namespace wsd {
namespace {

constexpr int kFlushTimeoutMs = 10000;

void warn(const std::string& message) { logging::warn("projector: " + message); }

}  // namespace

ProjectorRole::ProjectorRole(ProjectorRoleOptions options, event_base* base)
    : options_(std::move(options)), base_(base), projector_(store_, options_.limits, Projector::Deliveries::kSkip) {}

Result<std::unique_ptr<ProjectorRole>> ProjectorRole::start(const ProjectorRoleOptions& options, event_base* base) {
  std::unique_ptr<ProjectorRole> role(new ProjectorRole(options, base));
  // Reachable Redis first: a projector that cannot write should say so at once.
  if (auto loaded = role->reload(); !loaded.ok()) return loaded.error();
  auto reader = log::KafkaGroupReader::connect(options.kafka, options.group);
  if (!reader.ok()) return reader.error();
  role->reader_ = std::move(reader.value());
  if (options.checkpoints.newEvent) {
    auto writer = log::PartitionCheckpointWriter::connect(options.kafka, base);
    if (!writer.ok()) return writer.error();
    role->checkpointWriter_ = std::move(writer.value());
  }
  role->timer_ = event_new(
      base, -1, EV_PERSIST, [](evutil_socket_t, short, void* self) { static_cast<ProjectorRole*>(self)->onTimer(); },
      role.get());
  timeval second{1, 0};
  event_add(role->timer_, &second);
  auto* self = role.get();
  auto started = role->reader_->start(
      base, {[self](const auto& partitions) { return self->onAssigned(partitions); }, [self] { self->onRevoked(); },
             [self](std::vector<log::PartitionRecord>&& records) { self->onRecords(std::move(records)); }});
  if (!started.ok()) return started.error();
  return role;
}

ProjectorRole::~ProjectorRole() {
  stop();
  if (timer_ != nullptr) event_free(timer_);
}

void ProjectorRole::stop() {
  if (reader_ == nullptr) return;
  if (timer_ != nullptr) event_del(timer_);
  reader_->close();  // runs onRevoked, which writes what was applied
  reader_.reset();
}

// ---- partitions come and go -------------------------------------------------------------

log::PartitionOffsets ProjectorRole::onAssigned(const std::vector<std::int32_t>& partitions) {
  // Reload even if nothing changed here: the partitions' previous owner wrote their state.
  auto offsets = reload();
  if (!offsets.ok()) {
    needResync(offsets.error().message);
    return {};
  }
  log::PartitionOffsets mine;
  written_.clear();
  for (auto partition : partitions) {
    written_[partition] = 0;
    if (auto it = offsets->find(partition); it != offsets->end()) mine.insert(*it), written_[partition] = it->second;
  }
  restoreFolds(partitions, *offsets);
  return mine;
}

void ProjectorRole::onRevoked() {
  // What was folded since the last checkpoint is vouched for before the next owner folds on.
  writeDueCheckpoints(true);
  if (checkpointWriter_ != nullptr) checkpointWriter_->flush();
  seals_.clear();
  written_.clear();
  writtenTs_.clear();
  behindSince_.clear();
  // The next owner loads from Redis as soon as this returns: everything applied here must
  // be written by then.
  if (async_ == nullptr) return;
  if (auto flushed = async_->flush(kFlushTimeoutMs); !flushed.ok()) warn("handing over: " + flushed.error().message);
}

// ---- applying -----------------------------------------------------------------------------

void ProjectorRole::onRecords(std::vector<log::PartitionRecord>&& records) {
  if (!healthy_) return;  // read again from the stored offsets once Redis is back
  log::PartitionOffsets advanced;
  log::PartitionOffsets newestTs;
  for (const auto& record : records) {
    fold(record);
    if (record.event != nullptr) {
      projector_.apply(*record.event);  // the rest of its effects is the gateways' business
      newestTs[record.partition] = record.event->ts;
    }
    advanced[record.partition] = record.offset + 1;
  }
  writeChanges(advanced, newestTs);
  writeDueCheckpoints(false);
}

// ---- the partitions' folds ------------------------------------------------------------------

void ProjectorRole::restoreFolds(const std::vector<std::int32_t>& partitions, const log::PartitionOffsets& offsets) {
  seals_.clear();
  for (auto partition : partitions) {
    PartitionSeal& seal = seals_[partition];
    const auto offset = offsets.find(partition);
    const auto stored = storedFolds_.find(partition);
    if (offset == offsets.end() || stored == storedFolds_.end()) continue;  // a fold begins at the first record read
    auto restored = chain::PartitionFold::restore(stored->second, offset->second);
    if (restored) seal.fold = std::move(*restored);
    if (!restored) warn("partition " + std::to_string(partition) + ": the stored fold is unreadable; a new one begins");
  }
}

void ProjectorRole::fold(const log::PartitionRecord& record) {
  auto found = seals_.find(record.partition);
  if (found == seals_.end()) return;
  PartitionSeal& seal = found->second;
  seal.fold.fold(record.offset, record.hash);
  const auto checkpoint = record.event != nullptr ? chain::readPartitionCheckpoint(*record.event) : std::nullopt;
  if (!checkpoint) return static_cast<void>(++seal.sinceCheckpoint);
  // Another projector's (or this one's) checkpoint: it must agree with the log as read here.
  if (seal.fold.check(*checkpoint) == chain::PartitionFold::Check::kBroken) {
    warn("partition " + std::to_string(record.partition) + ": the partition checkpoint at offset " +
         std::to_string(record.offset) + " does not hold against the records as read: the log was changed");
  }
}

void ProjectorRole::writeDueCheckpoints(bool all) {
  if (checkpointWriter_ == nullptr) return;
  const auto& policy = options_.checkpoints.policy;
  const auto now = Clock::now();
  for (auto& [partition, seal] : seals_) {
    if (seal.sinceCheckpoint == 0 || !seal.fold.begun()) continue;
    const bool byCount = policy.everyRecords > 0 && seal.sinceCheckpoint >= policy.everyRecords;
    const bool byTime = policy.everyMs > 0 && now - seal.lastCheckpointAt >= std::chrono::milliseconds(policy.everyMs);
    if (all || byCount || byTime) writeCheckpoint(partition, seal);
  }
}

void ProjectorRole::writeCheckpoint(std::int32_t partition, PartitionSeal& seal) {
  auto event = options_.checkpoints.newEvent();
  chain::fillPartitionCheckpoint(*event,
                                 {partition, seal.fold.origin(), seal.fold.next() - 1, seal.fold.hash(), std::nullopt},
                                 options_.checkpoints.policy.key);
  checkpointWriter_->write(partition, *event);
  seal.sinceCheckpoint = 0;
  seal.lastCheckpointAt = Clock::now();
}

void ProjectorRole::writeChanges(const log::PartitionOffsets& advanced, const log::PartitionOffsets& newestTs) {
  auto commands = store_.takeChanges();
  const auto offsetsKey = store::redis_layout::offsetsKey(options_.kafka.topic);
  const auto foldsKey = store::redis_layout::foldsKey(options_.kafka.topic);
  for (const auto& [partition, next] : advanced) {
    commands.push_back({"HSET", offsetsKey, std::to_string(partition), std::to_string(next)});
    // The fold as of `next`: a projector that resumes there continues it.
    if (auto seal = seals_.find(partition); seal != seals_.end() && seal->second.fold.next() == next) {
      commands.push_back({"HSET", foldsKey, std::to_string(partition), seal->second.fold.stored()});
    }
  }
  store::writeBatch(*async_, epoch_, commands,
                    [this, epoch = epoch_, advanced, newestTs](store::BatchOutcome outcome, const std::string& why) {
                      if (outcome != store::BatchOutcome::kWritten) {
                        if (epoch == epoch_) needResync(why);
                        return;
                      }
                      for (const auto& [partition, next] : advanced) {
                        if (auto it = written_.find(partition); it != written_.end()) it->second = next;
                      }
                      for (const auto& [partition, ts] : newestTs) writtenTs_[partition] = ts;
                      publishLag();
                    });
}

// ---- keeping in step with Redis -------------------------------------------------------------

Result<log::PartitionOffsets> ProjectorRole::reload() {
  healthy_ = false;
  if (sync_ == nullptr) {
    auto sync = store::RedisSync::connect(options_.redis);
    if (!sync.ok()) return sync.error();
    sync_ = std::move(sync.value());
  }
  if (async_ == nullptr || !async_->connected()) {
    async_.reset();
    auto async = store::RedisAsync::connect(options_.redis, base_);
    if (!async.ok()) return async.error();
    async_ = std::move(async.value());
  }
  auto failed = [this](const Error& error) -> Result<log::PartitionOffsets> {
    sync_.reset();  // its connection may be broken: connect afresh next time
    return error;
  };
  auto epoch = store::claimEpoch(*sync_);
  if (!epoch.ok()) return failed(epoch.error());
  auto& memory = store_.workingCopyForLoading();
  if (auto loaded = store::loadProjections(*sync_, memory); !loaded.ok()) return failed(loaded.error());
  auto offsets = store::loadOffsets(*sync_, options_.kafka.topic);
  if (!offsets.ok()) return failed(offsets.error());
  auto folds = store::loadFolds(*sync_, options_.kafka.topic);
  if (!folds.ok()) return failed(folds.error());
  storedFolds_ = std::move(folds.value());
  epoch_ = *epoch;
  healthy_ = true;
  resyncWanted_ = false;
  return offsets;
}

void ProjectorRole::needResync(const std::string& why) {
  if (resyncWanted_) return;
  warn(why + "; reloading from Redis");
  healthy_ = false;
  resyncWanted_ = true;
  event_active(timer_, EV_TIMEOUT, 0);  // from a clean stack, not inside a hiredis callback
}

void ProjectorRole::publishLag() {
  std::vector<log::PartitionLag> lag;
  const std::int64_t now = wallClockMs();
  for (const auto& [partition, next] : written_) {
    const std::int64_t high = reader_ != nullptr ? reader_->highWatermark(partition) : -1;
    if (high < 0) continue;
    const std::int64_t records = std::max<std::int64_t>(0, high - next);
    if (records == 0) behindSince_.erase(partition);
    if (records > 0) behindSince_.emplace(partition, now);  // keeps the first sighting
    const auto written = writtenTs_.find(partition);
    lag.push_back({partition, records,
                   lagSeconds({records, now, written == writtenTs_.end() ? 0 : written->second,
                               records > 0 ? behindSince_[partition] : now})});
  }
  std::lock_guard lock(lagMutex_);
  lag_ = std::move(lag);
}

std::vector<log::PartitionLag> ProjectorRole::lag() const {
  std::lock_guard lock(lagMutex_);
  return lag_;
}

void ProjectorRole::onTimer() {
  publishLag();
  if (resyncWanted_) {
    auto offsets = reload();
    if (!offsets.ok()) {
      resyncWanted_ = true;  // try again in a second
      warn(offsets.error().message);
      return;
    }
    if (auto rewound = reader_->rewind(*offsets); !rewound.ok()) return needResync(rewound.error().message);
    restoreFolds(reader_->assigned(), *offsets);
    return;
  }
  writeDueCheckpoints(false);
  if (!healthy_ || async_ == nullptr) return;
  // Idle projectors notice a flushed Redis too, not only busy ones.
  async_->send({"GET", std::string(store::redis_layout::kEpoch)},
               [this, epoch = epoch_](const Result<store::RedisValue>& reply) {
                 if (epoch != epoch_) return;
                 if (!reply.ok()) return needResync(reply.error().message);
                 if (reply->text != epoch_) needResync("the projections in Redis were flushed or rebuilt");
               });
}

}  // namespace wsd
