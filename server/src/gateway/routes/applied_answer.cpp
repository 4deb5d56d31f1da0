// The one "append, answer when applied" flow (see the header).
#include "gateway/routes/applied_answer.h"

#include <utility>

#include "core/error_codes.h"
#include "gateway/event_pipeline.h"

namespace wsd {

HttpResponse logUnavailable(const Error& error) {
  return errorResponse(503, error_codes::kLogUnavailable.name, error.message);
}

namespace {

// The answer for `result`, or nullopt when there is none yet.
std::optional<HttpResponse> answerFor(const AppliedAnswer& answer, const Result<Effects>& result) {
  if (!result.ok()) return answer.failed ? answer.failed(result.error()) : logUnavailable(result.error());
  if (result->rejection && answer.rejected) return answer.rejected(*result->rejection);
  return answer.applied(*result);
}

}  // namespace

std::function<void(const Result<Effects>&)> answerWhenApplied(LaterAnswers& answers, std::uint64_t exchange,
                                                              AppliedAnswer answer) {
  return [&answers, exchange, answer = std::move(answer)](const Result<Effects>& result) {
    auto response = answerFor(answer, result);
    if (!response) return;
    const bool applied = result.ok() && !(result->rejection && answer.rejected);
    if (!applied || !answer.hold) return answers.answer(exchange, std::move(*response));
    answer.hold([&answers, exchange, response = std::move(*response)] { answers.answer(exchange, response); });
  };
}

int appendThenAnswer(EventPipeline& pipeline, HttpExchange& exchange, std::shared_ptr<Event> event,
                     AppliedAnswer answer) {
  pipeline.submit(std::move(event), answerWhenApplied(exchange.later(), exchange.id(), std::move(answer)));
  return 0;
}

}  // namespace wsd
