// A Kafka partition's order, sealed. Each producer's chain (core/log_chain.h) proves that
// producer's records whole and in its order, but not how the chains of several producers
// interleave in a partition, nor that a chain was not removed whole. The one process that
// reads every record of a partition in order is the projector that owns it, so it folds
// each record into a running hash over the partition:
//
//     H(o) = SHA-256(hex H(o-1) ‖ hex SHA-256(record at offset o)),   H(origin - 1) = kGenesis
//
// keeps H beside its offsets in Redis (in the same atomic batch, so whoever takes the
// partition over continues the same fold), and every so often appends to the partition a
// `log.partition_checkpoint`: {partition, from (the fold's origin), upTo, hash}, signed
// with the operator's key when one is configured. `wslog verify --chain` folds the
// partition again and checks each one: a record removed, inserted, changed or moved
// anywhere up to `upTo`, within a chain or across chains, breaks it.
//
// The origin is the offset a fold began at: 0 for a partition folded from its beginning.
// A projector with no stored fold (Redis lost while retention had cut the partition's
// beginning; state from before folds were kept) begins a new fold at the first record it
// reads. A verifier that starts past offset 0, or meets a checkpoint of another origin,
// takes the fold up from that checkpoint: it trusts it as the point the records after it
// are checked from (signed, it cannot be forged without the key).
//
// Pure: no I/O. The projector role writes the checkpoints; core/topic_chains.h checks them.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

#include "core/event.h"
#include "core/log_chain.h"

namespace wsd::chain {

// What a log.partition_checkpoint says.
struct PartitionCheckpoint {
  std::int32_t partition = 0;
  std::int64_t from = 0;  // the fold's origin
  std::int64_t upTo = 0;  // the offset of the last record folded into `hash`
  std::string hash;
  std::optional<std::string> sig;
};

// The running hash after folding the record whose SHA-256 (hex) is `recordHash`.
std::string foldHash(std::string_view running, std::string_view recordHash);
// HMAC-SHA256 under `key` over what a checkpoint vouches for.
std::string partitionCheckpointSignature(std::string_view key, const PartitionCheckpoint& checkpoint);
// Makes `event` the log.partition_checkpoint of `checkpoint`, signed when `key` is not empty.
void fillPartitionCheckpoint(Event& event, const PartitionCheckpoint& checkpoint, std::string_view key);
// The checkpoint a log.partition_checkpoint event states; nullopt for another type or a
// malformed one.
std::optional<PartitionCheckpoint> readPartitionCheckpoint(const Event& event);

class PartitionFold {
 public:
  // How many of the last records folded a fold remembers by default, to check a
  // checkpoint that stands after further records and to take a fold up: a checkpoint is
  // appended right after the records it vouches for, so only those produced in between
  // stand between them.
  static constexpr std::size_t kDefaultReach = 32768;

  // Nothing folded yet: the first record folded is the origin, anchored to kGenesis.
  explicit PartitionFold(std::size_t reach = kDefaultReach) : reach_(reach) {}
  // A fold as stored() wrote it, continuing after the record at `next` - 1; nullopt when
  // the text is not one.
  static std::optional<PartitionFold> restore(std::string_view stored, std::int64_t next, std::size_t reach = 0);
  // "<origin>:<hash>": what is kept beside the partition's next offset.
  std::string stored() const;

  void fold(std::int64_t offset, std::string_view recordHash);

  enum class Check {
    kHolds,        // the records up to its upTo are the ones it vouched for
    kBroken,       // they are not
    kOtherOrigin,  // it belongs to a fold begun elsewhere (or nothing is folded yet)
    kOutOfReach,   // its upTo is further back than this fold remembers
  };
  // `checkpoint` read from the partition, against what was folded so far.
  Check check(const PartitionCheckpoint& checkpoint) const;
  // Continues from `checkpoint` (its hash at its upTo), folding again the records
  // remembered after it. False, and nothing changed, when some of them are not remembered.
  bool takeUp(const PartitionCheckpoint& checkpoint);

  bool begun() const { return origin_ >= 0; }
  std::int64_t origin() const { return origin_; }
  std::int64_t next() const { return next_; }
  const std::string& hash() const { return hash_; }

 private:
  struct Folded {
    std::int64_t offset;
    std::string record;   // the record's own hash
    std::string running;  // the fold's hash after it
  };
  const Folded* remembered(std::int64_t offset) const;

  std::size_t reach_;
  std::int64_t origin_ = -1;  // -1: nothing folded yet
  std::int64_t next_ = 0;
  std::string hash_{kGenesis};
  std::deque<Folded> recent_;  // at most reach_, in offset order
};

}  // namespace wsd::chain
