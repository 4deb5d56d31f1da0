// The admin API of the seed: POST/GET/DELETE /project, POST/DELETE/PATCH /token, each
// behind `Authorization: Bearer <admin-token>`. Changes are events: the answer is sent
// once the event is applied, so a 200 means the change is in the log.
//
// Threads: gateway thread only.
#pragma once

#include <optional>

#include "gateway/gateway_context.h"
#include "gateway/routes/route_table.h"

namespace wsd {

// Whether the request carries `Authorization: Bearer <admin-token>` (compared in constant time).
bool adminAuthorized(const GatewayContext& ctx, const HttpRequest& request);
// 401 unauthorized unless adminAuthorized: the guard of every admin path.
std::optional<HttpResponse> refuseUnlessAdmin(const GatewayContext& ctx, const HttpRequest& request);
// The admin API's routes, each behind refuseUnlessAdmin.
void addAdminRoutes(RouteTable& table, GatewayContext& ctx);

}  // namespace wsd
