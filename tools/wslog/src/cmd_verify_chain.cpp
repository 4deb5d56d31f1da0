// wslog verify --chain: reads the embedded log and checks its chain (core/log_chain.h):
// every record's link to the one before it, and the checkpoints' hashes and, given the
// operator's key, their signatures. Reports each break where it was found; reads only.
#include <cstdio>
#include <fstream>

#include "commands.h"
#include "core/log_chain.h"
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

}  // namespace

int runVerifyChain(const Options& o, LogSource& source) {
  std::optional<std::string> key;
  if (!o.chainKeyFile.empty()) {
    auto read = readKey(o.chainKeyFile);
    if (!read.ok()) return fail(read.error());
    key = *read;
  }
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
