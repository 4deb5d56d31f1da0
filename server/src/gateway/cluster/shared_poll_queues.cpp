#include "gateway/cluster/shared_poll_queues.h"

#include "core/error_codes.h"
#include "gateway/gateway_options.h"
#include "gateway/net/connection_state.h"
#include "store/redis_layout.h"

namespace wsd {
namespace layout = store::redis_layout;
namespace {

constexpr const char* kMostPerAnswer = "1000";

// Time to keep a queue nobody polls: the session ends after the session timeout, and its
// final `closed` waits for one more poll timeout.
std::string queueLifetimeMs(const GatewayOptions& o) {
  return std::to_string(o.pollSessionTimeoutMs + o.pollTimeoutMs);
}

}  // namespace

void SharedPollQueues::push(const std::string& project, const std::string& conn, const server_message::Text& message,
                            std::function<void(QueueSize)> stored) {
  auto key = layout::pollQueueKey(project, conn);
  auto bytesKey = layout::pollBytesKey(project, conn);
  // Redis answers in order: the RPUSH's reply (the length) is in before the INCRBY's.
  auto size = std::make_shared<QueueSize>();
  redis_.command({"RPUSH", key, *message}, [size](const Result<store::RedisValue>& reply) {
    if (reply.ok() && reply->integer > 0) size->messages = static_cast<std::size_t>(reply->integer);
  });
  redis_.command({"INCRBY", bytesKey, std::to_string(message->size())}, [size](const Result<store::RedisValue>& reply) {
    if (reply.ok() && reply->integer > 0) size->bytes = static_cast<std::size_t>(reply->integer);
  });
  redis_.command({"PEXPIRE", key, queueLifetimeMs(options_)});
  redis_.command({"PEXPIRE", bytesKey, queueLifetimeMs(options_)});
  RedisBridge::Reply reply;
  if (stored) reply = [size, stored = std::move(stored)](const Result<store::RedisValue>&) { stored(*size); };
  redis_.command({"PUBLISH", std::string(layout::kPollReadyChannel), conn}, std::move(reply));
}

void SharedPollQueues::drain(const std::string& project, const std::string& conn,
                             std::function<void(std::vector<std::string>)> taken) {
  // LPOP with a count larger than any queue the budget lets grow: one atomic take.
  redis_.command({"LPOP", layout::pollQueueKey(project, conn), "1000000000"},
                 [taken = std::move(taken)](const Result<store::RedisValue>& reply) {
                   std::vector<std::string> messages;
                   if (reply.ok()) {
                     for (const auto& element : reply->elements) messages.push_back(element.text);
                   }
                   taken(std::move(messages));
                 });
  redis_.command({"DEL", layout::pollBytesKey(project, conn)});
}

void SharedPollQueues::discard(const std::string& project, const std::string& conn) {
  redis_.command({"DEL", layout::pollQueueKey(project, conn), layout::pollBytesKey(project, conn),
                  layout::pollSeenKey(project, conn)});
}

void SharedPollQueues::wasPolled(const std::string& project, const std::string& conn,
                                 std::function<void(bool)> answer) {
  redis_.command({"EXISTS", layout::pollSeenKey(project, conn)},
                 [answer = std::move(answer)](const Result<store::RedisValue>& reply) {
                   // Redis unreachable: say yes, rather than end sessions for an outage of ours.
                   answer(!reply.ok() || reply->integer != 0);
                 });
}

void SharedPollQueues::take(lws* request, const std::string& project, const std::string& conn,
                            std::optional<HttpResponse> refusal, RefuseWhen refuseWhen, std::int64_t nowMs) {
  if (auto older = held_.find(conn); older != held_.end() && older->second.request != request) {
    answer(conn, "[]");  // a newer GET for the same session: the older one is done
  }
  held_[conn] = Held{request, project, std::move(refusal), refuseWhen, nowMs};
  // Held here, the GET counts as polling until it is answered: the holder, which cannot
  // see it, must not end the session meanwhile, even with a session timeout shorter
  // than the poll timeout.
  markPolled(project, conn, options_.pollTimeoutMs + options_.pollSessionTimeoutMs);
  fetch(conn);
}

void SharedPollQueues::markPolled(const std::string& project, const std::string& conn, std::int64_t forMs) {
  redis_.command({"SET", layout::pollSeenKey(project, conn), "1", "PX", std::to_string(forMs)});
}

void SharedPollQueues::forget(std::unordered_map<std::string, Held>::iterator held) {
  // The session timeout counts from here, as when one gateway holds everything.
  markPolled(held->second.project, held->first, options_.pollSessionTimeoutMs);
  held_.erase(held);
}

void SharedPollQueues::fetch(const std::string& conn) {
  auto& held = held_.at(conn);
  held.fetching = true;
  held.readyAgain = false;
  auto key = layout::pollQueueKey(held.project, conn);
  redis_.command({"LPOP", key, kMostPerAnswer},
                 [this, conn, key, request = held.request](const Result<store::RedisValue>& reply) {
                   onFetched(conn, key, request, reply);
                 });
}

void SharedPollQueues::onFetched(const std::string& conn, const std::string& key, lws* request,
                                 const Result<store::RedisValue>& reply) {
  auto it = held_.find(conn);
  const bool stillWaiting = it != held_.end() && it->second.request == request;
  const bool gotSome = reply.ok() && !reply->elements.empty();
  if (!stillWaiting) {
    if (gotSome) {  // the client left meanwhile: put them back, in order, for its next GET
      store::RedisCommand back{"LPUSH", key};
      for (auto m = reply->elements.rbegin(); m != reply->elements.rend(); ++m) back.push_back(m->text);
      redis_.command(back);
    }
    return;
  }
  Held& held = it->second;
  held.fetching = false;
  if (!reply.ok()) return answer(conn, errorResponse(503, error_codes::kStoreUnavailable.name, reply.error().message));
  if (gotSome) {
    std::string body = "[";
    std::size_t bytes = 0;
    for (std::size_t i = 0; i < reply->elements.size(); ++i) {
      if (i != 0) body += ',';
      body += reply->elements[i].text;
      bytes += reply->elements[i].text.size();
    }
    auto bytesKey = layout::pollBytesKey(held.project, conn);
    redis_.command({"DECRBY", bytesKey, std::to_string(bytes)});
    redis_.command({"PEXPIRE", bytesKey, queueLifetimeMs(options_)});  // never a key left without one
    return answer(conn, body + "]");
  }
  if (held.refusal && held.refuseWhen == RefuseWhen::kNothingLeft) return answer(conn, *held.refusal);
  if (held.readyAgain) fetch(conn);
}

void SharedPollQueues::onSessionEnded(const std::string& conn, HttpResponse refusal) {
  auto it = held_.find(conn);
  if (it == held_.end()) return;
  it->second.refusal = std::move(refusal);
  it->second.refuseWhen = RefuseWhen::kNothingLeft;
  if (!it->second.fetching) fetch(conn);  // else the LPOP on its way answers it
}

void SharedPollQueues::onReady(const std::string& conn) {
  auto it = held_.find(conn);
  if (it == held_.end()) return;
  if (it->second.fetching)
    it->second.readyAgain = true;
  else
    fetch(conn);
}

void SharedPollQueues::answer(const std::string& conn, HttpResponse response) {
  auto it = held_.find(conn);
  if (it == held_.end()) return;
  lws* request = it->second.request;
  forget(it);
  auto* pc = perConnection(request);
  if (pc != nullptr && pc->http != nullptr) pc->http->pollConn.clear();
  respondLater(request, std::move(response));
}

void SharedPollQueues::release(lws* request) {
  for (auto it = held_.begin(); it != held_.end(); ++it) {
    if (it->second.request == request) {
      forget(it);  // an LPOP on its way puts what it took back
      return;
    }
  }
}

void SharedPollQueues::tick(std::int64_t nowMs) {
  std::vector<std::string> timedOut;  // answered [] or, for a session whose token is gone, its refusal
  for (auto it = held_.begin(); it != held_.end();) {
    if (peerHungUp(it->second.request)) {  // the client gave up on this GET; its messages stay queued
      closeSoon(it->second.request);
      forget(it++);
      continue;
    }
    if (nowMs - it->second.sinceMs >= options_.pollTimeoutMs && !it->second.fetching) timedOut.push_back(it->first);
    ++it;
  }
  for (const auto& conn : timedOut) {
    Held& held = held_.at(conn);
    if (held.refusal) {
      answer(conn, *held.refusal);
    } else {
      answer(conn, "[]");
    }
  }
}

}  // namespace wsd
