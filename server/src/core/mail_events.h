// A mail's way through the log as events: the gateway's mail.request (POST /mail), then
// the mailer's mail.accepted or mail.rejected, then mail.sent or mail.failed
// (schemas/events/mail.*.json). Laid out here once, so the gateway and the mailer only
// say which step happened and the layout is tested against the schemas without a relay.
//
// Every event has an empty `conn` and is decided at ctx.nowMs; the mailer's events name
// the mail.request they answer in `data.request`.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/decide.h"
#include "core/effects.h"
#include "core/event.h"
#include "core/mail_request.h"
#include "core/result.h"

namespace wsd {

// The limit a mail.request is decided under, recorded in it so a replay decides the same.
struct MailRateLimit {
  std::int64_t max = 0;       // accepted mails per token per window
  std::int64_t windowMs = 0;  // the window's length
};

// `token`: the project token the request was made with (the limit is counted per token).
std::shared_ptr<Event> mailRequestEvent(std::string project, std::string_view token, const MailRateLimit& limit,
                                        const mail::MailRequest& mail, const DecideContext& ctx);

// mail.accepted or mail.rejected, as `decision` says, for request `requestId`.
std::shared_ptr<Event> mailDecisionEvent(std::string project, std::string_view requestId, std::string_view token,
                                         const MailDecision& decision, const DecideContext& ctx);
// `relay`: "smtp" or "http"; `messageId`: what the relay called the mail.
std::shared_ptr<Event> mailSentEvent(std::string project, std::string_view requestId, std::string_view relay,
                                     std::string_view messageId, const DecideContext& ctx);
// `error`: why the mail did not go out (mail_relay_failed, mail_not_configured).
std::shared_ptr<Event> mailFailedEvent(std::string project, std::string_view requestId, const Error& error,
                                       const DecideContext& ctx);

}  // namespace wsd
