// The WebSocket transport (libwebsockets client): GET /ws upgraded, one text frame per
// message. WsContext is the client's libwebsockets context, made once on the I/O thread
// and shared by the WebSocket links of one client, one link at a time.
//
// Locality: the I/O thread only, except WsTransport::wake() (lws_cancel_service: any thread).
#pragma once

#include <memory>

#include "transport.h"

struct lws_context;

namespace wsclient::detail {

class WsTransport;

class WsContext {
 public:
  // nullptr when libwebsockets cannot make a context (it logs why).
  static std::unique_ptr<WsContext> create(bool tls);
  ~WsContext();
  WsContext(const WsContext&) = delete;
  WsContext& operator=(const WsContext&) = delete;

  lws_context* get() const { return context_; }
  bool tls() const { return tls_; }
  // The link whose wake-ups (LWS_CALLBACK_EVENT_WAIT_CANCELLED) this context routes.
  void setCurrent(WsTransport* link) { current_ = link; }
  WsTransport* current() const { return current_; }
  // One lws_service() round that ends no later than `maxWait` from now.
  void serviceFor(std::chrono::milliseconds maxWait);

 private:
  WsContext(lws_context* context, bool tls);
  struct Timer;
  lws_context* context_;
  bool tls_;
  WsTransport* current_ = nullptr;
  std::unique_ptr<Timer> timer_;
};

std::unique_ptr<Transport> makeWsTransport(WsContext& context, const LinkTarget& target, LinkListener& listener);

}  // namespace wsclient::detail
