#include "gateway/routes/mail_route.h"

#include "core/error_codes.h"
#include "core/json.h"
#include "core/mail_events.h"
#include "core/mail_request.h"
#include "gateway/routes/applied_answer.h"
#include "gateway/sessions/handshake.h"

namespace wsd {
namespace {

// How long after the relay's own timeout an accepted request still waits for the
// mailer's answer to come through the log.
constexpr std::int64_t kLogMarginMs = 5000;

void rateLimitField(json::Writer& w, const MailDecision& d) {
  json::key(w, "rateLimit");
  w.StartObject();
  w.Key("allowed");
  w.Bool(d.accepted);
  json::field(w, "count", d.count);
  json::field(w, "max", d.max);
  w.EndObject();
}

// {"status":..., "code":..., "msg":..., "rateLimit":{...}}: the seed's success answer, and
// every mail error that follows a decision (which the client may want to show).
HttpResponse mailAnswer(int status, std::string_view code, std::string_view message, const MailDecision& d,
                        std::string_view requestId = {}) {
  rapidjson::StringBuffer buffer;
  json::Writer w(buffer);
  w.StartObject();
  json::field(w, "status", status == 200 ? "success" : "error");
  if (status != 200) json::field(w, "code", code);
  json::field(w, "msg", message);
  rateLimitField(w, d);
  if (!requestId.empty()) json::field(w, "id", requestId);
  w.EndObject();
  return HttpResponse{status, std::string(buffer.GetString(), buffer.GetSize()), "application/json", {}};
}

HttpResponse rateLimited(const MailDecision& d) {
  auto response =
      mailAnswer(429, error_codes::kMailRateLimited.name,
                 "rate limit exceeded: at most " + std::to_string(d.max) + " mails per token per window", d);
  const std::int64_t seconds = std::max<std::int64_t>(1, (d.retryAfterMs + 999) / 1000);
  response.headers.emplace_back("retry-after", std::to_string(seconds));
  return response;
}

int failureStatus(std::string_view code) { return code == error_codes::kMailNotConfigured.name ? 503 : 502; }

}  // namespace

MailRoute::MailRoute(GatewayContext& ctx, LaterAnswers& answers) : ctx_(ctx), answers_(answers) {
  ctx_.pipeline.observe([this](const Event& event, const Effects&) { onApplied(event); });
}

int MailRoute::refuseMethod(HttpExchange& exchange) {
  return refuse(exchange, 405, error_codes::kMethodNotAllowed.name,
                exchange.request().method + " is not supported on /mail");
}

int MailRoute::handle(HttpExchange& exchange) {
  const HttpRequest& request = exchange.request();
  const std::string project = request.param("project");
  const std::string token = request.param("token");
  if (project.empty() || token.empty()) {
    return refuse(exchange, 400, error_codes::kBadRequest.name, "query parameters 'project' and 'token' are required");
  }
  if (auto refusal = checkToken(ctx_, project, token)) {
    return refuse(exchange, refusal->status, refusal->code, refusal->message);
  }
  if (auto refusal = checkOrigin(ctx_, project, request)) {
    return refuse(exchange, refusal->status, refusal->code, refusal->message);
  }
  if (request.bodyTooLarge) return refuse(exchange, 413, error_codes::kBadRequest.name, "request body too large");
  json::Document body;
  if (!json::parse(body, request.body) || !body.IsObject()) {
    return refuse(exchange, 400, error_codes::kBadRequest.name, "the body must be a JSON object");
  }
  if (auto problem = ctx_.schemas.check("http/mail_request", body)) {
    return refuse(exchange, 400, error_codes::kBadRequest.name, *problem);
  }
  auto mail = mail::fromRequestBody(body, ctx_.options.mailSender);
  if (!mail.ok()) return refuse(exchange, 400, mail.error().code, mail.error().message);

  const MailRateLimit limit{ctx_.options.mailLimit, ctx_.options.mailWindowMs};
  auto event = mailRequestEvent(project, token, limit, *mail, ctx_.decideContext());
  const std::string requestId = event->id;
  const std::uint64_t waiter = exchange.id();
  return appendThenAnswer(
      ctx_.pipeline, exchange, std::move(event),
      {[this, requestId, waiter](const Effects& effects) { return decided(requestId, waiter, effects); },
       [this](const Error& rejection) {
         ctx_.metrics.mailRequests.add(rejection.code);
         return errorResponse(401, rejection.code, rejection.message);
       },
       [this](const Error& error) {
         ctx_.metrics.mailRequests.add(error_codes::kLogUnavailable.name);
         return logUnavailable(error);
       },
       {}});
}

std::optional<HttpResponse> MailRoute::decided(const std::string& requestId, std::uint64_t exchange,
                                               const Effects& effects) {
  if (!effects.mail) return std::nullopt;
  const MailDecision& decision = *effects.mail;
  if (!decision.accepted) {
    ctx_.metrics.mailRequests.add(error_codes::kMailRateLimited.name);
    return rateLimited(decision);
  }
  // Waits even when the client hung up: the mail goes out all the same.
  waiting_[requestId] = Waiting{exchange, decision, wallClockMs()};
  return std::nullopt;
}

int MailRoute::refuse(HttpExchange& exchange, int status, std::string_view code, std::string_view message) {
  ctx_.metrics.mailRequests.add(code);
  return exchange.answer(errorResponse(status, code, message));
}

void MailRoute::onApplied(const Event& event) {
  if (event.type != EventType::kMailSent && event.type != EventType::kMailFailed) return;
  const std::string requestId = json::string(event.data, "request").value_or("");
  auto it = waiting_.find(requestId);
  if (it == waiting_.end()) return;  // another gateway's request, or one that timed out
  const MailDecision decision = it->second.decision;
  if (event.type == EventType::kMailSent) {
    ctx_.metrics.mailRequests.add("sent");
    return answer(requestId, mailAnswer(200, "", "Email sent successfully", decision, requestId));
  }
  const std::string code = json::string(event.data, "code").value_or(error_codes::kMailRelayFailed.name);
  ctx_.metrics.mailRequests.add(code == error_codes::kMailNotConfigured.name ? code
                                                                             : error_codes::kMailRelayFailed.name);
  answer(requestId, mailAnswer(failureStatus(code), code,
                               json::string(event.data, "error").value_or("the relay failed"), decision, requestId));
}

void MailRoute::answer(const std::string& requestId, const HttpResponse& response) {
  auto it = waiting_.find(requestId);
  if (it == waiting_.end()) return;
  answers_.answer(it->second.exchange, response);
  waiting_.erase(it);
}

void MailRoute::tick(std::int64_t nowMs) {
  const std::int64_t limit = ctx_.options.mailTimeoutMs + kLogMarginMs;
  std::vector<std::string> late;
  for (const auto& [id, waiting] : waiting_) {
    if (nowMs - waiting.sinceMs >= limit) late.push_back(id);
  }
  for (const auto& id : late) {
    const MailDecision decision = waiting_[id].decision;
    ctx_.metrics.mailRequests.add(error_codes::kMailTimeout.name);
    answer(id, mailAnswer(504, error_codes::kMailTimeout.name,
                          "the mailer did not answer in time; the mail may still be sent", decision, id));
  }
}

}  // namespace wsd
