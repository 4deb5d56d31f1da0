// One HTTP request as a route handles it: what was asked, a way to answer now, and the id
// under which an answer that comes later (once an event is applied) finds the request.
// Only routes that keep the connection open (an SSE stream, a held poll, the admin event
// stream) reach the raw connection, so the route table and the answers are tested with a
// fake exchange; LwsExchange (net/http_exchanges.h) is the real one.
//
// Threads: gateway thread only.
#pragma once

#include <cstdint>

#include "core/http_request.h"
#include "gateway/net/connection_handle.h"
#include "gateway/net/http_response.h"

namespace wsd {

struct HttpState;

// Where answers that come after their request's callback go.
class LaterAnswers {
 public:
  virtual ~LaterAnswers() = default;
  // Answers request `exchange` when its connection is next writable; nothing when its
  // client hung up in the meantime (the connection, and the id, are gone).
  virtual void answer(std::uint64_t exchange, HttpResponse response) = 0;
};

class HttpExchange {
 public:
  virtual ~HttpExchange() = default;
  virtual const HttpRequest& request() const = 0;
  // Writes `response` now. Returns the libwebsockets result: 0, or -1 to close.
  virtual int answer(const HttpResponse& response) = 0;
  // The id a later answer names, and where it is given.
  virtual std::uint64_t id() const = 0;
  virtual LaterAnswers& later() = 0;
  // The connection and its state, for the routes that keep the connection open.
  virtual lws* connection() = 0;
  virtual HttpState& state() = 0;
};

}  // namespace wsd
