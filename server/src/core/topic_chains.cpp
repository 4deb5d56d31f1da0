#include "core/topic_chains.h"

#include <algorithm>
#include <tuple>

namespace wsd::chain {

void TopicChainVerifier::visit(std::int32_t partition, std::int64_t offset, std::string_view payload,
                               const Event& event) {
  ++records_;
  Partition& p = partitions_[partition];
  if (!p.seen) p.trimmed = offset > 0;
  p.seen = true;
  if (event.chain.empty() || event.seq < 0) {
    if (!p.chained) return static_cast<void>(++unchained_);  // written before the chains began
    Finding f{
        Finding::Kind::kInserted, offset,
        "a record without a link (or without a chain) among the chains of partition " + std::to_string(partition)};
    f.partition = partition;
    findings_.push_back(std::move(f));
    return;
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
