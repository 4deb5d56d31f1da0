// "Append an event, answer the HTTP request once it is applied": how every route whose
// request is a change answers (admin, webhooks, server API, mail, the POSTs of SSE and
// polling clients). A 200 then means the change is in the log, in the log's order.
//
// The answer is built when the log hands the event back, and given through LaterAnswers,
// so a client that hung up in the meantime is skipped: its change stands. The builders
// run even then, since some have effects of their own (a count, a wait for the mailer).
//
// Threads: gateway thread only (the pipeline completes events there).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

#include "core/effects.h"
#include "core/event.h"
#include "core/result.h"
#include "gateway/routes/http_exchange.h"

namespace wsd {

class EventPipeline;

struct AppliedAnswer {
  // The answer once the event is applied. nullopt: the route answers later still (an
  // accepted mail waits for the mailer's outcome).
  std::function<std::optional<HttpResponse>(const Effects&)> applied;
  // The answer when applying refused the event. Empty: `applied` reads the refusal from
  // the effects.
  std::function<HttpResponse(const Error&)> rejected;
  // The answer when the log did not take the event. Empty: 503 log_unavailable.
  std::function<HttpResponse(const Error&)> failed;
  // Holds an applied answer back until it calls `release` (an admin change waits for
  // every gateway: cluster/change_acks.h). Empty: the answer goes at once.
  std::function<void(std::function<void()> release)> hold;
};

// 503 log_unavailable: the log did not take the event, so nothing changed.
HttpResponse logUnavailable(const Error& error);

// The completion to hand EventPipeline::submit for request `exchange`. `answers` must
// outlive the pipeline's completions (the server's HttpExchanges does).
std::function<void(const Result<Effects>&)> answerWhenApplied(LaterAnswers& answers, std::uint64_t exchange,
                                                              AppliedAnswer answer);

// Appends `event` and answers `exchange` once it is applied. Returns 0, the
// libwebsockets result of a request not answered yet.
int appendThenAnswer(EventPipeline& pipeline, HttpExchange& exchange, std::shared_ptr<Event> event,
                     AppliedAnswer answer);

}  // namespace wsd
