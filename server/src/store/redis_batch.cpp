#include "store/redis_batch.h"

#include "store/redis_layout.h"

namespace wsd::store {
namespace {

// KEYS[1] = wsd:epoch; ARGV = epoch, then (n, arg1..argn) per command.
constexpr const char* kBatchScript = R"lua(
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return redis.error_reply('STALE the projections were rebuilt or flushed')
end
local i = 2
while i <= #ARGV do
  local n = tonumber(ARGV[i])
  redis.call(unpack(ARGV, i + 1, i + n))
  i = i + n + 1
end
return 'OK'
)lua";

}  // namespace

RedisCommand batchScriptCall(const std::string& epoch, const std::vector<RedisCommand>& commands) {
  RedisCommand call{"EVAL", kBatchScript, "1", std::string(redis_layout::kEpoch), epoch};
  for (const auto& command : commands) {
    call.push_back(std::to_string(command.size()));
    call.insert(call.end(), command.begin(), command.end());
  }
  return call;
}

void writeBatch(RedisAsync& redis, const std::string& epoch, const std::vector<RedisCommand>& commands,
                std::function<void(BatchOutcome, const std::string& why)> done) {
  redis.send(batchScriptCall(epoch, commands), [done = std::move(done)](const Result<RedisValue>& reply) {
    if (reply.ok()) return done(BatchOutcome::kWritten, "");
    const auto& why = reply.error().message;
    done(why.find("STALE") != std::string::npos ? BatchOutcome::kStale : BatchOutcome::kFailed, why);
  });
}

}  // namespace wsd::store
