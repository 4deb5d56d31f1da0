// Verifying a Kafka topic's chains. Several producers (gateways, mailers) write into each
// partition, so a partition holds several chains interleaved (core/log_chain.h): one per
// producer process, each named in its records, opening with a checkpoint at seq 0 and
// closing with a `final` checkpoint when its producer stops. Each chain is checked on its
// own, in the partition's offset order, with the embedded log's rules; and a record
// without a link once a partition's chains have begun is one that was inserted. Where
// retention has deleted a partition's first records (it is read from an offset above 0),
// a chain whose beginning went with them is taken up from its first record still there.
//
// What this cannot see: the order of records of different chains relative to each other
// (each producer's order is proven, the interleaving is not), and a chain removed whole
// (opening to close). Published checkpoints (anchors) catch the latter; docs/analysts.md,
// "The chain on Kafka", says what to do about both.
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
  };
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
