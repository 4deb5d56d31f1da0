// Talking to Redis (hiredis). RedisSync is the blocking client for start-up and
// rebalancing (loading the projections, claiming the epoch); RedisAsync runs on the
// backend's libevent loop for the steady stream of writes.
#pragma once

#include <event2/event.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "store/redis_store.h"

struct redisContext;
struct redisAsyncContext;
struct redisReply;

namespace wsd::store {

struct RedisAddress {
  std::string host = "127.0.0.1";
  int port = 6379;
  int db = 0;
  std::string text() const;
};

// redis://HOST[:PORT][/DB]
Result<RedisAddress> parseRedisUrl(const std::string& url);

// One reply, copied out of hiredis.
struct RedisValue {
  enum class Kind { kNil, kString, kInteger, kArray, kStatus };
  Kind kind = Kind::kNil;
  std::string text;
  std::int64_t integer = 0;
  std::vector<RedisValue> elements;
};

class RedisSync {
 public:
  static Result<std::unique_ptr<RedisSync>> connect(const RedisAddress& address, int timeoutMs = 3000);
  ~RedisSync();
  RedisSync(const RedisSync&) = delete;
  RedisSync& operator=(const RedisSync&) = delete;

  // A Redis error reply is an error here too, with Redis's message.
  Result<RedisValue> command(const RedisCommand& command);

 private:
  explicit RedisSync(redisContext* context) : context_(context) {}
  redisContext* context_;
};

class RedisAsync {
 public:
  using Reply = std::function<void(const Result<RedisValue>&)>;

  static Result<std::unique_ptr<RedisAsync>> connect(const RedisAddress& address, event_base* base);
  ~RedisAsync();
  RedisAsync(const RedisAsync&) = delete;
  RedisAsync& operator=(const RedisAsync&) = delete;

  // Queues `command`; `reply` runs on the loop (or inside flush()). Commands run in order.
  void send(const RedisCommand& command, Reply reply);
  // Subscribes this connection to `channel` (it can then only subscribe further);
  // `message` runs for every message published there, with its payload.
  using Message = std::function<void(const std::string& channel, const std::string& payload)>;
  void subscribe(const std::string& channel, Message message);
  // Waits, blocking the calling thread, until every reply is in or `timeoutMs` passed.
  // For hand-overs (rebalance, shutdown), when the loop cannot be run.
  Status flush(int timeoutMs);
  bool connected() const { return connected_; }
  std::size_t pending() const { return pending_; }

 private:
  explicit RedisAsync(redisAsyncContext* context) : context_(context) {}
  static void onReply(redisAsyncContext* context, void* reply, void* privdata);
  static void onPublished(redisAsyncContext* context, void* reply, void* privdata);

  redisAsyncContext* context_;
  bool connected_ = true;
  std::size_t pending_ = 0;
  std::vector<std::unique_ptr<Message>> subscriptions_;  // hiredis calls them for every message
};

}  // namespace wsd::store
