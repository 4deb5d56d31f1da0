#include "store/redis_client.h"

#include <hiredis/adapters/libevent.h>
#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <hiredis/sds.h>
#include <poll.h>

#include <charconv>
#include <chrono>

namespace wsd::store {
namespace {

RedisValue copyReply(const redisReply& reply) {
  RedisValue value;
  switch (reply.type) {
    case REDIS_REPLY_STRING: value.kind = RedisValue::Kind::kString; break;
    case REDIS_REPLY_STATUS: value.kind = RedisValue::Kind::kStatus; break;
    case REDIS_REPLY_INTEGER:
      value.kind = RedisValue::Kind::kInteger;
      value.integer = reply.integer;
      break;
    case REDIS_REPLY_ARRAY:
      value.kind = RedisValue::Kind::kArray;
      for (std::size_t i = 0; i < reply.elements; ++i) value.elements.push_back(copyReply(*reply.element[i]));
      break;
    default: value.kind = RedisValue::Kind::kNil; break;
  }
  if (reply.str != nullptr) value.text.assign(reply.str, reply.len);
  return value;
}

Result<RedisValue> toResult(const redisReply* reply, const char* contextError) {
  if (reply == nullptr) {
    return makeError("redis_unavailable", contextError != nullptr ? contextError : "no reply from Redis");
  }
  if (reply->type == REDIS_REPLY_ERROR) return makeError("redis_error", std::string(reply->str, reply->len));
  return copyReply(*reply);
}

struct Argv {
  std::vector<const char*> pointers;
  std::vector<std::size_t> lengths;
  explicit Argv(const RedisCommand& command) {
    for (const auto& arg : command) {
      pointers.push_back(arg.data());
      lengths.push_back(arg.size());
    }
  }
  int count() const { return static_cast<int>(pointers.size()); }
};

bool parsePort(std::string_view text, int& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && end == text.data() + text.size() && out > 0 && out < 65536;
}

}  // namespace

std::string RedisAddress::text() const {
  return "redis://" + host + ":" + std::to_string(port) + "/" + std::to_string(db);
}

Result<RedisAddress> parseRedisUrl(const std::string& url) {
  constexpr std::string_view kScheme = "redis://";
  auto bad = [&](const std::string& why) { return makeError("bad_config", "--redis " + url + ": " + why); };
  if (url.rfind(kScheme, 0) != 0) return bad("use redis://HOST[:PORT][/DB]");
  std::string_view rest(url);
  rest.remove_prefix(kScheme.size());
  RedisAddress address;
  if (auto slash = rest.find('/'); slash != std::string_view::npos) {
    auto db = rest.substr(slash + 1);
    if (!db.empty() &&
        (std::from_chars(db.data(), db.data() + db.size(), address.db).ec != std::errc{} || address.db < 0)) {
      return bad("the database must be a number");
    }
    rest = rest.substr(0, slash);
  }
  if (auto colon = rest.rfind(':'); colon != std::string_view::npos) {
    if (!parsePort(rest.substr(colon + 1), address.port)) return bad("the port must be 1-65535");
    rest = rest.substr(0, colon);
  }
  if (rest.empty()) return bad("no host");
  address.host = std::string(rest);
  return address;
}

// ---- blocking -------------------------------------------------------------------------------

Result<std::unique_ptr<RedisSync>> RedisSync::connect(const RedisAddress& address, int timeoutMs) {
  timeval timeout{timeoutMs / 1000, (timeoutMs % 1000) * 1000};
  redisContext* context = redisConnectWithTimeout(address.host.c_str(), address.port, timeout);
  if (context == nullptr || context->err != 0) {
    std::string why = context != nullptr ? context->errstr : "out of memory";
    if (context != nullptr) redisFree(context);
    return makeError("redis_unavailable", "cannot connect to " + address.text() + ": " + why);
  }
  redisSetTimeout(context, timeout);
  std::unique_ptr<RedisSync> client(new RedisSync(context));
  if (address.db != 0) {
    auto selected = client->command({"SELECT", std::to_string(address.db)});
    if (!selected.ok()) return selected.error();
  }
  return client;
}

RedisSync::~RedisSync() { redisFree(context_); }

Result<RedisValue> RedisSync::command(const RedisCommand& command) {
  Argv argv(command);
  auto* reply =
      static_cast<redisReply*>(redisCommandArgv(context_, argv.count(), argv.pointers.data(), argv.lengths.data()));
  auto result = toResult(reply, context_->err != 0 ? context_->errstr : nullptr);
  if (reply != nullptr) freeReplyObject(reply);
  return result;
}

// ---- on the loop ------------------------------------------------------------------------------

Result<std::unique_ptr<RedisAsync>> RedisAsync::connect(const RedisAddress& address, event_base* base) {
  redisAsyncContext* context = redisAsyncConnect(address.host.c_str(), address.port);
  if (context == nullptr || context->err != 0) {
    std::string why = context != nullptr ? context->errstr : "out of memory";
    if (context != nullptr) redisAsyncFree(context);
    return makeError("redis_unavailable", "cannot connect to " + address.text() + ": " + why);
  }
  std::unique_ptr<RedisAsync> client(new RedisAsync(context));
  context->data = client.get();
  // A connection that fails before it is made (Redis down: the connect is non-blocking)
  // is freed by hiredis without the disconnect callback: this one says so instead.
  redisAsyncSetConnectCallback(context, [](const redisAsyncContext* c, int status) {
    auto* self = static_cast<RedisAsync*>(c->data);
    if (status != REDIS_OK && self != nullptr) {
      self->connected_ = false;
      self->context_ = nullptr;  // hiredis frees it after this callback
    }
  });
  redisAsyncSetDisconnectCallback(context, [](const redisAsyncContext* c, int) {
    auto* self = static_cast<RedisAsync*>(c->data);
    if (self != nullptr) {
      self->connected_ = false;
      self->context_ = nullptr;  // hiredis frees it after this callback
    }
  });
  redisLibeventAttach(context, base);
  if (address.db != 0) client->send({"SELECT", std::to_string(address.db)}, [](const Result<RedisValue>&) {});
  return client;
}

RedisAsync::~RedisAsync() {
  if (context_ != nullptr) {
    context_->data = nullptr;
    redisAsyncFree(context_);  // runs the callbacks still waiting, with no reply
  }
}

void RedisAsync::onReply(redisAsyncContext* context, void* reply, void* privdata) {
  std::unique_ptr<Reply> done(static_cast<Reply*>(privdata));
  auto* self = static_cast<RedisAsync*>(context->data);
  if (self != nullptr) --self->pending_;
  (*done)(toResult(static_cast<redisReply*>(reply), context->err != 0 ? context->errstr : nullptr));
}

void RedisAsync::send(const RedisCommand& command, Reply reply) {
  if (context_ == nullptr) {
    reply(makeError("redis_unavailable", "the connection to Redis was lost"));
    return;
  }
  Argv argv(command);
  auto* done = new Reply(std::move(reply));  // owned by onReply from here on
  ++pending_;
  if (redisAsyncCommandArgv(context_, &RedisAsync::onReply, done, argv.count(), argv.pointers.data(),
                            argv.lengths.data()) != REDIS_OK) {
    --pending_;
    std::unique_ptr<Reply> failed(done);
    (*failed)(makeError("redis_unavailable", "the connection to Redis is closing"));
  }
}

void RedisAsync::onPublished(redisAsyncContext* /*context*/, void* reply, void* privdata) {
  const auto* r = static_cast<const redisReply*>(reply);
  // Pushes are ["message", channel, payload]; the ["subscribe", ...] confirmation too.
  if (r == nullptr || r->type != REDIS_REPLY_ARRAY || r->elements != 3) return;
  if (std::string_view(r->element[0]->str, r->element[0]->len) != "message") return;
  (*static_cast<Message*>(privdata))(std::string(r->element[1]->str, r->element[1]->len),
                                     std::string(r->element[2]->str, r->element[2]->len));
}

void RedisAsync::subscribe(const std::string& channel, Message message) {
  if (context_ == nullptr) return;
  subscriptions_.push_back(std::make_unique<Message>(std::move(message)));
  const RedisCommand command{"SUBSCRIBE", channel};
  Argv argv(command);  // points into `command`
  redisAsyncCommandArgv(context_, &RedisAsync::onPublished, subscriptions_.back().get(), argv.count(),
                        argv.pointers.data(), argv.lengths.data());
}

Status RedisAsync::flush(int timeoutMs) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
  while (pending_ > 0 && context_ != nullptr) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      return makeError("redis_timeout", "Redis did not answer within " + std::to_string(timeoutMs) + " ms");
    }
    const bool unsent = sdslen(context_->c.obuf) > 0;
    pollfd watched{context_->c.fd, static_cast<short>(unsent ? POLLIN | POLLOUT : POLLIN), 0};
    if (::poll(&watched, 1, static_cast<int>(left.count())) < 0) continue;
    if ((watched.revents & POLLOUT) != 0) redisAsyncHandleWrite(context_);
    if (context_ != nullptr && (watched.revents & (POLLIN | POLLHUP | POLLERR)) != 0) redisAsyncHandleRead(context_);
  }
  if (pending_ > 0) return makeError("redis_unavailable", "the connection to Redis was lost");
  return okStatus();
}

}  // namespace wsd::store
