// Verifying a Kafka topic's chains. Several producers (gateways, mailers) write into each
// partition, so a partition holds several chains interleaved (core/log_chain.h): one per
// producer process, each named in its records, opening with a checkpoint at seq 0 and
// closing with a `final` checkpoint when its producer stops. Each chain is checked on its
// own, in the partition's offset order, with the embedded log's rules; and a record
// without a link once a partition's chains have begun is one that was inserted. Where
// retention has deleted a partition's first records (it is read from an offset above 0),
// a chain whose beginning went with them is taken up from its first record still there.
//
// The interleaving of the chains, and a chain removed whole, are proven by the partition
// checkpoints the projector writes (core/partition_fold.h): each partition is folded again
// here and every checkpoint checked against the fold. What this cannot see: records after
// a partition's last checkpoint moved across chains, and a partition whose checkpoints
// were all removed (it shows none); docs/analysts.md, "The chain on Kafka".
//
// Pure: no I/O; `wslog verify --chain --kafka-brokers` feeds it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/log_chain.h"
#include "core/partition_fold.h"

namespace wsd::chain {

struct TopicCheck {
  std::optional<std::string> key;  // checkpoint signatures are checked with it (else only their hashes)
  std::vector<Anchor> anchors;     // checkpoints published elsewhere: some chain must still hold each
  // Every producer of the topic has stopped: a chain without its closing checkpoint was cut.
  bool expectClosed = false;
};

// One chain's outcome, for the summary.
struct ChainSummary {
  std::int32_t partition = 0;
  std::string chain;
  std::int64_t records = 0;
  bool closed = false;  // its closing checkpoint was seen
};

// One partition's order, as its partition checkpoints vouch for it.
struct PartitionSummary {
  std::int32_t partition = 0;
  std::int64_t records = 0;
  std::int64_t checkpoints = 0;   // partition checkpoints seen
  std::int64_t held = 0;          // checked against the fold, and they hold
  std::int64_t takenUp = 0;       // of another fold's origin (or the first after retention's cut): trusted
  std::int64_t unchecked = 0;     // standing further from what they vouch for than the fold remembers
  std::int64_t vouchedUpTo = -1;  // the offset of the last record a checkpoint vouched for
  std::int64_t lastOffset = -1;   // of the last record other than a partition checkpoint
};

class TopicChainVerifier {
 public:
  explicit TopicChainVerifier(TopicCheck check) : check_(std::move(check)) {}

  // `event` is `payload` decoded, at `offset` of `partition`. One partition's records come
  // in offset order; partitions may interleave.
  void visit(std::int32_t partition, std::int64_t offset, std::string_view payload, const Event& event);
  // After the last record: every chain's findings, sorted by partition and offset.
  void finish();

  const std::vector<Finding>& findings() const { return findings_; }
  std::vector<ChainSummary> chains() const;
  std::vector<PartitionSummary> partitions() const;
  std::int64_t records() const { return records_; }
  std::int64_t unchainedPrefix() const { return unchained_; }  // records written before any chain
  std::int64_t checkpoints() const;
  std::int64_t signedCheckpoints() const;
  std::int64_t chainsTakenUp() const { return takenUp_; }  // begun before retention's cut

 private:
  struct Partition {
    std::map<std::string, ChainVerifier> chains;
    bool chained = false;  // a chained record was seen: unlinked ones after it are inserted
    bool trimmed = false;  // its first record read was above offset 0: retention deleted some
    bool seen = false;
    PartitionFold fold;
    PartitionSummary summary;
  };
  void visitChained(Partition& p, std::int32_t partition, std::int64_t offset, std::string_view payload,
                    const Event& event);
  void checkPartitionCheckpoint(Partition& p, std::int32_t partition, std::int64_t offset, const Event& event);
  void report(Finding::Kind kind, std::int32_t partition, std::int64_t offset, std::string message);
  void noteAnchors(std::string_view payload, const Event& event);
  void reportUnclosed(std::int32_t partition, const std::string& name, const ChainVerifier& chain);

  TopicCheck check_;
  std::map<std::int32_t, Partition> partitions_;
  std::map<std::int64_t, std::vector<std::string>> anchorSeen_;  // anchored seq -> hashes of records at it
  std::vector<Finding> findings_;
  std::int64_t records_ = 0;
  std::int64_t unchained_ = 0;
  std::int64_t takenUp_ = 0;
};

}  // namespace wsd::chain
