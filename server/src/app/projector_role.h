// The projector role (`wsd project`, and part of `wsd all` given --redis): a member of a
// Kafka consumer group that applies the events of the partitions it is given to the
// projections in Redis, with the same Projector code the gateways run in memory.
//
// Exactly-once application: every batch of applied events becomes one atomic Redis
// batch (store/redis_batch.h) that also sets each partition's next offset. After a
// crash at any instant, Redis holds the state after a whole number of events and the
// offsets that say which; the projector that takes the partition over loads both and
// resumes right after them. Nothing is applied twice and nothing is skipped.
//
// The partition's order: the projector folds every record of its partitions into a running
// hash (core/partition_fold.h), writes it with the offsets in the same batch, and appends
// a log.partition_checkpoint to the partition every `checkpoints.policy` records or
// interval, and when it hands the partition over, so that `wslog verify --chain` can
// prove the order in which the projections applied the partition's records.
//
// Rebuilds: when Redis loses the projections (FLUSHALL, a new empty Redis) the epoch
// check refuses the next batch, or the once-a-second epoch check notices; the projector
// then loads what is left (nothing) and reads its partitions again from the beginning.
//
// Threads: the handlers and timers run on the loop given to start() (the serving loop in
// `wsd all`, the backend loop in `wsd project`); start() and stop() on the thread that
// owns the loop, while it is not running them. Loading the projections (a new
// assignment, a resync) uses a blocking Redis connection and so holds that loop for the
// load; a batch's write is asynchronous.
#pragma once

#include <event2/event.h>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "core/partition_fold.h"
#include "core/projector.h"
#include "log/chain_checkpoints.h"
#include "log/event_log.h"
#include "log/kafka_group_reader.h"
#include "log/partition_checkpoint_writer.h"
#include "store/redis_client.h"
#include "store/redis_store.h"

namespace wsd {

struct ProjectorRoleOptions {
  log::KafkaOptions kafka;
  std::string group = "wsd-projector";
  store::RedisAddress redis;
  ProjectorLimits limits;
  // When to write partition checkpoints, signed with which key, and their envelopes.
  log::Checkpoints checkpoints;
};

class ProjectorRole {
 public:
  static Result<std::unique_ptr<ProjectorRole>> start(const ProjectorRoleOptions& options, event_base* base);
  ~ProjectorRole();
  ProjectorRole(const ProjectorRole&) = delete;
  ProjectorRole& operator=(const ProjectorRole&) = delete;

  // Writes what was applied and leaves the group (its partitions go to the others).
  void stop();
  // How far Redis is behind the log for each partition this projector owns: the high
  // watermark minus the next offset written to Redis. Any thread; refreshed on every
  // write and once a second.
  std::vector<log::PartitionLag> lag() const;

 private:
  using Clock = std::chrono::steady_clock;
  // One owned partition's fold and when its last checkpoint was written.
  struct PartitionSeal {
    chain::PartitionFold fold{0};
    std::int64_t sinceCheckpoint = 0;  // records folded since (checkpoints not counted)
    Clock::time_point lastCheckpointAt = Clock::now();
  };

  ProjectorRole(ProjectorRoleOptions options, event_base* base);
  log::PartitionOffsets onAssigned(const std::vector<std::int32_t>& partitions);
  void onRevoked();
  void onRecords(std::vector<log::PartitionRecord>&& records);
  // `newestTs`: per partition, the log time (ms) of the last event of the batch.
  void writeChanges(const log::PartitionOffsets& advanced, const log::PartitionOffsets& newestTs);
  // Connects if needed, claims the epoch and loads the projections, offsets and folds.
  Result<log::PartitionOffsets> reload();
  // The folds of `partitions` as Redis holds them with `offsets` (loaded by reload()).
  void restoreFolds(const std::vector<std::int32_t>& partitions, const log::PartitionOffsets& offsets);
  void fold(const log::PartitionRecord& record);
  // Appends a checkpoint of each partition that has folded enough records since its last
  // (`all`: any record at all), or long enough ago.
  void writeDueCheckpoints(bool all);
  void writeCheckpoint(std::int32_t partition, PartitionSeal& seal);
  // Something went wrong with Redis: stop applying until reload() and a rewind succeed.
  void needResync(const std::string& why);
  void onTimer();
  void publishLag();  // backend thread

  ProjectorRoleOptions options_;
  event_base* base_;
  store::RedisStore store_;
  Projector projector_;
  std::unique_ptr<store::RedisSync> sync_;
  std::unique_ptr<store::RedisAsync> async_;
  std::unique_ptr<log::KafkaGroupReader> reader_;
  std::unique_ptr<log::PartitionCheckpointWriter> checkpointWriter_;
  std::string epoch_;
  bool healthy_ = false;                             // false: records are dropped; they are read again after the rewind
  bool resyncWanted_ = false;                        // set from Redis callbacks, acted on from the timer
  event* timer_ = nullptr;                           // once a second, and on demand
  std::map<std::int32_t, std::string> storedFolds_;  // as reload() found them
  std::map<std::int32_t, PartitionSeal> seals_;      // per owned partition
  log::PartitionOffsets written_;                    // backend thread: next offset in Redis, per owned partition
  log::PartitionOffsets writtenTs_;  // backend thread: log time (ms) of the last event written, per partition
  log::PartitionOffsets
      behindSince_;              // backend thread: when each partition was first seen behind (ms); absent: caught up
  mutable std::mutex lagMutex_;  // guards lag_
  std::vector<log::PartitionLag> lag_;
};

}  // namespace wsd
