#include "core/topic_chains.h"

#include <algorithm>
#include <tuple>

#include "core/constant_time.h"

namespace wsd::chain {

void TopicChainVerifier::visit(std::int32_t partition, std::int64_t offset, std::string_view payload,
                               const Event& event) {
  ++records_;
  Partition& p = partitions_[partition];
  if (!p.seen) p.trimmed = offset > 0;
  p.seen = true;
  p.summary.partition = partition;
  ++p.summary.records;
  p.fold.fold(offset, recordHash(payload));
  // A partition checkpoint belongs to no producer's chain: the fold vouches for it.
  if (event.type == EventType::kLogPartitionCheckpoint) return checkPartitionCheckpoint(p, partition, offset, event);
  p.summary.lastOffset = offset;
  visitChained(p, partition, offset, payload, event);
}

void TopicChainVerifier::report(Finding::Kind kind, std::int32_t partition, std::int64_t offset, std::string message) {
  Finding f{kind, offset, std::move(message)};
  f.partition = partition;
  findings_.push_back(std::move(f));
}

void TopicChainVerifier::visitChained(Partition& p, std::int32_t partition, std::int64_t offset,
                                      std::string_view payload, const Event& event) {
  if (event.chain.empty() || event.seq < 0) {
    if (!p.chained) return static_cast<void>(++unchained_);  // written before the chains began
    return report(
        Finding::Kind::kInserted, partition, offset,
        "a record without a link (or without a chain) among the chains of partition " + std::to_string(partition));
  }
  p.chained = true;
  auto [chain, added] = p.chains.try_emplace(event.chain, check_.key);
  if (added && p.trimmed && event.seq > 0) {
    chain->second.takeUpAt(event);
    ++takenUp_;
  }
  chain->second.visit(offset, payload, event);
  if (!check_.anchors.empty()) noteAnchors(payload, event);
}

void TopicChainVerifier::checkPartitionCheckpoint(Partition& p, std::int32_t partition, std::int64_t offset,
                                                  const Event& event) {
  const std::string where = "partition checkpoint at offset " + std::to_string(offset);
  const auto checkpoint = readPartitionCheckpoint(event);
  if (!checkpoint || checkpoint->partition != partition) {
    return report(Finding::Kind::kBadCheckpoint, partition, offset, where + " is malformed or names another partition");
  }
  if (check_.key && (!checkpoint->sig ||
                     !equalInConstantTime(*checkpoint->sig, partitionCheckpointSignature(*check_.key, *checkpoint)))) {
    return report(Finding::Kind::kBadCheckpoint, partition, offset,
                  where + (checkpoint->sig ? ": its signature does not hold under this key" : " is not signed"));
  }
  PartitionSummary& s = p.summary;
  ++s.checkpoints;
  switch (p.fold.check(*checkpoint)) {
    case PartitionFold::Check::kHolds: ++s.held; break;
    case PartitionFold::Check::kBroken:
      report(Finding::Kind::kOrderBroken, partition, offset,
             "the records from offset " + std::to_string(std::max(s.vouchedUpTo + 1, p.fold.origin())) + " to " +
                 std::to_string(checkpoint->upTo) + " are not those the " + where +
                 " vouched for: one among them was removed, inserted, changed or moved (within a chain or across)");
      p.fold.takeUp(*checkpoint);  // what follows is checked from here, not reported again
      break;
    case PartitionFold::Check::kOtherOrigin:
      if (!p.fold.takeUp(*checkpoint)) return static_cast<void>(++s.unchecked);
      ++s.takenUp;
      break;
    case PartitionFold::Check::kOutOfReach: ++s.unchecked; return;
  }
  s.vouchedUpTo = std::max(s.vouchedUpTo, checkpoint->upTo);
}

void TopicChainVerifier::noteAnchors(std::string_view payload, const Event& event) {
  for (const auto& anchor : check_.anchors) {
    if (anchor.seq == event.seq) anchorSeen_[event.seq].push_back(recordHash(payload));
  }
}

void TopicChainVerifier::reportUnclosed(std::int32_t partition, const std::string& name, const ChainVerifier& chain) {
  const bool atCheckpoint = chain.lastCheckpoint() == chain.lastPosition();
  Finding f{Finding::Kind::kTruncated, chain.lastPosition(),
            "chain " + name + " ends at seq " + std::to_string(chain.lastSeq()) +
                (atCheckpoint ? ", a checkpoint," : "") +
                " without its closing checkpoint: the records after it were cut (or its producer was killed)"};
  f.seq = chain.lastSeq();
  f.partition = partition;
  f.chain = name;
  findings_.push_back(std::move(f));
}

void TopicChainVerifier::finish() {
  for (auto& [partition, p] : partitions_) {
    for (auto& [name, chain] : p.chains) {
      chain.finish();
      for (Finding f : chain.findings()) {
        f.partition = partition;
        f.chain = name;
        findings_.push_back(std::move(f));
      }
      if (check_.expectClosed && !chain.closed()) reportUnclosed(partition, name, chain);
    }
  }
  for (const auto& anchor : check_.anchors) {
    const auto& seen = anchorSeen_[anchor.seq];
    if (std::find(seen.begin(), seen.end(), anchor.hash) != seen.end()) continue;
    Finding f{Finding::Kind::kAnchorMissed, -1,
              "no chain holds the anchored seq " + std::to_string(anchor.seq) + " with hash " + anchor.hash +
                  ": it was cut back before it, or rewritten up to it"};
    f.seq = anchor.seq;
    f.partition = -1;  // not located: the topic as a whole
    findings_.push_back(std::move(f));
  }
  std::stable_sort(findings_.begin(), findings_.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.partition, a.position) < std::tie(b.partition, b.position);
  });
}

std::vector<ChainSummary> TopicChainVerifier::chains() const {
  std::vector<ChainSummary> out;
  for (const auto& [partition, p] : partitions_) {
    for (const auto& [name, chain] : p.chains) out.push_back({partition, name, chain.records(), chain.closed()});
  }
  return out;
}

std::vector<PartitionSummary> TopicChainVerifier::partitions() const {
  std::vector<PartitionSummary> out;
  for (const auto& [partition, p] : partitions_) out.push_back(p.summary);
  return out;
}

std::int64_t TopicChainVerifier::checkpoints() const {
  std::int64_t total = 0;
  for (const auto& [partition, p] : partitions_) {
    for (const auto& [name, chain] : p.chains) total += chain.checkpoints();
  }
  return total;
}

std::int64_t TopicChainVerifier::signedCheckpoints() const {
  std::int64_t total = 0;
  for (const auto& [partition, p] : partitions_) {
    for (const auto& [name, chain] : p.chains) total += chain.signedCheckpoints();
  }
  return total;
}

}  // namespace wsd::chain
