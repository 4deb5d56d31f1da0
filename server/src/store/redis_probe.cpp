#include "store/redis_probe.h"

#include <hiredis/hiredis.h>

#include <memory>

namespace wsd::store {

std::string redisProblem(const RedisAddress& address, int timeoutMs) {
  const timeval timeout{timeoutMs / 1000, (timeoutMs % 1000) * 1000};
  std::unique_ptr<redisContext, decltype(&redisFree)> c(
      redisConnectWithTimeout(address.host.c_str(), address.port, timeout), &redisFree);
  if (c == nullptr) return "cannot allocate a Redis connection";
  if (c->err != 0) return address.text() + ": " + c->errstr;
  redisSetTimeout(c.get(), timeout);
  std::unique_ptr<redisReply, decltype(&freeReplyObject)> reply(static_cast<redisReply*>(redisCommand(c.get(), "PING")),
                                                                &freeReplyObject);
  if (reply == nullptr) return address.text() + ": " + c->errstr;
  if (reply->type == REDIS_REPLY_ERROR) return address.text() + ": " + std::string(reply->str, reply->len);
  return "";
}

}  // namespace wsd::store
