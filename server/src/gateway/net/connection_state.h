// What wsd keeps per libwebsockets connection (the "per-session data" lws allocates,
// zeroed, for each wsi). Only pointers live there; their objects are created and freed
// by the callbacks in server.cpp.
//
// Threads: gateway thread only.
#pragma once

#include <libwebsockets.h>

#include <cstdint>
#include <optional>
#include <string>

#include "core/http_framing.h"
#include "gateway/net/http.h"
#include "gateway/net/lws_poll_request.h"
#include "gateway/net/lws_sse_stream.h"
#include "gateway/sessions/handshake.h"

namespace wsd {

class WsSession;

// One HTTP request in flight (and, for SSE, its open stream).
struct HttpState {
  std::uint64_t id = 0;  // for answers that arrive later (see HttpExchanges)
  HttpRequest request;
  std::optional<HttpResponse> response;       // a deferred answer, written when writable
  std::string sseConn;                        // this request is the stream of that SSE session
  std::optional<LwsSseStream> sseStream;      // ... and this the stream it writes to
  std::string pollConn;                       // this request is a held poll of that session
  std::optional<LwsPollRequest> pollRequest;  // ... which holds this (not with a shared queue)
  // Set while a chunked body is being decoded: libwebsockets hands such a body over
  // undecoded, as if it ran to the connection's end, and never completes it (server.cpp).
  std::optional<http::ChunkedDecoder> chunked;
  bool bodyComplete = false;  // the request was dispatched: later body bytes are not its own
  // libwebsockets still counts the connection's next bytes as this body, so it cannot carry
  // another request: its answer says `Connection: close` and the connection ends (http.cpp).
  bool closeAfterAnswer = false;
};

struct PerConnection {
  HttpState* http;  // HTTP requests
  WsSession* ws;    // established WebSockets
  std::string* rx;  // a WebSocket message being reassembled from fragments
};

inline PerConnection* perConnection(lws* wsi) { return static_cast<PerConnection*>(lws_wsi_user(wsi)); }

// Sets the answer of a pending HTTP request and asks to write it.
inline void respondLater(lws* wsi, HttpResponse response) {
  auto* pc = perConnection(wsi);
  if (pc == nullptr || pc->http == nullptr) return;
  pc->http->response = std::move(response);
  lws_callback_on_writable(wsi);
}

}  // namespace wsd
