// The projections as Redis holds them (docs/architecture.md, "Redis key layout"), in one
// canonical form for three uses: the digest that `wslog replay` prints, the dump an
// analyst can diff, and `wslog verify`'s key-by-key comparison of a live Redis with a
// fresh replay. A snapshot from a replay's store and one read back from Redis are equal
// exactly when Redis holds the replayed state.
//
// Left out, as in the projector's own comparisons: wsd:epoch (it names a rebuild, not a
// state), wsd:offsets:* (where the state came from, compared separately) and what the
// gateways keep for polling sessions (wsd:poll:*, wsd:poll-seen:*: not projections).
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "store/state_store.h"

namespace wsd::wslog {

struct KeyState {
  std::string type;                         // "hash", "set", "list" or "string"
  std::map<std::string, std::string> hash;  // hash: field -> value
  std::vector<std::string> items;           // set: members, sorted; list: in order; string: one
  std::int64_t expiresAt = -1;              // PEXPIRETIME in ms; -1: no expiry
  bool operator==(const KeyState&) const = default;
};

using Snapshot = std::map<std::string, KeyState>;  // Redis key -> its value

// Every projection key that `store` implies for `projects` (and the node table). The
// store interface cannot list projects that have only sessions left, so the caller names
// every project key the log mentioned.
Snapshot snapshotOf(const store::StateStore& store, const std::set<std::string>& projects);

// Whether Redis keeps `key` as a projection (see the header comment).
bool isProjectionKey(std::string_view key);

// One JSON object per key, sorted by key: {"key","type","value"[,"expiresAt"]}.
std::vector<std::string> canonicalLines(const Snapshot& snapshot);
// One key's value alone: {"type","value"[,"expiresAt"]}.
std::string valueText(const KeyState& state);
// "sha256:" and the hex SHA-256 of the canonical lines, each ended by "\n".
std::string digestOf(const Snapshot& snapshot);

// How many of each record the snapshot holds, for a one-line summary.
std::string summaryOf(const Snapshot& snapshot);

}  // namespace wsd::wslog
