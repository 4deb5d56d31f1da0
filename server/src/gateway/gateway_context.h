// What every part of the gateway shares: options, schemas, the projections (read-only
// here; the projector writes them), the sessions held, and the path to the log.
//
// Threads: gateway thread only.
#pragma once

#include "core/decide.h"
#include "core/schema_registry.h"
#include "gateway/clock.h"
#include "gateway/event_pipeline.h"
#include "gateway/gateway_options.h"
#include "gateway/metrics/gateway_metrics.h"
#include "gateway/sessions/session_end.h"
#include "gateway/sessions/session_registry.h"
#include "store/state_store.h"

namespace wsd {

class HttpExchanges;
class ChangeAcks;

struct GatewayContext {
  GatewayOptions options;
  const SchemaRegistry& schemas;
  const store::StateStore& state;
  SessionRegistry& sessions;
  EventPipeline& pipeline;
  GatewayMetrics& metrics;
  IdGenerator ids;
  HttpExchanges* exchanges = nullptr;  // HTTP requests answered later (set by GatewayServer)
  ChangeAcks* changeAcks = nullptr;    // admin changes answered once every gateway has them (idem)

  DecideContext decideContext() {
    DecideContext ctx;
    ctx.node = options.node;
    ctx.nowMs = wallClockMs();
    ctx.offlineTtlMs = options.offlineTtlMs;
    ctx.multicastMax = options.multicastMax;
    ctx.ids = &ids;
    return ctx;
  }

  // Records that `session` is gone (conn.close, unless logSessionEnd did) and forgets it.
  void endSession(Session& session, int code, const std::string& reason);
  // endSession, for the sessions that end themselves.
  SessionEnd sessionEnd() {
    return [this](Session& session, int code, const std::string& reason) { endSession(session, code, reason); };
  }
  // Appends the session's conn.close ahead of its end (once per session); `applied` runs
  // when this gateway has applied it, or when it failed.
  void logSessionEnd(Session& session, int code, const std::string& reason, EventPipeline::Completion applied = {});
};

}  // namespace wsd
