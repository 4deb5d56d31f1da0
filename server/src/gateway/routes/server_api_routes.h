// The server API (docs/server-api.md): what an app backend calls to act on its project
// (POST /api/send, /api/multicast, /api/broadcast, /api/kick; GET /api/online, /api/list,
// /api/room), authenticated by `Authorization: Bearer <server secret>` with the project
// in `?project=`, or by the admin token for any project.
//
// Every call is an event (core/api_call.h), answered once it is applied here, from its
// effects: who got a message or will (Effects::sent), a query's answer (Effects::query),
// the connections a kick closes (Effects::closes). So an answer says what the log says,
// in the log's order: a send right after a client's bind finds it online. A kick's
// closes are carried out by every gateway for the connections it holds.
//
// Threads: gateway thread only.
#pragma once

#include <optional>
#include <string_view>

#include "core/api_call.h"
#include "core/effects.h"
#include "gateway/gateway_context.h"
#include "gateway/net/http_response.h"
#include "gateway/routes/route_table.h"

namespace wsd {

// Every call's route: its path, GET for a query and POST for the rest. A call is answered
// once its event is applied (routes/applied_answer.h).
void addServerApiRoutes(RouteTable& table, GatewayContext& ctx);

// ---- the parts with no I/O (unit-tested) ------------------------------------------------

// The R of /api/rooms/R/send; empty for any other path.
std::string_view roomIdInPath(std::string_view path);
// The HTTP answer to `call` once its `event` was applied with `effects`.
HttpResponse serverApiAnswer(ApiCall call, const Event& event, const Effects& effects);

}  // namespace wsd
