// wslog verify --chain: reads the log and checks its chain (core/log_chain.h): every
// record's link to the one before it, and the checkpoints' hashes and, given the
// operator's key, their signatures. The embedded log is one chain; a Kafka topic holds
// one per producing process and partition (core/topic_chains.h), each checked on its own,
// and each partition's order across them against its partition checkpoints
// (core/partition_fold.h).
// Reports each break where it was found (a topic's: partition, offset, chain and seq);
// reads only.
#include <algorithm>
#include <cstdio>
#include <fstream>

#include "commands.h"
#include "core/log_chain.h"
#include "core/topic_chains.h"
#include "progress.h"

namespace wsd::wslog {
namespace {

// The key as wsd was given it: the file's first line.
Result<std::string> readKey(const std::string& path) {
  std::ifstream in(path);
  std::string key;
  if (!in || !std::getline(in, key) || key.empty()) {
    return makeError("chain_key", "cannot read a key from " + path);
  }
  return key;
}

void printSummary(const chain::ChainVerifier& v, bool keyed) {
  std::printf("chain: %lld record(s), %lld before the chain began; %lld checkpoint(s)",
              static_cast<long long>(v.records()), static_cast<long long>(v.unchainedPrefix()),
              static_cast<long long>(v.checkpoints()));
  if (keyed) std::printf(", %lld with a signature that holds", static_cast<long long>(v.signedCheckpoints()));
  if (v.lastCheckpoint()) {
    std::printf("; the last that holds at offset %lld, %lld record(s) after it not yet vouched for",
                static_cast<long long>(*v.lastCheckpoint()), static_cast<long long>(v.afterLastCheckpoint()));
  }
  std::printf("; %zu finding(s)\n", v.findings().size());
  if (!keyed && v.checkpoints() > 0) {
    std::printf("note: without --chain-key-file the checkpoints' signatures were not checked\n");
  }
}

void printFinding(const chain::Finding& f) {
  const std::string kind(chain::findingKindName(f.kind));
  if (f.partition < 0) {
    std::printf("topic: %s: %s\n", kind.c_str(), f.message.c_str());
    return;
  }
  if (f.chain.empty()) {  // about the partition, not one chain
    std::printf("partition %d offset %lld: %s: %s\n", static_cast<int>(f.partition), static_cast<long long>(f.position),
                kind.c_str(), f.message.c_str());
    return;
  }
  std::printf("partition %d offset %lld chain %s seq %lld: %s: %s\n", static_cast<int>(f.partition),
              static_cast<long long>(f.position), f.chain.c_str(), static_cast<long long>(f.seq), kind.c_str(),
              f.message.c_str());
}

// Each partition's order across its chains, as its partition checkpoints vouch for it.
void printPartitionSummary(const chain::PartitionSummary& p) {
  std::printf("partition %d: %lld record(s); %lld partition checkpoint(s), %lld that hold",
              static_cast<int>(p.partition), static_cast<long long>(p.records), static_cast<long long>(p.checkpoints),
              static_cast<long long>(p.held));
  if (p.takenUp > 0)
    std::printf(", %lld taken up (a fold begun elsewhere: trusted)", static_cast<long long>(p.takenUp));
  if (p.unchecked > 0)
    std::printf(", %lld too far from what they vouch for to check", static_cast<long long>(p.unchecked));
  if (p.vouchedUpTo < 0) {
    std::printf("; its order across chains is vouched for by none (no projector wrote any, or they were removed)\n");
    return;
  }
  std::printf("; order vouched for up to offset %lld, %lld record(s) after it not yet\n",
              static_cast<long long>(p.vouchedUpTo),
              static_cast<long long>(std::max<std::int64_t>(0, p.lastOffset - p.vouchedUpTo)));
}

void printTopicSummary(const chain::TopicChainVerifier& v, bool keyed) {
  for (const auto& c : v.chains()) {
    std::printf("chain %s in partition %d: %lld record(s), %s\n", c.chain.c_str(), static_cast<int>(c.partition),
                static_cast<long long>(c.records),
                c.closed ? "closed" : "open (its process runs, was killed, or its tail was cut)");
  }
  for (const auto& p : v.partitions()) printPartitionSummary(p);
  std::printf("chains: %lld record(s), %lld before the chains began; %zu chain(s); %lld checkpoint(s)",
              static_cast<long long>(v.records()), static_cast<long long>(v.unchainedPrefix()), v.chains().size(),
              static_cast<long long>(v.checkpoints()));
  if (keyed) std::printf(", %lld with a signature that holds", static_cast<long long>(v.signedCheckpoints()));
  std::printf("; %zu finding(s)\n", v.findings().size());
  if (!keyed && v.checkpoints() > 0) {
    std::printf("note: without --chain-key-file the checkpoints' signatures were not checked\n");
  }
  if (v.chainsTakenUp() > 0) {
    std::printf(
        "note: %lld chain(s) began before the records retention deleted; checked from their first record left\n",
        static_cast<long long>(v.chainsTakenUp()));
  }
}

// A topic: every chain in every partition, each in its partition's offset order (the
// source merges partitions, keeping each one's order).
int verifyTopic(const Options& o, LogSource& source, std::optional<std::string> key) {
  chain::TopicChainVerifier verifier({std::move(key), o.anchors, o.expectClosed});
  const bool keyed = !o.chainKeyFile.empty();
  Progress progress("checking the chains", source.recordCount());
  auto read = source.read(std::nullopt, [&](const LogRecord& r) {
    progress.step();
    verifier.visit(r.position.partition, r.position.offset, r.payload, *r.event);
    return true;
  });
  if (!read.ok()) return fail(read.error());
  verifier.finish();
  for (const auto& f : verifier.findings()) printFinding(f);
  printTopicSummary(verifier, keyed);
  return verifier.findings().empty() ? kExitOk : kExitDiffers;
}

}  // namespace

int runVerifyChain(const Options& o, LogSource& source) {
  std::optional<std::string> key;
  if (!o.chainKeyFile.empty()) {
    auto read = readKey(o.chainKeyFile);
    if (!read.ok()) return fail(read.error());
    key = *read;
  }
  if (source.partitioned()) return verifyTopic(o, source, std::move(key));
  chain::ChainVerifier verifier(key, o.anchors);
  Progress progress("checking the chain", source.recordCount());
  auto read = source.read(std::nullopt, [&](const LogRecord& r) {
    progress.step();
    verifier.visit(r.position.offset, r.payload, *r.event);
    return true;
  });
  if (!read.ok()) return fail(read.error());
  verifier.finish();
  for (const auto& f : verifier.findings()) {
    std::printf("offset %lld: %s: %s\n", static_cast<long long>(f.position),
                std::string(chain::findingKindName(f.kind)).c_str(), f.message.c_str());
  }
  printSummary(verifier, key.has_value());
  return verifier.findings().empty() ? kExitOk : kExitDiffers;
}

}  // namespace wsd::wslog
