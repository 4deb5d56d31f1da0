// Sessions another gateway holds, as this one acts for them: an SSE or polling client's
// POST (or poll GET) that a load balancer sent here instead of to the gateway holding
// its stream. The action is decided here and appended to the log like any other, so its
// replies reach the client through the holder. What this gateway must tell the client
// itself (a protocol error, a rate-limit close) goes to the holder too: through the
// session's shared poll queue, or published on the holder's channel for SSE.
//
// Threads: gateway thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

#include "core/http_request.h"
#include "core/json.h"
#include "gateway/cluster/redis_bridge.h"
#include "gateway/cluster/shared_poll_queues.h"
#include "gateway/gateway_context.h"
#include "gateway/net/http_response.h"
#include "store/state_store.h"

namespace wsd {

class RemoteSession final : public Session {
 public:
  // What it must tell its client goes through `redis` (the holder's channel) or, for a
  // polling session, its queue in `polls`.
  RemoteSession(SessionIdentity identity, std::string holder, RateLimiter limiter, RedisBridge& redis,
                SharedPollQueues& polls)
      : Session(std::move(identity), limiter), holder_(std::move(holder)), redis_(redis), polls_(polls) {}

  void enqueue(server_message::Text message) override;
  void close(int code, const std::string& reason) override;
  // The holder sends the pings: it is the one to hear the pong.
  void pongReceived() override;
  // Its client may have seen bind_success (from the holder) before this gateway's
  // projection applied the bind.
  bool uidMayTrail() const override { return true; }

  std::int64_t lastUsedMs = 0;

 private:
  void publish(const std::function<void(json::Writer&)>& fill);

  std::string holder_;  // the node holding the stream
  RedisBridge& redis_;
  SharedPollQueues& polls_;
};

// The remote sessions acted for lately (their rate limiters live here), by connId.
class RemoteSessions {
 public:
  RemoteSessions(GatewayContext& ctx, RedisBridge& redis, SharedPollQueues& polls)
      : ctx_(ctx), redis_(redis), polls_(polls) {}

  // The session as the projections know it, or null when it is unknown, another
  // transport's, or another project's or token's. The caller has checked the request's
  // proof of ownership.
  // `request` is the one acting for it: its query's project and token must be the
  // session's (session_proof.h).
  RemoteSession* find(const std::string& conn, Transport transport, const HttpRequest& request, std::int64_t nowMs);
  // Forgets the ones not used for a minute (their limiters start afresh if they return).
  void tick(std::int64_t nowMs);

 private:
  GatewayContext& ctx_;
  RedisBridge& redis_;
  SharedPollQueues& polls_;
  std::unordered_map<std::string, std::unique_ptr<RemoteSession>> byConn_;
};

// Published on this gateway's channel by another one: a message for, or an order to
// close, a session held here.
void onHolderChannelMessage(SessionRegistry& sessions, const std::string& payload);

}  // namespace wsd
