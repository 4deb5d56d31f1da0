// A session's start and end (gateway/sessions/handshake.cpp) as the events that record them:
// conn.open and conn.close (schemas/events/conn.open.json, conn.close.json). The
// projector builds the presence of uids from them, so what each carries is laid out here
// once and tested against the schemas without a server.
//
// Both name the session in the envelope's `conn` and are decided at ctx.nowMs.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/decide.h"
#include "core/event.h"

namespace wsd {

// What conn.open records of an admitted session besides its project and connId.
struct ConnectionOpening {
  std::string_view transport;  // "ws", "sse" or "poll"
  std::string_view mode;       // "short" or "long"
  std::string_view token;      // the project token it was admitted with
};

std::shared_ptr<Event> connOpenEvent(std::string project, std::string conn, const ConnectionOpening& opening,
                                     const DecideContext& ctx);
// `code` and `reason`: the WebSocket close code and reason the session ended with (SSE
// and polling sessions use the same codes).
std::shared_ptr<Event> connCloseEvent(std::string project, std::string conn, int code, const std::string& reason,
                                      const DecideContext& ctx);

}  // namespace wsd
