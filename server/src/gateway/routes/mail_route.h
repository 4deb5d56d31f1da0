// POST /mail?project=&token=: the seed's mail API. The request becomes a mail.request
// event; applying it decides the rate limit (core/projector.h, invariant 4), so a 429 is
// answered as soon as the event is applied here. An accepted mail is answered when the
// mailer's mail.sent (200) or mail.failed (502, 503) comes back through the log, or with
// 504 when neither has come within the relay's timeout and a margin for the log.
//
// Threads: gateway thread only.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

#include "gateway/gateway_context.h"
#include "gateway/net/connection_state.h"
#include "gateway/net/http_exchanges.h"

namespace wsd {

class MailRoute {
 public:
  MailRoute(GatewayContext& ctx, HttpExchanges& exchanges);

  static bool matches(std::string_view path) { return path == "/mail"; }
  // Answers now (returns the libwebsockets result) or later, through `exchanges`.
  int handle(lws* wsi, HttpState& state);
  // Times out what waited too long. O(waiting requests); from the gateway's tick.
  void tick(std::int64_t nowMs);

 private:
  struct Waiting {
    std::uint64_t exchange;
    MailDecision decision;
    std::int64_t sinceMs;
  };

  // Answers at once with an error (and counts the outcome).
  int refuse(lws* wsi, int status, std::string_view code, std::string_view message);
  void onApplied(const Event& event);
  void answer(const std::string& requestId, const HttpResponse& response);

  GatewayContext& ctx_;
  HttpExchanges& exchanges_;
  std::unordered_map<std::string, Waiting> waiting_;  // by mail.request id
};

}  // namespace wsd
