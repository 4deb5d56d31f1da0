#include "core/partition_fold.h"

#include <charconv>

#include "core/hmac.h"

namespace wsd::chain {
namespace {

bool isHash(std::string_view s) {
  return s.size() == kGenesis.size() && s.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

}  // namespace

std::string foldHash(std::string_view running, std::string_view recordHash) {
  std::string both;
  both.reserve(running.size() + recordHash.size());
  both.append(running).append(recordHash);
  return chain::recordHash(both);
}

std::string partitionCheckpointSignature(std::string_view key, const PartitionCheckpoint& c) {
  return hmacSha256Hex(key, "wsd.log.partition_checkpoint\n" + std::to_string(c.partition) + "\n" +
                                std::to_string(c.from) + "\n" + std::to_string(c.upTo) + "\n" + c.hash);
}

void fillPartitionCheckpoint(Event& event, const PartitionCheckpoint& c, std::string_view key) {
  event.type = EventType::kLogPartitionCheckpoint;
  auto& a = event.alloc();
  event.data.SetObject();
  event.data.AddMember("partition", c.partition, a);
  event.data.AddMember("from", c.from, a);
  event.data.AddMember("upTo", c.upTo, a);
  addString(event, "hash", c.hash);
  if (!key.empty()) addString(event, "sig", partitionCheckpointSignature(key, c));
}

std::optional<PartitionCheckpoint> readPartitionCheckpoint(const Event& event) {
  if (event.type != EventType::kLogPartitionCheckpoint) return std::nullopt;
  const auto partition = json::int64(event.data, "partition");
  const auto from = json::int64(event.data, "from");
  const auto upTo = json::int64(event.data, "upTo");
  auto hash = json::string(event.data, "hash");
  if (!partition || !from || !upTo || !hash || *partition < 0 || *from < 0 || *upTo < *from - 1 || !isHash(*hash)) {
    return std::nullopt;
  }
  return PartitionCheckpoint{static_cast<std::int32_t>(*partition), *from, *upTo, std::move(*hash),
                             json::string(event.data, "sig")};
}

// ---- the fold ---------------------------------------------------------------------------

std::optional<PartitionFold> PartitionFold::restore(std::string_view stored, std::int64_t next, std::size_t reach) {
  const auto colon = stored.find(':');
  if (colon == std::string_view::npos || !isHash(stored.substr(colon + 1))) return std::nullopt;
  std::int64_t origin = -1;
  const auto* end = stored.data() + colon;
  if (std::from_chars(stored.data(), end, origin).ptr != end || origin < 0 || origin > next) return std::nullopt;
  PartitionFold fold(reach);
  fold.origin_ = origin;
  fold.next_ = next;
  fold.hash_ = std::string(stored.substr(colon + 1));
  return fold;
}

std::string PartitionFold::stored() const { return std::to_string(origin_) + ":" + hash_; }

void PartitionFold::fold(std::int64_t offset, std::string_view recordHash) {
  if (origin_ < 0) origin_ = offset;
  hash_ = foldHash(hash_, recordHash);
  next_ = offset + 1;
  if (reach_ == 0) return;
  if (recent_.size() == reach_) recent_.pop_front();
  recent_.push_back({offset, std::string(recordHash), hash_});
}

const PartitionFold::Folded* PartitionFold::remembered(std::int64_t offset) const {
  if (recent_.empty() || offset < recent_.front().offset) return nullptr;
  // Offsets are consecutive unless the log skipped some (control records): look from the
  // place they would be at, back.
  auto at = static_cast<std::size_t>(
      std::min<std::int64_t>(offset - recent_.front().offset, static_cast<std::int64_t>(recent_.size()) - 1));
  for (;; --at) {
    if (recent_[at].offset == offset) return &recent_[at];
    if (recent_[at].offset < offset || at == 0) return nullptr;
  }
}

PartitionFold::Check PartitionFold::check(const PartitionCheckpoint& c) const {
  if (origin_ < 0 || c.from != origin_) return Check::kOtherOrigin;
  if (c.upTo >= next_) return Check::kBroken;  // vouches for records that stand after it
  if (c.upTo == next_ - 1) return c.hash == hash_ ? Check::kHolds : Check::kBroken;
  if (c.upTo == origin_ - 1) return c.hash == kGenesis ? Check::kHolds : Check::kBroken;
  const Folded* at = remembered(c.upTo);
  if (at == nullptr) return Check::kOutOfReach;
  return c.hash == at->running ? Check::kHolds : Check::kBroken;
}

bool PartitionFold::takeUp(const PartitionCheckpoint& c) {
  if (c.upTo >= next_) return false;
  const bool allRemembered =
      c.upTo == next_ - 1 || (!recent_.empty() && recent_.front().offset <= c.upTo + 1 && c.upTo < next_);
  if (!allRemembered) return false;
  while (!recent_.empty() && recent_.front().offset <= c.upTo) recent_.pop_front();
  origin_ = c.from;
  hash_ = c.hash;
  for (auto& folded : recent_) {
    hash_ = foldHash(hash_, folded.record);
    folded.running = hash_;
  }
  return true;
}

}  // namespace wsd::chain
