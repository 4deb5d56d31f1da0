// The tamper-evident chain over the embedded event log. CRCs catch accidents; the chain
// catches edits: each record carries `seq`, its place in the log, and `prev`, the SHA-256
// of the previous record exactly as stored, so a record changed (even with its CRC fixed),
// removed, inserted or moved breaks the chain where it happened. The first record anchors
// to kGenesis. Every so often the log writes a `log.checkpoint` event vouching for the
// chain so far, signed with the operator's key when one is configured (HMAC-SHA256), so
// that someone without the key cannot rewrite the history before it and rebuild the
// chain. What it proves and what it does not: docs/analysts.md, "The chain".
//
// A Kafka topic has several producers per partition, none of which knows the records the
// others wrote, so there each producer keeps a chain of its own per partition, named in
// every record (`chain`): it opens with a checkpoint at seq 0 that anchors to kGenesis,
// and closes, when its producer stops, with a `final` checkpoint (core/topic_chains.h
// verifies a topic's chains; docs/architecture.md, "The chain on Kafka").
//
// Pure: no I/O. The writer side is kept by the log (log/embedded_log.h, log/kafka_log.h);
// the verifier side by `wslog verify --chain`.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"

namespace wsd::chain {

// What the first record of a log carries as `prev`.
inline constexpr std::string_view kGenesis = "0000000000000000000000000000000000000000000000000000000000000000";

// SHA-256 of a record's bytes as stored, lowercase hex.
std::string recordHash(std::string_view payload);
// A checkpoint's signature: HMAC-SHA256 under `key` over the seq and hash it vouches for.
std::string checkpointSignature(std::string_view key, std::int64_t upTo, std::string_view hash);
// A Kafka chain's checkpoint's signature: also over the chain's name and whether it closes
// the chain, so that neither can be moved to or forged on another checkpoint.
std::string chainCheckpointSignature(std::string_view key, std::string_view chain, std::int64_t upTo,
                                     std::string_view hash, bool final);

// The writer's end of the chain: where the next record goes and what it links to. A
// value: a log copies it before a write and goes back to the copy for what the disk did
// not take.
class ChainWriter {
 public:
  // A new log: its first record is seq 0 and anchors to kGenesis.
  ChainWriter() = default;
  // Continues after a log's last record as stored (which may predate the chain: then the
  // chain starts by anchoring to it); `nextSeq` is the next record's place in the log.
  ChainWriter(std::int64_t nextSeq, std::string_view lastPayload)
      : nextSeq_(nextSeq), lastHash_(recordHash(lastPayload)) {}
  // A new chain named `chain` in a Kafka partition: its records carry the name.
  explicit ChainWriter(std::string chain) : chain_(std::move(chain)) {}

  // The record of `event`, linked to the chain, which moves past it.
  std::string link(const Event& event);
  // Moves past a record already linked (what a log does again after going back).
  void passOver(std::string_view payload);

  std::int64_t nextSeq() const { return nextSeq_; }
  const std::string& lastHash() const { return lastHash_; }
  const std::string& chain() const { return chain_; }

 private:
  std::string chain_;  // empty: the embedded log's one chain
  std::int64_t nextSeq_ = 0;
  std::string lastHash_{kGenesis};
};

// When the log writes a checkpoint: after `everyRecords` records, or after `everyMs` when
// at least one record came since the last one (0 turns either off).
struct CheckpointPolicy {
  std::int64_t everyRecords = 10000;
  std::int64_t everyMs = 60000;
  std::string key;  // the operator's signing key; empty: checkpoints are not signed
};

// The data of a log.checkpoint event vouching for the chain up to (and with) the record
// at `upTo`, whose hash is `hash`.
void fillCheckpoint(Event& checkpoint, std::int64_t upTo, std::string_view hash, std::string_view key);
// The same for the next record of a Kafka chain, `writer`: vouching for the chain so far
// (at seq 0, for nothing yet: upTo -1 and kGenesis, the chain's opening), and with `final`
// closing it: its producer wrote nothing more to the partition.
void fillChainCheckpoint(Event& checkpoint, const ChainWriter& writer, std::string_view key, bool final);

// What `wslog verify --chain` reports, in the order found.
struct Finding {
  enum class Kind {
    kChanged,        // a record's bytes are not what the next record chained to
    kRemoved,        // a seq never seen: the record was removed
    kReordered,      // a seq found after a later one: records were moved
    kInserted,       // a record that is not part of the chain where it stands
    kBadCheckpoint,  // a checkpoint whose hash or signature does not hold
    kAnchorMissed,   // the log no longer holds an anchored record as published
    kTruncated,      // a Kafka chain ends without its closing checkpoint, its producer said stopped
    kOrderBroken,    // a Kafka partition's records are not those a partition checkpoint vouched for
  };
  Finding(Kind kind, std::int64_t position, std::string message)
      : kind(kind), position(position), message(std::move(message)) {}

  Kind kind;
  std::int64_t position = 0;  // where in the log (the offset) it was found
  std::string message;
  std::int64_t seq = -1;       // the chain seq it is about; -1: none in particular
  std::int32_t partition = 0;  // a Kafka topic's partition; 0 in the embedded log
  std::string chain;           // a Kafka chain's name; empty in the embedded log
};

// A checkpoint hash published elsewhere: "the record at seq S hashed to H".
struct Anchor {
  std::int64_t seq = 0;
  std::string hash;
};

// Reads one log's records in stored order and checks the chain.
class ChainVerifier {
 public:
  // `key`: checkpoint signatures are checked with it (else only their hashes).
  explicit ChainVerifier(std::optional<std::string> key, std::vector<Anchor> anchors = {})
      : key_(std::move(key)), anchors_(std::move(anchors)) {}

  // `event` is `payload` decoded; `position` its offset in the log.
  void visit(std::int64_t position, std::string_view payload, const Event& event);
  // Before the first visit: the chain's records before `event` are gone by design (a Kafka
  // topic's retention deleted them), so the chain is taken up from `event`'s link.
  void takeUpAt(const Event& event);
  // After the last record: reports what was never seen (removed records, missed anchors).
  void finish();

  const std::vector<Finding>& findings() const { return findings_; }
  std::int64_t records() const { return records_; }
  std::int64_t unchainedPrefix() const { return unchained_; }  // records written before the chain
  std::int64_t checkpoints() const { return checkpoints_; }
  std::int64_t signedCheckpoints() const { return signed_; }  // whose signature was checked and holds
  // The last checkpoint that held, and how many records came after it (not vouched for).
  std::optional<std::int64_t> lastCheckpoint() const { return lastCheckpoint_; }
  std::int64_t afterLastCheckpoint() const { return afterCheckpoint_; }
  // A Kafka chain: whether its closing checkpoint was seen, and where its last record stands.
  bool closed() const { return closed_; }
  std::int64_t lastSeq() const { return lastSeq_; }
  std::int64_t lastPosition() const { return lastPosition_; }

 private:
  // False when the record is out of place (reported): the chain goes on without it.
  bool checkLink(std::int64_t position, const Event& event);
  void checkCheckpoint(std::int64_t position, const Event& event);
  void report(Finding::Kind kind, std::int64_t position, std::int64_t seq, std::string message);

  std::optional<std::string> key_;
  std::vector<Anchor> anchors_;
  std::vector<Finding> findings_;
  bool started_ = false;
  std::int64_t expectedSeq_ = 0;
  std::string lastHash_{kGenesis};
  std::map<std::int64_t, std::int64_t> missing_;    // seq -> where it should have been
  std::map<std::int64_t, std::string> seenHashes_;  // anchored seqs -> their record's hash
  std::int64_t records_ = 0;
  std::int64_t unchained_ = 0;
  std::int64_t checkpoints_ = 0;
  std::int64_t signed_ = 0;
  std::optional<std::int64_t> lastCheckpoint_;
  std::int64_t afterCheckpoint_ = 0;
  std::int64_t lastSeq_ = -1;
  std::int64_t lastPosition_ = -1;  // of the record lastHash_ is of
  bool closed_ = false;
};

std::string_view findingKindName(Finding::Kind kind);

}  // namespace wsd::chain
