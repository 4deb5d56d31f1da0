// HTTP plumbing over libwebsockets: reading the request the routes see (core/http_request.h)
// off a connection, and writing a whole response. Every HTTP answer of wsd carries
// permissive CORS headers, since browsers call the API and the SSE/poll endpoints from
// other origins.
//
// Threads: gateway thread only (inside libwebsockets callbacks).
#pragma once

#include <libwebsockets.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/http_request.h"
#include "core/json.h"
#include "gateway/net/http_response.h"

namespace wsd {

// libwebsockets keeps a request's head in one buffer of kHeaderSpaceBytes and cuts any
// header value, and each part of the request target (path, query arguments), at
// kMaxHeaderFieldBytes. wsd answers a cut target 414 and a cut header 431 (oversizedHead).
// The buffer holds two fields at the limit and the usual rest; a head that still
// overflows it (many long headers, or one long header libwebsockets does not know by name)
// is dropped by libwebsockets unanswered (docs/architecture.md, "Protocol strictness").
inline constexpr unsigned short kMaxHeaderFieldBytes = 8192;
inline constexpr unsigned short kHeaderSpaceBytes = 24576;
static_assert(kHeaderSpaceBytes >= 2 * kMaxHeaderFieldBytes + 4096, "room for two fields at the limit and the rest");

// Reads method, path, query and the headers wsd uses. `path` is the `in` argument of
// LWS_CALLBACK_HTTP (or the URI for an upgrade).
HttpRequest readRequest(lws* wsi, std::string_view path);

// The per-header limits to create the libwebsockets context with (all kMaxHeaderFieldBytes).
const lws_token_limits* headerTokenLimits();
// A header as libwebsockets parsed it, repeated ones joined with commas; empty when absent.
std::string headerValue(lws* wsi, lws_token_indexes token);
// 414 uri_too_long when the request target, or 431 headers_too_large when a header, was
// cut at kMaxHeaderFieldBytes; nothing for a head wsd read whole.
std::optional<HttpResponse> oversizedHead(lws* wsi);

// Writes headers and body. Returns 0, or -1 when the connection must close.
// With `completeTransaction` the connection is then ready for its next request, unless
// the request's state says it cannot carry one (HttpState::closeAfterAnswer): then the
// answer says `Connection: close` and -1 closes it.
int writeResponse(lws* wsi, const HttpResponse& response, bool completeTransaction = true);

// Writes headers for a response whose body is streamed afterwards (SSE).
int writeStreamHeaders(lws* wsi, int status, const char* contentType,
                       const std::vector<std::pair<std::string, std::string>>& headers);
// True when the client closed its side of a connection we are answering slowly (an SSE
// stream, a held poll, a request waiting for its session). libwebsockets does not read
// such a connection while its answer is in progress, so it would only notice at the
// next write, and its poll loop wakes for the unread hang-up until then: whoever holds
// such a request asks at every tick. One MSG_PEEK tells.
bool peerHungUp(lws* wsi);
// Closes the connection from outside its callbacks (its CLOSED_HTTP follows).
void closeSoon(lws* wsi);
// The request is answered later (an SSE or admin event stream, a held poll, a request
// waiting for its session): libwebsockets' timeout for an answer in progress must not end
// it meanwhile.
void holdOpen(lws* wsi);
// Keeps reading a connection whose client sends nothing more (an event stream), so its
// hang-up is read, and acted on, at once.
void readForHangUp(lws* wsi);
// Asks for a writable callback (LWS_CALLBACK_HTTP_WRITEABLE) for `wsi`.
void askWritable(lws* wsi);

// Writes `data` as part of a streamed body; returns 0 or -1.
int writeStreamChunk(lws* wsi, std::string_view data);

}  // namespace wsd
