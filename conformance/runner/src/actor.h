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
  std::string mode;  // "" (the server's default), "short" or "long"
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

  Inbox& inbox() { return inbox_; }
  const std::string& connId() const { return connId_; }

 protected:
  // Takes the `connected` message out of the inbox and remembers its connId.
  bool awaitConnected(std::chrono::milliseconds timeout);

  Inbox inbox_;
  std::string connId_;
};

// "ws", "sse" or "poll".
std::unique_ptr<Actor> makeActor(const std::string& transport);
std::string endpointQuery(const Endpoint& endpoint);

}  // namespace wsconform
