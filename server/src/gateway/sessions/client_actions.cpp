#include "gateway/sessions/client_actions.h"

#include <optional>

#include "core/client_message.h"
#include "core/error_codes.h"
#include "core/json.h"

namespace wsd {
namespace {

// A bind's exp/sig, checked against the project's settings as this gateway's projection
// holds them now (like the handshake's token check); decide() records the verdict.
DecideContext decideContextFor(GatewayContext& ctx, const Session& session, const ClientMessage& m) {
  DecideContext dc = ctx.decideContext();
  if (m.type != ClientType::kBind) return dc;
  auto project = ctx.state.project(session.project());
  if (!project) return dc;  // deleted meanwhile: the projector refuses what follows
  const std::string uid = json::string(m.body, "uid").value_or("");
  const auto sig = json::string(m.body, "sig");
  const BindClaim claim{uid, json::int64(m.body, "exp"), sig ? std::optional<std::string_view>(*sig) : std::nullopt};
  const auto& settings = project->settings;
  dc.bindSignature = verifyBind(claim, settings.signedBind, settings.validSecrets(dc.nowMs), dc.nowMs);
  return dc;
}

}  // namespace

ActionOutcome handleClientMessage(GatewayContext& ctx, Session& session, std::string_view text, std::string* problem,
                                  EventPipeline::Completion onLogged, BindLag lag) {
  if (session.closing || session.endLogged) return ActionOutcome::kClosed;
  // Parsed before the rate limit only where it may have to wait: a flood elsewhere is
  // refused before it costs a parse.
  std::optional<Result<ClientMessage>> parsed;
  if (lag == BindLag::kMayAwait && session.uid.empty() && session.uidMayTrail()) {
    parsed = parseClientMessage(text, ctx.schemas);
    if (parsed->ok() && needsBind((*parsed)->type)) return ActionOutcome::kAwaitBind;
  }
  switch (session.limiter().take(wallClockMs())) {
    case RateLimiter::Verdict::kAllow: break;
    case RateLimiter::Verdict::kWarn:
      *problem = "too many messages per second; slow down or the connection is closed";
      return ActionOutcome::kRateLimited;
    case RateLimiter::Verdict::kClose:
      session.close(error_codes::kRateLimited.closeCode, error_codes::kRateLimited.name);
      return ActionOutcome::kClosed;
  }
  if (!parsed) parsed = parseClientMessage(text, ctx.schemas);
  auto& message = *parsed;
  ctx.metrics.messagesIn.add(message.ok() ? static_cast<std::size_t>(message->type) : kClientTypeCount);
  if (!message.ok()) {
    if (message.error().code == error_codes::kInvalidJson.name) {
      *problem = message.error().message;
      return ActionOutcome::kInvalidJson;
    }
    session.send(server_message::error(message.error().code, message.error().message));
    return ActionOutcome::kHandled;
  }
  ConnectionView view{session.conn(), session.project(), session.uid};
  Decision decision = decide(*message, view, decideContextFor(ctx, session, *message));
  switch (decision.kind) {
    case Decision::Kind::kPongReceived: session.pongReceived(); break;
    case Decision::Kind::kReply: session.send(decision.reply); break;
    case Decision::Kind::kAppend:
      if (!decision.boundUid.empty()) session.uid = decision.boundUid;
      ctx.pipeline.submit(std::move(decision.event), std::move(onLogged));
      return ActionOutcome::kAppended;
  }
  return ActionOutcome::kHandled;
}

}  // namespace wsd
