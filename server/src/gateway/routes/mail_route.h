// POST /mail?project=&token=: the seed's mail API. The request becomes a mail.request
// event; applying it decides the rate limit (core/projector.h, invariant 4), so a 429 is
// answered as soon as the event is applied here. An accepted mail is answered when the
// mailer's mail.sent (200) or mail.failed (502, 503) comes back through the log, or with
// 504 when neither has come within the relay's timeout and a margin for the log.
//
// Threads: gateway thread only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

#include "gateway/gateway_context.h"
#include "gateway/routes/http_exchange.h"

namespace wsd {

class MailRoute {
 public:
  // `answers` must outlive this (the server's HttpExchanges).
  MailRoute(GatewayContext& ctx, LaterAnswers& answers);

  // POST /mail: answers a refusal now, or later through `answers`.
  int handle(HttpExchange& exchange);
  // Any other method: 405, counted like every other refusal.
  int refuseMethod(HttpExchange& exchange);
  // Times out what waited too long. O(waiting requests); from the gateway's tick.
  void tick(std::int64_t nowMs);

 private:
  struct Waiting {
    std::uint64_t exchange;
    MailDecision decision;
    std::int64_t sinceMs;
  };

  // Answers at once with an error (and counts the outcome).
  int refuse(HttpExchange& exchange, int status, std::string_view code, std::string_view message);
  // The answer to an applied mail.request: 429 now, or nothing until the mailer's outcome.
  std::optional<HttpResponse> decided(const std::string& requestId, std::uint64_t exchange, const Effects& effects);
  void onApplied(const Event& event);
  void answer(const std::string& requestId, const HttpResponse& response);

  GatewayContext& ctx_;
  LaterAnswers& answers_;
  std::unordered_map<std::string, Waiting> waiting_;  // by mail.request id
};

}  // namespace wsd
