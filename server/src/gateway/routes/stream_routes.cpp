#include "gateway/routes/stream_routes.h"

#include "core/error_codes.h"
#include "gateway/net/http_exchanges.h"
#include "gateway/routes/applied_answer.h"
#include "gateway/sessions/client_actions.h"
#include "gateway/sessions/poll_session.h"
#include "gateway/sessions/session_proof.h"
#include "gateway/sessions/sse_session.h"

namespace wsd {
namespace {

RateLimiter limiterFor(const GatewayContext& ctx) { return RateLimiter(ctx.options.rateLimit, ctx.options.rateBurst); }

std::unique_ptr<PollSession> newPollSession(StreamRoutes& routes, SessionIdentity identity) {
  return std::make_unique<PollSession>(std::move(identity), limiterFor(routes.ctx), routes.ctx.options,
                                       routes.ctx.sessionEnd(), routes.directory.sharedPollQueue(), wallClockMs());
}

HttpResponse refusalResponse(const Refusal& refusal) {
  return errorResponse(refusal.status, refusal.code, refusal.message);
}

int refuse(lws* wsi, const Refusal& refusal) { return writeResponse(wsi, refusalResponse(refusal)); }

// Where a route's answer goes: written now, or (for a request that waited, see
// awaited_sessions.h) when the connection is next writable.
struct Reply {
  lws* wsi;
  bool deferred = false;
  int operator()(HttpResponse response) const {
    if (!deferred) return writeResponse(wsi, response);
    respondLater(wsi, std::move(response));
    return 0;
  }
  int operator()(const Refusal& refusal) const { return (*this)(refusalResponse(refusal)); }
};

const Refusal kUnknownConn{404, error_codes::kUnknownConn.name,
                           "no session with that connId (open one with GET first)"};

std::string namedConn(const HttpRequest& request) { return claimedSession(request).conn; }

// A request naming a session not known here yet (or, with kBoundUid, not known bound)
// waits for it (once) if the directory says so, then `route` runs again; true if it waits.
template <typename Route>
bool awaitSession(StreamRoutes& routes, lws* wsi, HttpState& state, const Reply& reply, Route route,
                  SessionDirectory::Need need = SessionDirectory::Need::kSession) {
  auto conn = namedConn(state.request);
  if (reply.deferred || conn.empty() || !routes.directory.shouldAwait(conn, need)) return false;
  holdOpen(wsi);
  routes.directory.await(wsi, conn, need, wallClockMs(), [&routes, &state, route](lws* request) {
    route(routes, state, Reply{request, true});
  });
  return true;
}

// An SSE session that Last-Event-ID ("<connId>:<seq>") points at, if it is still there
// and belongs to the same project and token.
SseSession* resumable(GatewayContext& ctx, const HttpRequest& request, std::uint64_t& lastSeq) {
  auto lastEventId = parseLastEventId(request.lastEventId);
  if (!lastEventId) return nullptr;
  // Only the session's own client resumes it; any other request opens a session of its own.
  if (!provesOwnership(request, lastEventId->conn)) return nullptr;
  auto* session = dynamic_cast<SseSession*>(ctx.sessions.find(lastEventId->conn));
  if (session == nullptr || session->closing) return nullptr;
  if (!queryMatchesSession(request, session->project(), session->identity().token)) return nullptr;
  lastSeq = lastEventId->seq;
  return session;
}

// The session a POST or a poll GET names and proved it owns (session_proof.h), held here.
Session* namedSession(GatewayContext& ctx, const HttpRequest& request, Transport transport) {
  const SessionClaim claim = claimedSession(request);
  if (!claim.proven) return nullptr;
  Session* session = ctx.sessions.find(claim.conn);
  if (session == nullptr || session->identity().transport != transport) return nullptr;
  if (!queryMatchesSession(request, session->project(), session->identity().token)) return nullptr;
  return session;
}

// The same, held here or (as the directory knows) by another gateway.
Session* actingSession(StreamRoutes& routes, const HttpRequest& request, Transport transport) {
  if (Session* local = namedSession(routes.ctx, request, transport)) return local;
  const SessionClaim claim = claimedSession(request);
  if (!claim.proven) return nullptr;
  return routes.directory.heldElsewhere(claim.conn, transport, request, wallClockMs());
}

int takeShared(StreamRoutes& routes, lws* wsi, HttpState& state, const std::string& project, const std::string& conn,
               std::optional<HttpResponse> refusal,
               SessionDirectory::RefuseWhen refuseWhen = SessionDirectory::RefuseWhen::kNothingLeft) {
  holdOpen(wsi);
  state.pollConn = conn;
  routes.directory.takeShared(wsi, project, conn, std::move(refusal), refuseWhen, wallClockMs());
  return 0;
}

// Shared queues: a GET naming a session takes from its queue, on whichever gateway.
int pollSharedQueue(StreamRoutes& routes, HttpState& state, const Reply& reply) {
  GatewayContext& ctx = routes.ctx;
  const HttpRequest& request = state.request;
  if (auto refusal = refusalOf(claimedSession(request))) return reply(*refusal);
  std::string conn = namedConn(request);
  Session* session = actingSession(routes, request, Transport::kPoll);
  if (session == nullptr && awaitSession(routes, reply.wsi, state, reply, pollSharedQueue)) return 0;
  if (session == nullptr) {
    // Unknown: it may have just ended, leaving its final `closed` in the queue.
    std::string project(request.param("project"));
    if (project.empty()) return reply(kUnknownConn);
    return takeShared(routes, reply.wsi, state, project, conn, refusalResponse(kUnknownConn));
  }
  if (auto refusal = checkOrigin(ctx, session->project(), request)) return reply(*refusal);
  if (auto* held = dynamic_cast<PollSession*>(session)) held->markPolled(wallClockMs());
  // A token refused while the session is still open: this gateway read the revocation (or
  // saw the expiry) before the session's holder queued its `closed`, which is on its way.
  // The GET waits for it, so the client learns why it was closed, as on every transport.
  std::optional<HttpResponse> refusal;
  if (auto tokenRefusal = checkToken(ctx, session->project(), session->identity().token)) {
    refusal = refusalResponse(*tokenRefusal);
  }
  return takeShared(routes, reply.wsi, state, session->project(), conn, std::move(refusal),
                    SessionDirectory::RefuseWhen::kPollTimeout);
}

// Shared queues: a first GET opens a session held here, whose queue is shared.
int openSharedPoll(StreamRoutes& routes, lws* wsi, HttpState& state) {
  GatewayContext& ctx = routes.ctx;
  auto admitted = admit(ctx, state.request, Transport::kPoll);
  if (auto* refusal = std::get_if<Refusal>(&admitted)) return refuse(wsi, *refusal);
  auto* session =
      static_cast<PollSession*>(ctx.sessions.add(newPollSession(routes, std::get<Admitted>(admitted).identity)));
  announceOpen(ctx, *session);
  return takeShared(routes, wsi, state, session->project(), session->conn(), std::nullopt);
}

const HttpResponse kAccepted{200, R"({"status":"ok"})", "application/json", {}};

// The action a POST carries, for `session`. An action that becomes an event is answered
// once the log has it, so a client that waits for each answer before its next POST keeps
// its actions in order even when a balancer spreads its POSTs over several gateways. Its
// replies arrive on the session's stream. `retry` runs the route again after a wait.
template <typename Route>
int act(StreamRoutes& routes, HttpState& state, Session& session, const Reply& reply, Route retry) {
  GatewayContext& ctx = routes.ctx;
  const HttpRequest& request = state.request;
  if (auto refusal = checkOrigin(ctx, session.project(), request)) return reply(*refusal);
  if (auto refusal = checkToken(ctx, session.project(), session.identity().token)) return reply(*refusal);
  if (request.bodyTooLarge || request.body.size() > ctx.options.maxMessageBytes) {
    return reply(Refusal{413, error_codes::kMessageTooBig.name,
                         "message larger than " + std::to_string(ctx.options.maxMessageBytes) + " bytes"});
  }
  std::string problem;
  // A refused action is still logged: its refusal reaches the client on its stream.
  EventPipeline::Completion answerWhenLogged;
  if (ctx.exchanges != nullptr) {
    answerWhenLogged =
        answerWhenApplied(*ctx.exchanges, state.id, {[](const Effects&) { return kAccepted; }, {}, {}, {}});
  }
  // Only once: after the wait it is decided on what this gateway knows by then.
  const BindLag lag = reply.deferred || !routes.directory.sessionsMayTrail() ? BindLag::kDecideNow : BindLag::kMayAwait;
  switch (handleClientMessage(ctx, session, request.body, &problem, answerWhenLogged, lag)) {
    case ActionOutcome::kAwaitBind:
      awaitSession(routes, reply.wsi, state, reply, retry, SessionDirectory::Need::kBoundUid);
      return 0;
    case ActionOutcome::kAppended: return 0;
    case ActionOutcome::kHandled: break;
    case ActionOutcome::kInvalidJson: return reply(Refusal{400, error_codes::kInvalidJson.name, problem});
    case ActionOutcome::kRateLimited: return reply(Refusal{429, error_codes::kRateLimited.name, problem});
    case ActionOutcome::kClosed: return reply(Refusal{429, error_codes::kRateLimited.name, "the session is closing"});
  }
  return reply(kAccepted);
}

template <Transport transport>
int post(StreamRoutes& routes, HttpState& state, const Reply& reply) {
  if (auto refusal = refusalOf(claimedSession(state.request))) return reply(*refusal);
  Session* session = actingSession(routes, state.request, transport);
  if (session != nullptr) return act(routes, state, *session, reply, post<transport>);
  if (awaitSession(routes, reply.wsi, state, reply, post<transport>)) return 0;
  return reply(kUnknownConn);
}

}  // namespace

int openSseStream(GatewayContext& ctx, lws* wsi, HttpState& state) {
  const HttpRequest& request = state.request;
  std::uint64_t lastSeq = 0;
  SseSession* session = resumable(ctx, request, lastSeq);
  if (session == nullptr) {
    auto admitted = admit(ctx, request, Transport::kSse);
    if (auto* refusal = std::get_if<Refusal>(&admitted)) return refuse(wsi, *refusal);
    auto identity = std::get<Admitted>(admitted).identity;
    session = static_cast<SseSession*>(ctx.sessions.add(
        std::make_unique<SseSession>(identity, limiterFor(ctx), ctx.options, ctx.sessions.output(), ctx.sessionEnd())));
    announceOpen(ctx, *session);
  } else if (auto refusal = checkOrigin(ctx, session->project(), request)) {
    return refuse(wsi, *refusal);
  } else if (auto refusal = checkToken(ctx, session->project(), session->identity().token)) {
    return refuse(wsi, *refusal);
  }
  const std::vector<std::pair<std::string, std::string>> headers = {
      {"set-cookie", sessionCookie(session->identity().secret, request.secure)},
      {"x-accel-buffering", "no"},  // tell nginx not to buffer the stream
  };
  if (writeStreamHeaders(wsi, 200, "text/event-stream", headers) < 0) return -1;
  if (writeStreamChunk(wsi, "retry: 1000\n\n") < 0) return -1;
  holdOpen(wsi);
  // Keep reading: the client sends nothing more, so the only thing to read is its hang-up,
  // which ends (or starts the resume window of) the session at once.
  readForHangUp(wsi);
  state.sseConn = session->conn();
  session->attach(&state.sseStream.emplace(wsi), lastSeq);
  return 0;
}

HttpResponse unknownConnResponse() { return refusalResponse(kUnknownConn); }

int pollMessages(StreamRoutes& routes, lws* wsi, HttpState& state) {
  if (routes.directory.sharedPollQueue() != nullptr) {
    if (state.request.param("connId").empty()) return openSharedPoll(routes, wsi, state);
    return pollSharedQueue(routes, state, Reply{wsi});
  }
  GatewayContext& ctx = routes.ctx;
  const HttpRequest& request = state.request;
  PollSession* session = nullptr;
  if (request.param("connId").empty()) {
    auto admitted = admit(ctx, request, Transport::kPoll);
    if (auto* refusal = std::get_if<Refusal>(&admitted)) return refuse(wsi, *refusal);
    session =
        static_cast<PollSession*>(ctx.sessions.add(newPollSession(routes, std::get<Admitted>(admitted).identity)));
    announceOpen(ctx, *session);
  } else {
    if (auto refusal = refusalOf(claimedSession(request))) return refuse(wsi, *refusal);
    session = dynamic_cast<PollSession*>(namedSession(ctx, request, Transport::kPoll));
    if (session == nullptr)
      return refuse(wsi, {404, error_codes::kUnknownConn.name, "no polling session with that connId"});
    if (auto refusal = checkOrigin(ctx, session->project(), request)) return refuse(wsi, *refusal);
    // A closing session still hands out its final `closed` message, even if its token is gone.
    if (auto refusal =
            session->closing ? std::nullopt : checkToken(ctx, session->project(), session->identity().token)) {
      return refuse(wsi, *refusal);
    }
  }
  holdOpen(wsi);
  state.pollConn = session->conn();
  session->take(&state.pollRequest.emplace(wsi, state), wallClockMs());  // may answer at once, and end the session
  return 0;
}

int postAction(StreamRoutes& routes, lws* wsi, HttpState& state, Transport transport) {
  return transport == Transport::kSse ? post<Transport::kSse>(routes, state, Reply{wsi})
                                      : post<Transport::kPoll>(routes, state, Reply{wsi});
}

int writeSseStream(GatewayContext& ctx, HttpState& state) {
  auto* session = dynamic_cast<SseSession*>(ctx.sessions.find(state.sseConn));
  if (session == nullptr) return -1;
  return session->onWritable() == AfterWrite::kClose ? -1 : 0;
}

void releaseStreams(StreamRoutes& routes, lws* wsi, HttpState& state) {
  GatewayContext& ctx = routes.ctx;
  const std::int64_t now = wallClockMs();
  if (!state.sseConn.empty()) {
    auto* session = dynamic_cast<SseSession*>(ctx.sessions.find(state.sseConn));
    if (session != nullptr && state.sseStream) session->detach(&*state.sseStream, now);
    state.sseConn.clear();
  }
  routes.directory.releaseWaiting(wsi);
  if (!state.pollConn.empty()) {
    const bool sharedQueueHeldIt = routes.directory.releaseSharedPoll(wsi);
    auto* session = sharedQueueHeldIt ? nullptr : dynamic_cast<PollSession*>(ctx.sessions.find(state.pollConn));
    if (session != nullptr) session->release(state.pollRequest ? &*state.pollRequest : nullptr, now);
    state.pollConn.clear();
  }
}

}  // namespace wsd
