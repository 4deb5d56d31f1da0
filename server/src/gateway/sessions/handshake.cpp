#include "gateway/sessions/handshake.h"

#include "core/connection_events.h"
#include "core/error_codes.h"
#include "core/session_secret.h"
#include "gateway/sessions/origin_policy.h"
#include "logging/logger.h"

namespace wsd {

std::optional<Refusal> checkToken(const GatewayContext& ctx, const std::string& project, const std::string& token) {
  if (!ctx.state.project(project))
    return Refusal{404, error_codes::kProjectNotFound.name, "no project '" + project + "'"};
  auto record = ctx.state.token(project, token);
  if (!record) return Refusal{401, error_codes::kInvalidToken.name, "the token is not valid for this project"};
  if (!record->validAt(wallClockMs())) return Refusal{401, error_codes::kTokenExpired.name, "the token has expired"};
  return std::nullopt;
}

namespace {

// The project's own rules (its settings, as this gateway's projection has them): the
// Origin allowlist, and the connection cap counted over every gateway's sessions. The
// projector enforces the cap again at conn.open's place in the log, where connections
// admitted at once on several gateways are told apart.
std::optional<Refusal> checkProjectRules(const GatewayContext& ctx, const std::string& project,
                                         const HttpRequest& request) {
  auto record = ctx.state.project(project);
  if (!record) return std::nullopt;  // checkToken has answered
  const auto& settings = record->settings;
  if (auto refusal = checkOrigin(ctx, project, request)) return refusal;
  // O(connections of the project), paid only by projects with a cap.
  if (settings.maxConnections > 0 &&
      static_cast<std::int64_t>(ctx.state.connsOfProject(project).size()) >= settings.maxConnections) {
    return Refusal{429, error_codes::kTooManyConnections.name,
                   "the project has as many connections as its settings allow"};
  }
  return std::nullopt;
}

}  // namespace

std::optional<Refusal> checkOrigin(const GatewayContext& ctx, const std::string& project, const HttpRequest& request) {
  auto record = ctx.state.project(project);
  if (!record || originAllowed(request.origin, record->settings.allowedOrigins)) return std::nullopt;
  return Refusal{403, error_codes::kOriginNotAllowed.name,
                 "the project does not accept requests from origin '" + request.origin + "'"};
}

HttpResponse preflightResponse(const GatewayContext& ctx, const HttpRequest& request) {
  const std::string project = request.param("project");
  if (!project.empty()) {
    if (auto refusal = checkOrigin(ctx, project, request)) {
      return errorResponse(refusal->status, refusal->code, refusal->message);
    }
  }
  return HttpResponse{204, "", "text/plain", {{"access-control-max-age", "600"}}};
}

std::variant<Admitted, Refusal> admit(GatewayContext& ctx, const HttpRequest& request, Transport transport) {
  auto project = request.param("project");
  auto token = request.param("token");
  auto mode = request.param("mode");
  if (project.empty() || token.empty()) {
    return Refusal{400, error_codes::kBadRequest.name, "query parameters 'project' and 'token' are required"};
  }
  if (!mode.empty() && mode != "short" && mode != "long") {
    return Refusal{400, error_codes::kBadRequest.name, "mode must be 'short' or 'long'"};
  }
  if (auto refusal = checkToken(ctx, project, token)) return *refusal;
  if (auto refusal = checkProjectRules(ctx, project, request)) return *refusal;
  if (ctx.sessions.countInProject(project) >= ctx.options.connsPerProject) {
    return Refusal{429, error_codes::kTooManyConnections.name, "the project has as many connections as allowed"};
  }
  Admitted admitted;
  // Every session's connId names a secret (core/session_secret.h); only SSE and polling
  // sessions keep it, since only their requests arrive apart from their stream.
  auto keys = newSessionKeys();
  admitted.identity.conn = std::move(keys.conn);
  if (transport != Transport::kWebSocket) admitted.identity.secret = std::move(keys.secret);
  admitted.identity.project = project;
  admitted.identity.token = token;
  admitted.identity.transport = transport;
  admitted.identity.mode = mode == "long" ? Mode::kLong : Mode::kShort;
  return admitted;
}

HttpResponse plainWsGetResponse(GatewayContext& ctx, const HttpRequest& request) {
  auto admitted = admit(ctx, request, Transport::kWebSocket);
  if (const auto* refusal = std::get_if<Refusal>(&admitted)) {
    return errorResponse(refusal->status, refusal->code, refusal->message);
  }
  return errorResponse(426, error_codes::kUpgradeRequired.name,
                       "/ws takes a WebSocket upgrade (the project and token are accepted)");
}

void announceOpen(GatewayContext& ctx, const Session& session) {
  const auto& id = session.identity();
  const ConnectionOpening opening{transportName(id.transport), id.mode == Mode::kLong ? "long" : "short", id.token};
  ctx.pipeline.submit(connOpenEvent(id.project, id.conn, opening, ctx.decideContext()));
  // Checked first: the fields are copied strings, and every connection opens and ends.
  if (logging::enabled(logging::Level::kDebug)) {
    logging::debug("session opened",
                   {{"project", id.project}, {"conn", id.conn}, {"transport", transportName(id.transport)}});
  }
}

void GatewayContext::logSessionEnd(Session& session, int code, const std::string& reason,
                                   EventPipeline::Completion applied) {
  if (session.endLogged) return;
  session.endLogged = true;
  if (session.spilling() && !session.uid.empty()) sessions.noteLeaving(session.conn(), session.project());
  if (logging::enabled(logging::Level::kDebug)) {
    logging::debug("session ended", {{"project", session.project()},
                                     {"conn", session.conn()},
                                     {"uid", session.uid},
                                     {"code", std::to_string(code)},
                                     {"reason", reason}});
  }
  pipeline.submit(connCloseEvent(session.project(), session.conn(), code, reason, decideContext()), std::move(applied));
  countDisconnect(metrics, code, reason);
}

void GatewayContext::endSession(Session& session, int code, const std::string& reason) {
  logSessionEnd(session, code, reason);
  sessions.remove(session.conn());
}

}  // namespace wsd
