// The gateway's HTTP routes, all in one table (route_table.h): what a reader opens to
// find which code answers a method and path. WebSocket upgrades are not here: they are
// checked in net/server.cpp before libwebsockets completes them.
//
// Threads: gateway thread only.
#pragma once

#include "gateway/gateway_context.h"
#include "gateway/routes/admin_stream.h"
#include "gateway/routes/mail_route.h"
#include "gateway/routes/route_table.h"
#include "gateway/routes/stream_routes.h"

namespace wsd {

// The table; `streams` (the gateway and its session directory), `mail` and `adminStream`
// must outlive it (the server owns them).
RouteTable gatewayRoutes(StreamRoutes& streams, MailRoute& mail, AdminStream& adminStream);

}  // namespace wsd
