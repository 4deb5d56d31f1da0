#include "gateway/client_actions.h"

#include "core/client_message.h"

namespace wsd {

ActionOutcome handleClientMessage(GatewayContext& ctx, Session& session, std::string_view text, std::string* problem) {
  if (session.closing) return ActionOutcome::kClosed;
  switch (session.limiter().take(wallClockMs())) {
    case RateLimiter::Verdict::kAllow: break;
    case RateLimiter::Verdict::kWarn:
      *problem = "too many messages per second; slow down or the connection is closed";
      return ActionOutcome::kRateLimited;
    case RateLimiter::Verdict::kClose: session.close(1008, "rate_limited"); return ActionOutcome::kClosed;
  }
  auto message = parseClientMessage(text, ctx.schemas);
  ctx.metrics.messagesIn.add(message.ok() ? clientTypeName(message->type) : "invalid");
  if (!message.ok()) {
    if (message.error().code == "invalid_json") {
      *problem = message.error().message;
      return ActionOutcome::kInvalidJson;
    }
    session.send(server_message::error(message.error().code, message.error().message));
    return ActionOutcome::kHandled;
  }
  ConnectionView view{session.conn(), session.project(), session.uid};
  Decision decision = decide(*message, view, ctx.decideContext());
  switch (decision.kind) {
    case Decision::Kind::kPongReceived: session.pongReceived(); break;
    case Decision::Kind::kReply: session.send(decision.reply); break;
    case Decision::Kind::kAppend:
      if (!decision.boundUid.empty()) session.uid = decision.boundUid;
      ctx.pipeline.submit(std::move(decision.event));
      break;
  }
  return ActionOutcome::kHandled;
}

}  // namespace wsd
