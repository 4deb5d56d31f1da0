// An actor: one client connection of a case, over one transport. Every transport offers
// the same operations, so a case runs unchanged over WebSocket, SSE and long polling.
//
// Threads: connect/send/disconnect from the case's thread; each transport receives on a
// thread of its own and hands messages to the inbox.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "http_client.h"
#include "inbox.h"

namespace wsconform {

struct Endpoint {
  std::string baseUrl;  // http://host:port or https://...
  std::string project;
  std::string token;
  std::string mode;    // "" (the server's default), "short" or "long"
  std::string origin;  // the Origin header a browser page would send; "": the transport's default
};

struct Refusal {
  long status = 0;
  std::string body;
  std::string error;
};

class Actor {
 public:
  virtual ~Actor() = default;
  // Opens the connection and waits for `connected`; a refusal says what came back.
  virtual std::optional<Refusal> connect(const Endpoint& endpoint, std::chrono::milliseconds timeout) = 0;
  // Sends one client message. For SSE and polling the POST's answer is returned.
  virtual HttpResult send(const std::string& text) = 0;
  virtual void disconnect() = 0;
  // The connection is lost without a goodbye, as when a network drops: the SSE stream
  // breaks, a polling client stops polling. False for a transport that cannot (WebSocket:
  // the client library always closes with a close frame).
  virtual bool drop() { return false; }
  // Comes back after drop(): SSE reopens the stream with Last-Event-ID naming the last
  // event received; polling polls the same session again. `newSession`: the server is
  // expected to have ended the old session, so wait for a new `connected` (SSE only).
  // A refusal says what came back instead.
  virtual std::optional<Refusal> resume(bool newSession, std::chrono::milliseconds timeout) {
    (void)newSession, (void)timeout;
    return Refusal{0, "", "this transport cannot resume"};
  }

  Inbox& inbox() { return inbox_; }
  const std::string& connId() const { return connId_; }

 protected:
  // Takes the `connected` message out of the inbox and remembers its connId.
  bool awaitConnected(std::chrono::milliseconds timeout);

  Inbox inbox_;
  std::string connId_;
  std::string secret_;  // SSE and polling: from `connected`, sent back as Wsd-Session-Secret
};

// "ws", "sse" or "poll".
std::unique_ptr<Actor> makeActor(const std::string& transport);
std::string endpointQuery(const Endpoint& endpoint);

}  // namespace wsconform
