// The projections as Redis holds them (docs/architecture.md, "Redis key layout"), in one
// canonical form for four uses: the digest that `wslog replay` prints, the dump an
// analyst can diff, `wslog verify`'s key-by-key comparison of a live Redis with a fresh
// replay, and a live wsd's own projections as GET /admin/state-snapshot gives them. A
// snapshot from a replay's store and one read back from Redis (or from a wsd) are equal
// exactly when they hold the same state.
//
// Left out, as in the projector's own comparisons: wsd:epoch (it names a rebuild, not a
// state), wsd:offsets:* and wsd:folds:* (where the state came from, compared separately) and what the
// gateways keep for polling sessions (wsd:poll:*, wsd:poll-seen:*: not projections).
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/result.h"
#include "store/state_store.h"

namespace wsd::store {

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
Snapshot snapshotOf(const StateStore& store, const std::set<std::string>& projects);

// Whether Redis keeps `key` as a projection (see the header comment).
bool isProjectionKey(std::string_view key);

// One JSON object per key, sorted by key: {"key","type","value"[,"expiresAt"]}.
std::vector<std::string> canonicalLines(const Snapshot& snapshot);
// One key's value alone: {"type","value"[,"expiresAt"]}.
std::string valueText(const KeyState& state);
// The snapshot as a JSON array of the canonical entries, in key order (what
// GET /admin/state-snapshot answers as `keys`), and back. Reading checks the shape of
// every entry: a bad one is an error naming it, never a partial snapshot.
void writeEntries(json::Writer& w, const Snapshot& snapshot);
Result<Snapshot> readEntries(const rapidjson::Value& entries);
// "sha256:" and the hex SHA-256 of the canonical lines, each ended by "\n".
std::string digestOf(const Snapshot& snapshot);

// How many of each record the snapshot holds, for a one-line summary.
std::string summaryOf(const Snapshot& snapshot);

}  // namespace wsd::store
