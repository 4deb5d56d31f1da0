// Whether a Redis answers PING, for a role that waits for it before it starts.
#pragma once

#include <string>

#include "store/redis_client.h"

namespace wsd::store {

// "" when `address` answered PING within `timeoutMs`, else why not. Blocks; any thread.
std::string redisProblem(const RedisAddress& address, int timeoutMs);

}  // namespace wsd::store
