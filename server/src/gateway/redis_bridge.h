// The gateway's way to Redis (distributed mode, given --redis). SSE and polling sessions
// keep there what every gateway must see, so a client's requests may land on any
// gateway: a polling session's queue and when it was last polled, and one channel per
// gateway through which the others reach the sessions it holds.
//
// hiredis runs on the backend loop (two connections: commands, and a subscriber); this
// hands commands over and brings replies and published messages back to the gateway
// thread. A lost connection is made again within a second, subscriptions included.
//
// Threads: command(), drain() and every callback on the gateway thread; the Redis side on
// the backend loop.
#pragma once

#include <event2/event.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/redis_client.h"

namespace wsd {

class RedisBridge {
 public:
  using Reply = std::function<void(const Result<store::RedisValue>&)>;
  using Message = std::function<void(const std::string& channel, const std::string& payload)>;

  RedisBridge(store::RedisAddress address, event_base* backend, std::function<void()> wakeGateway);
  ~RedisBridge();
  RedisBridge(const RedisBridge&) = delete;
  RedisBridge& operator=(const RedisBridge&) = delete;

  // Connects and subscribes `channels`. Before the backend loop runs.
  Status connect(std::vector<std::string> channels, Message onMessage);
  // Runs `command`; `reply` (if any) runs later on the gateway thread. Commands run in
  // the order given.
  void command(store::RedisCommand command, Reply reply = {});
  // Runs the replies and messages that came back. Gateway thread.
  void drain();
  // "" while Redis answers the once-a-second PING (within 3 s), else what is wrong: for
  // /readyz. Any thread.
  std::string problem() const;

 private:
  Status open();         // backend thread (or before it runs)
  void sendQueued();     // backend thread
  void keepConnected();  // backend thread, once a second: reconnects, or pings
  void ping();           // backend thread (or before it runs)
  void handBack(std::function<void()> work);

  store::RedisAddress address_;
  event_base* backend_;
  std::function<void()> wakeGateway_;
  std::vector<std::string> channels_;
  Message onMessage_;
  std::unique_ptr<store::RedisAsync> commands_;
  std::unique_ptr<store::RedisAsync> subscriber_;
  event* sendEvent_ = nullptr;
  event* timer_ = nullptr;

  // When Redis last answered a PING (steady clock, ms; 0: never). Backend thread writes.
  std::atomic<std::int64_t> lastAnswerMs_{0};

  std::mutex mutex_;  // guards the two queues
  std::vector<std::pair<store::RedisCommand, Reply>> outbox_;
  std::vector<std::function<void()>> inbox_;
};

}  // namespace wsd
