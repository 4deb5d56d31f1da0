// The HTTP transports: SSE (GET /sse opens the stream) and long polling (GET /poll), and
// the POST /sse and POST /poll that carry their clients' actions.
//
// Threads: gateway thread only.
#pragma once

#include "gateway/gateway_context.h"
#include "gateway/net/connection_handle.h"
#include "gateway/net/http_response.h"
#include "gateway/sessions/session_directory.h"

namespace wsd {

struct HttpState;

// What the routes of requests that name a session work with: the gateway, and where
// sessions it does not hold may be.
struct StreamRoutes {
  GatewayContext& ctx;
  SessionDirectory& directory;
};

int openSseStream(GatewayContext& ctx, lws* wsi, HttpState& state);
int pollMessages(StreamRoutes& routes, lws* wsi, HttpState& state);
int postAction(StreamRoutes& routes, lws* wsi, HttpState& state, Transport transport);

// LWS_CALLBACK_HTTP_WRITEABLE for a request that is an SSE stream.
int writeSseStream(GatewayContext& ctx, HttpState& state);
// The request's connection is gone: detach its stream or release its held poll.
void releaseStreams(StreamRoutes& routes, lws* wsi, HttpState& state);
// What a request naming a session that is not there gets: 404 unknown_conn.
HttpResponse unknownConnResponse();

}  // namespace wsd
