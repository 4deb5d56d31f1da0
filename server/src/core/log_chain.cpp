#include "core/log_chain.h"

#include <openssl/sha.h>

#include "core/constant_time.h"
#include "core/hmac.h"

namespace wsd::chain {
namespace {

std::string hex(const unsigned char* bytes, std::size_t size) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out.push_back(kHex[bytes[i] >> 4]);
    out.push_back(kHex[bytes[i] & 0xf]);
  }
  return out;
}

std::string seqText(std::int64_t seq) { return "seq " + std::to_string(seq); }

}  // namespace

std::string recordHash(std::string_view payload) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(payload.data()), payload.size(), digest);
  return hex(digest, sizeof digest);
}

std::string checkpointSignature(std::string_view key, std::int64_t upTo, std::string_view hash) {
  return hmacSha256Hex(key, "wsd.log.checkpoint\n" + std::to_string(upTo) + "\n" + std::string(hash));
}

std::string chainCheckpointSignature(std::string_view key, std::string_view chain, std::int64_t upTo,
                                     std::string_view hash, bool final) {
  return hmacSha256Hex(key, "wsd.log.checkpoint\n" + std::to_string(upTo) + "\n" + std::string(hash) + "\n" +
                                std::string(chain) + "\n" + (final ? "final" : "open"));
}

namespace {

// What a checkpoint's signature must be: the embedded log's over its upTo and hash, a Kafka
// chain's also over the chain and whether it closes it.
std::string expectedSignature(std::string_view key, const Event& checkpoint, std::int64_t upTo, std::string_view hash,
                              bool final) {
  if (checkpoint.chain.empty()) return checkpointSignature(key, upTo, hash);
  return chainCheckpointSignature(key, checkpoint.chain, upTo, hash, final);
}

}  // namespace

std::string ChainWriter::link(const Event& event) {
  std::string record = event.encodeLinked(chain_, nextSeq_, lastHash_);
  passOver(record);
  return record;
}

void ChainWriter::passOver(std::string_view payload) {
  lastHash_ = recordHash(payload);
  ++nextSeq_;
}

void fillCheckpoint(Event& checkpoint, std::int64_t upTo, std::string_view hash, std::string_view key) {
  auto& a = checkpoint.alloc();
  checkpoint.data.AddMember("upTo", upTo, a);
  checkpoint.data.AddMember("hash", rapidjson::Value(hash.data(), static_cast<rapidjson::SizeType>(hash.size()), a), a);
  if (!key.empty()) {
    const std::string sig = checkpointSignature(key, upTo, hash);
    checkpoint.data.AddMember("sig", rapidjson::Value(sig.c_str(), static_cast<rapidjson::SizeType>(sig.size()), a), a);
  }
}

void fillChainCheckpoint(Event& checkpoint, const ChainWriter& writer, std::string_view key, bool final) {
  auto& a = checkpoint.alloc();
  const std::int64_t upTo = writer.nextSeq() - 1;
  const std::string& hash = writer.lastHash();
  checkpoint.data.AddMember("upTo", upTo, a);
  checkpoint.data.AddMember("hash", rapidjson::Value(hash.c_str(), static_cast<rapidjson::SizeType>(hash.size()), a),
                            a);
  if (final) checkpoint.data.AddMember("final", true, a);
  if (!key.empty()) {
    const std::string sig = chainCheckpointSignature(key, writer.chain(), upTo, hash, final);
    checkpoint.data.AddMember("sig", rapidjson::Value(sig.c_str(), static_cast<rapidjson::SizeType>(sig.size()), a), a);
  }
}

std::string_view findingKindName(Finding::Kind kind) {
  switch (kind) {
    case Finding::Kind::kChanged: return "changed";
    case Finding::Kind::kRemoved: return "removed";
    case Finding::Kind::kReordered: return "reordered";
    case Finding::Kind::kInserted: return "inserted";
    case Finding::Kind::kBadCheckpoint: return "bad checkpoint";
    case Finding::Kind::kAnchorMissed: return "anchor missed";
    case Finding::Kind::kTruncated: return "truncated";
    case Finding::Kind::kOrderBroken: return "order broken";
  }
  return "unknown";
}

void ChainVerifier::report(Finding::Kind kind, std::int64_t position, std::int64_t seq, std::string message) {
  Finding f{kind, position, std::move(message)};
  f.seq = seq;
  findings_.push_back(std::move(f));
}

void ChainVerifier::visit(std::int64_t position, std::string_view payload, const Event& event) {
  ++records_;
  if (event.seq < 0) {
    // Written before the chain existed: allowed only before its first chained record.
    if (started_) report(Finding::Kind::kInserted, position, -1, "a record without a link in the middle of the chain");
    if (!started_) ++unchained_;
    lastHash_ = recordHash(payload);
    lastPosition_ = position;
    return;
  }
  if (closed_) {
    return report(
        Finding::Kind::kInserted, position, event.seq,
        seqText(event.seq) + " at offset " + std::to_string(position) + " follows the chain's closing checkpoint");
  }
  if (!started_) {
    started_ = true;
    expectedSeq_ = unchained_;  // the chain's first record is the log's first, or follows the unchained ones
  }
  if (!checkLink(position, event)) return;  // out of place: the chain goes on from the record before it
  if (event.type == EventType::kLogCheckpoint) checkCheckpoint(position, event);
  lastHash_ = recordHash(payload);
  lastSeq_ = event.seq;
  lastPosition_ = position;
  if (seenHashes_.size() < anchors_.size()) {
    for (const auto& anchor : anchors_) {
      if (anchor.seq == event.seq) seenHashes_[event.seq] = lastHash_;
    }
  }
  if (event.type != EventType::kLogCheckpoint) ++afterCheckpoint_;
}

void ChainVerifier::takeUpAt(const Event& event) {
  started_ = true;
  expectedSeq_ = event.seq;
  lastHash_ = event.prev;
}

bool ChainVerifier::checkLink(std::int64_t position, const Event& event) {
  const std::int64_t seq = event.seq;
  if (seq == expectedSeq_) {
    if (event.prev != lastHash_) {
      // The record the link is to: the one before this in the chain (in a Kafka partition,
      // other chains' records may stand between them).
      const std::int64_t changed = lastPosition_ >= 0 ? lastPosition_ : position - 1;
      report(Finding::Kind::kChanged, changed, seq - 1,
             "the record at offset " + std::to_string(changed) + " (" + seqText(seq - 1) +
                 ") is not what the next record chained to: its bytes were changed");
    }
    expectedSeq_ = seq + 1;
    return true;
  }
  if (auto missing = missing_.find(seq); missing != missing_.end()) {
    report(Finding::Kind::kReordered, position, seq,
           seqText(seq) + " stands at offset " + std::to_string(position) + ", after " + seqText(lastSeq_) +
               ": records were moved");
    missing_.erase(missing);
    return false;
  }
  if (seq > expectedSeq_) {
    for (std::int64_t gap = expectedSeq_; gap < seq && missing_.size() < 1000; ++gap) missing_[gap] = position;
    expectedSeq_ = seq + 1;
    return true;  // reported at the end as removed, unless the missing ones turn up later
  }
  report(Finding::Kind::kInserted, position, seq,
         seqText(seq) + " at offset " + std::to_string(position) + " repeats a place the chain already passed");
  return false;
}

void ChainVerifier::checkCheckpoint(std::int64_t position, const Event& event) {
  ++checkpoints_;
  const auto upTo = json::int64(event.data, "upTo");
  const auto hash = json::string(event.data, "hash");
  const auto sig = json::string(event.data, "sig");
  const auto* finalMember = json::member(event.data, "final");
  const bool final = finalMember != nullptr && finalMember->IsBool() && finalMember->GetBool();
  const std::string where = "checkpoint at offset " + std::to_string(position);
  if (!upTo || !hash || *upTo != event.seq - 1 || *hash != event.prev) {
    return report(Finding::Kind::kBadCheckpoint, position, event.seq,
                  where + " does not vouch for the record before it");
  }
  if (key_ && (!sig || !equalInConstantTime(*sig, expectedSignature(*key_, event, *upTo, *hash, final)))) {
    return report(Finding::Kind::kBadCheckpoint, position, event.seq,
                  where + (sig ? ": its signature does not hold under this key" : " is not signed"));
  }
  if (key_) ++signed_;
  lastCheckpoint_ = position;
  afterCheckpoint_ = 0;
  closed_ = final && !event.chain.empty();
}

void ChainVerifier::finish() {
  for (const auto& [seq, where] : missing_) {
    report(Finding::Kind::kRemoved, where, seq,
           seqText(seq) + " is missing before offset " + std::to_string(where) + ": the record was removed");
  }
  missing_.clear();
  for (const auto& anchor : anchors_) {
    auto seen = seenHashes_.find(anchor.seq);
    if (seen == seenHashes_.end()) {
      report(Finding::Kind::kAnchorMissed, lastSeq_ + 1, anchor.seq,
             "the log ends at " + seqText(lastSeq_) + ", before the anchored " + seqText(anchor.seq) +
                 ": it was cut back (or rewritten)");
    } else if (seen->second != anchor.hash) {
      report(Finding::Kind::kAnchorMissed, anchor.seq, anchor.seq,
             "the record at " + seqText(anchor.seq) + " is not the one anchored: the history up to it was rewritten");
    }
  }
}

}  // namespace wsd::chain
