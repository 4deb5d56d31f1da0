// The gateway's way to Redis (distributed mode, given --redis). SSE and polling sessions
// keep there what every gateway must see, so a client's requests may land on any
// gateway: a polling session's queue and when it was last polled, and one channel per
// gateway through which the others reach the sessions it holds.
//
// hiredis runs on the serving loop (two connections: commands, and a subscriber), beside
// the gateway's sockets. Replies and published messages are kept until the loop pass is
// over and then run (drain()), so that what they send to clients goes out with the
// pass's other writes. A lost connection is made again within a second, subscriptions
// included.
//
// Threads: everything on the serving loop's thread, except problem().
#pragma once

#include <event2/event.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "store/redis_client.h"

namespace wsd {

class RedisBridge {
 public:
  using Reply = std::function<void(const Result<store::RedisValue>&)>;
  using Message = std::function<void(const std::string& channel, const std::string& payload)>;

  // `applySoon` asks the loop to call drain() once its current pass is over.
  RedisBridge(store::RedisAddress address, event_base* loop, std::function<void()> applySoon);
  ~RedisBridge();
  RedisBridge(const RedisBridge&) = delete;
  RedisBridge& operator=(const RedisBridge&) = delete;

  // Connects and subscribes `channels`. Before the loop runs.
  Status connect(std::vector<std::string> channels, Message onMessage);
  // Sends `command`; `reply` (if any) runs at the end of a later loop pass. Commands run
  // in the order given.
  void command(const store::RedisCommand& command, Reply reply = {});
  // Runs the replies and messages that came back.
  void drain();
  // "" while Redis answers the once-a-second PING (within 3 s), else what is wrong: for
  // /readyz. Any thread.
  std::string problem() const;

 private:
  Status open();
  void keepConnected();  // once a second: reconnects, or pings
  void ping();
  void handBack(std::function<void()> work);

  store::RedisAddress address_;
  event_base* loop_;
  std::function<void()> applySoon_;
  std::vector<std::string> channels_;
  Message onMessage_;
  std::unique_ptr<store::RedisAsync> commands_;
  std::unique_ptr<store::RedisAsync> subscriber_;
  event* timer_ = nullptr;

  // When Redis last answered a PING (steady clock, ms; 0: never). The loop writes, any
  // thread reads (problem()).
  std::atomic<std::int64_t> lastAnswerMs_{0};

  std::vector<std::function<void()>> inbox_;  // replies and messages, until drain()
};

}  // namespace wsd
