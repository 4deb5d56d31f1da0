// The transport interface: one link to the server over WebSocket, SSE or long polling
// (one implementation per file: ws_transport, sse_transport, poll_transport). A transport
// moves bytes and knows its HTTP endpoints; sessions, retries and fallback live in Engine.
//
// Threads: every method runs on the client's I/O thread, except wake() (any thread).
// Listener calls happen only inside open() and service(). A transport is never destroyed
// inside one of its own listener calls (Engine retires it and destroys it later); its
// destructor drops the link at once and makes no listener calls.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "outgoing.h"
#include "server_messages.h"

namespace wsclient::detail {

// Why a link ended.
struct LinkEnd {
  int code = 1006;         // the peer's close code; 1006 when none came
  std::string reason;      // the close reason, or what failed
  int httpStatus = 0;      // a refused handshake's HTTP status
  HttpError refusal;       // a refused handshake's JSON body (SSE and poll can read it; ws cannot)
  bool handshake = false;  // true: the link never opened (a refusal, DNS, connect error...)
};

class LinkListener {
 public:
  virtual ~LinkListener() = default;
  // SSE/poll: the request carrying the old session's resume token got that session back.
  virtual void onLinkResumed(const std::string& connId) = 0;
  virtual void onLinkMessage(std::string_view json) = 0;
  // Bytes arrived (messages, keepalive comments, empty poll answers): the link is alive.
  virtual void onLinkActivity() = 0;
  // canWrite() may have become true.
  virtual void onLinkWritable() = 0;
  // SSE/poll: the server refused this message's POST (4xx/5xx with a JSON body); it is gone.
  virtual void onLinkRejected(Outgoing item, int httpStatus, const HttpError& error) = 0;
  // The link is gone: no more calls follow. `unsent`: messages it took and did not deliver.
  virtual void onLinkEnded(const LinkEnd& end, std::vector<Outgoing> unsent) = 0;
};

// What every transport needs to reach the server.
struct LinkTarget {
  std::string origin;   // http(s)://host:port
  std::string host;     // as the Host header wants it
  std::string address;  // host to connect to
  int port = 0;
  bool secure = false;
  std::string prefix;  // path prefix before /ws, /sse, /poll
  std::string query;   // project=...&token=...&mode=...
  std::chrono::milliseconds connectTimeout{10000};
  std::chrono::milliseconds requestTimeout{10000};
};

class Transport {
 public:
  virtual ~Transport() = default;
  virtual TransportKind kind() const = 0;
  // Starts connecting. `resumeToken`: what an earlier transport of this kind returned from
  // resumeToken(), to get that session back ("" for a new one).
  virtual void open(const std::string& resumeToken) = 0;
  // The session's connId, from its `connected` message (SSE and poll POST with it).
  virtual void setConnId(const std::string& connId) = 0;
  virtual bool canWrite() const = 0;
  // Takes one message; only when canWrite().
  virtual void write(Outgoing item) = 0;
  // Ends the link politely (WebSocket close 1000); onLinkEnded follows.
  virtual void close() = 0;
  // Messages taken and not yet delivered, for a link about to be dropped.
  virtual std::vector<Outgoing> takeUnsent() = 0;
  // Does I/O for at most `maxWait`; returns early after wake() or when something happened.
  virtual void service(std::chrono::milliseconds maxWait) = 0;
  // Any thread: makes a service() in progress (or the next one) return soon.
  virtual void wake() = 0;
  // What lets a new transport of this kind continue this session ("" if nothing can).
  virtual std::string resumeToken() const = 0;
};

}  // namespace wsclient::detail
