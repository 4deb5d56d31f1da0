#include "core/mail_events.h"

namespace wsd {
namespace {

// The mailer's events: each names the request it answers first.
std::shared_ptr<Event> answerTo(EventType type, std::string project, std::string_view requestId,
                                const DecideContext& ctx) {
  auto e = newEvent(type, std::move(project), "", ctx);
  addString(*e, "request", requestId);
  return e;
}

}  // namespace

std::shared_ptr<Event> mailRequestEvent(std::string project, std::string_view token, const MailRateLimit& limit,
                                        const mail::MailRequest& mail, const DecideContext& ctx) {
  auto e = newEvent(EventType::kMailRequest, std::move(project), "", ctx);
  addString(*e, "token", token);
  e->data.AddMember("max", limit.max, e->alloc());
  e->data.AddMember("windowMs", limit.windowMs, e->alloc());
  mail::writeInto(*e, mail);
  return e;
}

std::shared_ptr<Event> mailDecisionEvent(std::string project, std::string_view requestId, std::string_view token,
                                         const MailDecision& decision, const DecideContext& ctx) {
  auto type = decision.accepted ? EventType::kMailAccepted : EventType::kMailRejected;
  auto e = answerTo(type, std::move(project), requestId, ctx);
  addString(*e, "token", token);
  e->data.AddMember("count", decision.count, e->alloc());
  e->data.AddMember("max", decision.max, e->alloc());
  return e;
}

std::shared_ptr<Event> mailSentEvent(std::string project, std::string_view requestId, std::string_view relay,
                                     std::string_view messageId, const DecideContext& ctx) {
  auto e = answerTo(EventType::kMailSent, std::move(project), requestId, ctx);
  addString(*e, "relay", relay);
  addString(*e, "messageId", messageId);
  return e;
}

std::shared_ptr<Event> mailFailedEvent(std::string project, std::string_view requestId, const Error& error,
                                       const DecideContext& ctx) {
  auto e = answerTo(EventType::kMailFailed, std::move(project), requestId, ctx);
  addString(*e, "code", error.code);
  addString(*e, "error", error.message);
  return e;
}

}  // namespace wsd
