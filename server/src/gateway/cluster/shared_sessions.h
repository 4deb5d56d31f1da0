// What lets SSE and polling clients spread their requests over every gateway (given
// --redis): their shared state in Redis and the sessions held elsewhere. Absent (null in
// GatewayContext) without Redis: then each client must stay on the gateway holding its
// session (sticky load balancing), as docs/operations.md says.
//
// Threads: gateway thread only.
#pragma once

#include "gateway/cluster/awaited_sessions.h"
#include "gateway/cluster/redis_bridge.h"
#include "gateway/cluster/remote_session.h"
#include "gateway/cluster/shared_poll_queues.h"
#include "gateway/gateway_context.h"
#include "gateway/routes/stream_routes.h"

namespace wsd {

struct SharedSessions {
  SharedSessions(RedisBridge& bridge, GatewayContext& ctx) : redis(bridge), polls(bridge, ctx.options), remotes(ctx) {
    ctx.pipeline.observe([this](const Event& event, const Effects&) {
      if (event.type != EventType::kConnClose) return;
      polls.onSessionEnded(event.conn, unknownConnResponse());
      awaited.sessionEnded(event.conn, wallClockMs());
    });
  }

  RedisBridge& redis;
  SharedPollQueues polls;
  RemoteSessions remotes;
  AwaitedSessions awaited;
};

}  // namespace wsd
