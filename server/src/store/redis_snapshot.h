// Reading the projections back out of Redis: the projector's working copy at start-up
// and after a rebalance, the offsets to resume each partition from, and the epoch that
// tells a projector its Redis was flushed or rebuilt behind its back.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "store/memory_store.h"
#include "store/redis_client.h"

namespace wsd::store {

// Fills `into` (empty) with every projection found in Redis.
Status loadProjections(RedisSync& redis, MemoryStore& into);

// partition -> next offset to apply, as last written with the state.
Result<std::map<std::int32_t, std::int64_t>> loadOffsets(RedisSync& redis, const std::string& topic);
// partition -> its fold as stored with those offsets (core/partition_fold.h), unparsed.
Result<std::map<std::int32_t, std::string>> loadFolds(RedisSync& redis, const std::string& topic);

// The current epoch; a new one when Redis has none (empty or flushed: everything is
// rebuilt from the log).
Result<std::string> claimEpoch(RedisSync& redis);

}  // namespace wsd::store
