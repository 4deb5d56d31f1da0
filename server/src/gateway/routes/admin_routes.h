// The admin API of the seed: POST/GET/DELETE /project, POST/DELETE/PATCH /token, each
// behind `Authorization: Bearer <admin-token>`. Changes are events: the answer is sent
// once the event is applied, so a 200 means the change is in the log.
//
// Threads: gateway thread only.
#pragma once

#include <string_view>

#include "gateway/gateway_context.h"
#include "gateway/net/connection_state.h"
#include "gateway/net/http_exchanges.h"

namespace wsd {

bool isAdminPath(std::string_view path);
// Whether the request carries `Authorization: Bearer <admin-token>` (compared in constant time).
bool adminAuthorized(const GatewayContext& ctx, const HttpRequest& request);
// Answers now (returns the libwebsockets result) or later through `exchanges`.
int handleAdminRequest(GatewayContext& ctx, HttpExchanges& exchanges, lws* wsi, HttpState& state);

}  // namespace wsd
