// Writing replays into Redis and reading projections back (see the header).
#include "redis_projection.h"

#include <algorithm>
#include <charconv>

#include "store/redis_batch.h"
#include "store/redis_layout.h"
#include "store/redis_snapshot.h"

namespace wsd::wslog {
namespace {

using store::RedisValue;

Result<std::vector<std::string>> scanKeys(store::RedisSync& redis) {
  std::vector<std::string> keys;
  std::string cursor = "0";
  do {
    auto reply = redis.command({"SCAN", cursor, "MATCH", "wsd:*", "COUNT", "1000"});
    if (!reply.ok()) return reply.error();
    if (reply->elements.size() != 2) return makeError("redis_error", "unexpected SCAN reply");
    cursor = reply->elements[0].text;
    for (const auto& key : reply->elements[1].elements) {
      if (store::isProjectionKey(key.text)) keys.push_back(key.text);
    }
  } while (cursor != "0");
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());  // SCAN may return a key twice
  return keys;
}

std::vector<std::string> texts(const RedisValue& reply) {
  std::vector<std::string> out;
  out.reserve(reply.elements.size());
  for (const auto& e : reply.elements) out.push_back(e.text);
  return out;
}

// The value of one key, by its type; nullopt when it vanished in between (expired).
Result<std::optional<store::KeyState>> readKey(store::RedisSync& redis, const std::string& key) {
  auto type = redis.command({"TYPE", key});
  if (!type.ok()) return type.error();
  store::KeyState state;
  state.type = type->text;
  Result<RedisValue> value = RedisValue{};
  if (state.type == "none") return std::optional<store::KeyState>();
  if (state.type == "hash") value = redis.command({"HGETALL", key});
  if (state.type == "set") value = redis.command({"SMEMBERS", key});
  if (state.type == "list") value = redis.command({"LRANGE", key, "0", "-1"});
  if (state.type == "string") value = redis.command({"GET", key});
  if (!value.ok()) return value.error();
  if (state.type == "hash") {
    for (std::size_t i = 0; i + 1 < value->elements.size(); i += 2) {
      state.hash[value->elements[i].text] = value->elements[i + 1].text;
    }
  } else if (state.type == "string") {
    state.items.push_back(value->text);
  } else {
    state.items = texts(*value);
    if (state.type == "set") std::sort(state.items.begin(), state.items.end());
  }
  auto expiry = redis.command({"PEXPIRETIME", key});
  if (!expiry.ok()) return expiry.error();
  state.expiresAt = expiry->integer < 0 ? -1 : expiry->integer;
  return std::optional<store::KeyState>(std::move(state));
}

}  // namespace

Result<std::unique_ptr<store::RedisSync>> connectRedis(const std::string& url) {
  auto address = store::parseRedisUrl(url);
  if (!address.ok()) return address.error();
  return store::RedisSync::connect(*address);
}

Status requireEmptyDatabase(store::RedisSync& redis, const std::string& url) {
  auto size = redis.command({"DBSIZE"});
  if (!size.ok()) return size.error();
  if (size->integer == 0) return okStatus();
  return makeError("redis_not_empty", url + " holds " + std::to_string(size->integer) +
                                          " keys: wslog replays only into an empty database (name another db, "
                                          "or FLUSHDB this one yourself if it is really yours to clear)");
}

Result<RedisReplayWriter> RedisReplayWriter::begin(store::RedisSync& redis, std::string offsetsName) {
  auto epoch = store::claimEpoch(redis);
  if (!epoch.ok()) return epoch.error();
  return RedisReplayWriter(redis, *epoch, std::move(offsetsName));
}

Status RedisReplayWriter::write(store::RedisStore& changes, const Offsets& applied) {
  auto commands = changes.takeChanges();
  const auto key = store::redis_layout::offsetsKey(offsetsName_);
  for (const auto& [partition, next] : applied) {
    commands.push_back({"HSET", key, std::to_string(partition), std::to_string(next)});
  }
  if (commands.empty()) return okStatus();
  auto reply = redis_->command(store::batchScriptCall(epoch_, commands));
  if (!reply.ok()) return reply.error();
  return okStatus();
}

Result<store::Snapshot> readSnapshot(store::RedisSync& redis) {
  auto keys = scanKeys(redis);
  if (!keys.ok()) return keys.error();
  store::Snapshot snapshot;
  for (const auto& key : *keys) {
    auto state = readKey(redis, key);
    if (!state.ok()) return state.error();
    if (*state) snapshot[key] = std::move(**state);
  }
  return snapshot;
}

Result<Offsets> readOffsets(store::RedisSync& redis, const std::string& offsetsName) {
  auto offsets = store::loadOffsets(redis, offsetsName);
  if (!offsets.ok()) return offsets.error();
  return Offsets(offsets->begin(), offsets->end());
}

Result<std::int64_t> redisNowMs(store::RedisSync& redis) {
  auto time = redis.command({"TIME"});
  if (!time.ok()) return time.error();
  if (time->elements.size() != 2) return makeError("redis_error", "unexpected TIME reply");
  std::int64_t seconds = 0;
  std::int64_t micros = 0;
  const auto& s = time->elements[0].text;
  const auto& u = time->elements[1].text;
  std::from_chars(s.data(), s.data() + s.size(), seconds);
  std::from_chars(u.data(), u.data() + u.size(), micros);
  return seconds * 1000 + micros / 1000;
}

}  // namespace wsd::wslog
