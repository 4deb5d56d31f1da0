// Polling sessions whose requests may land on any gateway (distributed mode with
// --redis). The session's messages wait in a Redis list instead of the holding
// gateway's memory: the holder pushes (and publishes the session's connId on
// wsd:poll-ready), and whichever gateway a GET reaches pops them all and answers, or
// holds the GET until a publication says there is something, or the poll timeout.
//
// The queue is bounded like one held in memory (output_budget.h): each push learns the
// queue's length and bytes (the bytes counted beside it in Redis), and the holder ends a
// session over its budget after draining its queue, keeping its direct messages for its
// uid.
//
// Every GET also marks the session as polled (a key that expires once the GET was
// answered plus the session timeout), which is how the holder knows its client is
// still there when the GETs go elsewhere.
//
// Threads: gateway thread only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/server_messages.h"
#include "gateway/cluster/redis_bridge.h"
#include "gateway/net/connection_handle.h"
#include "gateway/net/http_response.h"
#include "gateway/sessions/session_directory.h"

namespace wsd {

struct GatewayOptions;

class SharedPollQueues {
 public:
  SharedPollQueues(RedisBridge& redis, const GatewayOptions& options) : redis_(redis), options_(options) {}

  // What a session's queue holds after a push (zero if Redis failed to answer).
  using QueueSize = SharedPollQueue::QueueSize;
  // Holder side: queues `message` for the session; `stored` (if any) runs on the gateway
  // thread once Redis answered, whether it took the message or failed.
  void push(const std::string& project, const std::string& conn, const server_message::Text& message,
            std::function<void(QueueSize)> stored = {});
  // Holder side: takes everything queued for the session, oldest first, so that none of
  // it is handed to a GET from now on; `taken` runs with it (empty if Redis failed).
  void drain(const std::string& project, const std::string& conn, std::function<void(std::vector<std::string>)> taken);
  // Holder side: the session ended without a final message (nobody polls it): what was
  // queued for it goes, so a late GET finds nothing and is answered 404.
  void discard(const std::string& project, const std::string& conn);
  // Holder side: calls `answer(true)` if some gateway polled the session within the
  // session timeout.
  void wasPolled(const std::string& project, const std::string& conn, std::function<void(bool)> answer);

  // When a GET that carries a refusal gets it.
  using RefuseWhen = SessionDirectory::RefuseWhen;
  // A GET for `conn`: answered with what is queued, else held. With `refusal` it still
  // takes what was left for the session, the final `closed`, and is answered `refusal`
  // instead of being held (kNothingLeft) or instead of [] at the poll timeout (kPollTimeout).
  void take(lws* request, const std::string& project, const std::string& conn, std::optional<HttpResponse> refusal,
            RefuseWhen refuseWhen, std::int64_t nowMs);
  // This gateway applied the session's end (conn.close). A GET held for it, which it took
  // for open because it had not read that yet, takes what was left and is answered
  // `refusal` instead of waiting for the poll timeout.
  void onSessionEnded(const std::string& conn, HttpResponse refusal);
  // The request's connection went away (libwebsockets is closing it).
  void release(lws* request);
  // Published on wsd:poll-ready.
  void onReady(const std::string& conn);
  // Answers the GETs held for the poll timeout with [].
  void tick(std::int64_t nowMs);

 private:
  struct Held {
    lws* request;
    std::string project;
    std::optional<HttpResponse> refusal;
    RefuseWhen refuseWhen;
    std::int64_t sinceMs;
    bool fetching = false;    // an LPOP is on its way
    bool readyAgain = false;  // published while it was
  };
  // Tells the session's holder that its client polled, for `forMs` from now.
  void markPolled(const std::string& project, const std::string& conn, std::int64_t forMs);
  // The GET is no longer held here (answered, or its client went away).
  void forget(std::unordered_map<std::string, Held>::iterator held);
  void fetch(const std::string& conn);
  void onFetched(const std::string& conn, const std::string& key, lws* request, const Result<store::RedisValue>& reply);
  void answer(const std::string& conn, HttpResponse response);
  void answer(const std::string& conn, std::string body) {
    answer(conn, HttpResponse{200, std::move(body), "application/json", {}});
  }

  RedisBridge& redis_;
  const GatewayOptions& options_;
  std::unordered_map<std::string, Held> held_;  // by conn: one GET per session
};

}  // namespace wsd
