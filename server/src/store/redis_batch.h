// One atomic batch of projection writes. The commands go to Redis as one Lua script call,
// so Redis applies all of them or none, and only while wsd:epoch still holds the epoch
// the writer loaded its state under: after a FLUSHALL, or a rebuild started by another
// projector, the batch is refused as stale instead of writing half a state.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "store/redis_client.h"

namespace wsd::store {

enum class BatchOutcome {
  kWritten,
  kStale,   // the epoch changed: reload and start again from the stored offsets
  kFailed,  // Redis is unreachable or refused the script: same remedy, once it is back
};

void writeBatch(RedisAsync& redis, const std::string& epoch, const std::vector<RedisCommand>& commands,
                std::function<void(BatchOutcome, const std::string& why)> done);

// The script's argument list (exposed for tests): the epoch, then each command as its
// argument count followed by its arguments.
RedisCommand batchScriptCall(const std::string& epoch, const std::vector<RedisCommand>& commands);

}  // namespace wsd::store
