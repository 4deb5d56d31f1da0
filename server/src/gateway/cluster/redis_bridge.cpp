#include "gateway/cluster/redis_bridge.h"

#include <chrono>
#include <cstdio>

#include "logging/logger.h"

namespace wsd {
namespace {

std::int64_t steadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

constexpr std::int64_t kSilenceMs = 3000;

}  // namespace

RedisBridge::RedisBridge(store::RedisAddress address, event_base* loop, std::function<void()> applySoon)
    : address_(std::move(address)), loop_(loop), applySoon_(std::move(applySoon)) {
  timer_ = event_new(
      loop_, -1, EV_PERSIST,
      [](evutil_socket_t, short, void* self) { static_cast<RedisBridge*>(self)->keepConnected(); }, this);
}

RedisBridge::~RedisBridge() { event_free(timer_); }

Status RedisBridge::connect(std::vector<std::string> channels, Message onMessage) {
  channels_ = std::move(channels);
  onMessage_ = std::move(onMessage);
  if (auto opened = open(); !opened.ok()) return opened;
  ping();  // answered once the loop runs: ready from then on, not a second later
  timeval second{1, 0};
  event_add(timer_, &second);
  return okStatus();
}

Status RedisBridge::open() {
  auto commands = store::RedisAsync::connect(address_, loop_);
  if (!commands.ok()) return commands.error();
  auto subscriber = store::RedisAsync::connect(address_, loop_);
  if (!subscriber.ok()) return subscriber.error();
  commands_ = std::move(commands.value());
  subscriber_ = std::move(subscriber.value());
  for (const auto& channel : channels_) {
    subscriber_->subscribe(channel, [this](const std::string& channel, const std::string& payload) {
      handBack([this, channel, payload] { onMessage_(channel, payload); });
    });
  }
  return okStatus();
}

std::string RedisBridge::problem() const {
  const std::int64_t last = lastAnswerMs_.load();
  if (last == 0) return "no answer from Redis at " + address_.text() + " yet";
  const std::int64_t silentMs = steadyMs() - last;
  if (silentMs <= kSilenceMs) return {};
  return "Redis at " + address_.text() + " has not answered for " + std::to_string(silentMs / 1000) + " s";
}

void RedisBridge::ping() {
  commands_->send({"PING"}, [this](const Result<store::RedisValue>& reply) {
    if (reply.ok()) lastAnswerMs_.store(steadyMs());
  });
}

void RedisBridge::keepConnected() {
  if (commands_->connected() && subscriber_->connected()) return ping();
  // Messages published while the subscriber was away are lost: a held poll then answers
  // at its timeout instead of at once. Nothing else depends on them.
  if (auto opened = open(); !opened.ok()) {
    logging::warn("redis: " + opened.error().message + " (retrying)");
  } else {
    logging::info("redis: connected again to " + address_.text());
  }
}

void RedisBridge::command(const store::RedisCommand& command, Reply reply) {
  commands_->send(command, [this, reply = std::move(reply)](const Result<store::RedisValue>& result) mutable {
    if (reply) handBack([reply = std::move(reply), result] { reply(result); });
  });
}

void RedisBridge::handBack(std::function<void()> work) {
  const bool wasEmpty = inbox_.empty();
  inbox_.push_back(std::move(work));
  if (wasEmpty) applySoon_();
}

void RedisBridge::drain() {
  // A reply may send a command whose reply (on a later pass) lands in inbox_ again.
  std::vector<std::function<void()>> work;
  work.swap(inbox_);
  for (auto& w : work) w();
}

}  // namespace wsd
