// GET /admin/state-snapshot: this gateway's projections as they stand, with the log
// position they reflect, behind the admin token. `wslog verify --admin-url` replays the
// log up to exactly that position and compares key by key, so a verify while traffic
// flows raises no false alarm: the state and its offsets are read on the gateway thread
// between two applied events, never half-way through one.
//
// The body is the canonical snapshot (store/projection_snapshot.h), the same form a
// replay and a Redis projection take. Cost: O(the whole state) on the gateway thread,
// once per request; it is an operator's check, not a polling endpoint.
//
// Threads: gateway thread only.
#pragma once

#include "core/http_request.h"
#include "gateway/gateway_context.h"
#include "gateway/net/http_response.h"

namespace wsd {

// The answer to an admin's GET (routes/gateway_routes.cpp checks the token and method).
HttpResponse stateSnapshotResponse(const GatewayContext& ctx);

}  // namespace wsd
