#include "gateway/net/server.h"

#include <cstdio>
#include <cstring>

#include "core/error_codes.h"
#include "core/http_framing.h"
#include "core/websocket_rules.h"
#include "gateway/net/connection_state.h"
#include "gateway/net/lws_ws_transport.h"
#include "gateway/net/ws_compression.h"
#include "gateway/routes/stream_routes.h"
#include "gateway/sessions/client_actions.h"
#include "gateway/sessions/ws_session.h"
#include "logging/logger.h"

namespace wsd {
namespace {

GatewayServer* serverOf(lws* wsi) { return static_cast<GatewayServer*>(lws_context_user(lws_get_context(wsi))); }

// Whether the request is dispatched only once its body is in.
bool expectsBody(const HttpRequest& request, const http::BodyFraming& framing) {
  if (request.method != "POST" && request.method != "PATCH" && request.method != "PUT") return false;
  return framing.kind == http::BodyFraming::Kind::kChunked || framing.length > 0;
}

// Answers a request whose bytes cannot be trusted to say where the next request starts
// (a head cut short, a body of unknown length), then closes the connection.
int answerAndClose(lws* wsi, const HttpResponse& response) {
  writeResponse(wsi, response, false);
  return -1;
}

// Heartbeat of mode=long: ping every interval; two unanswered pings close with 4000.
void heartbeat(Session& session, std::int64_t now, std::int64_t intervalMs) {
  if (session.identity().mode != Mode::kLong || session.closing || !session.opened) return;
  if (session.nextPingAtMs == 0) session.nextPingAtMs = now + intervalMs;
  if (now < session.nextPingAtMs) return;
  if (session.unansweredPings >= 2) {
    session.close(error_codes::kHeartbeatTimeout.closeCode, error_codes::kHeartbeatTimeout.name);
    return;
  }
  session.send(server_message::ping());
  ++session.unansweredPings;
  session.nextPingAtMs = now + intervalMs;
}

// No idle check of libwebsockets' own (secs_since_valid_* zero): see start().
constexpr lws_retry_bo_t kNoIdleCheck{};

// How long an admin change may wait for the log to hand its event back.
constexpr std::int64_t kConfirmTimeoutMs = 15000;

constexpr lws_protocols kProtocols[] = {
    {"wsd", nullptr, sizeof(PerConnection), 65536, 0, nullptr, 0},
    {nullptr, nullptr, 0, 0, 0, nullptr, 0},
};

}  // namespace

std::size_t deflateThresholdOf(lws_context* context) {
  const auto* server = static_cast<const GatewayServer*>(lws_context_user(context));
  return server == nullptr ? 0 : server->deflateThreshold();
}

GatewayServer::~GatewayServer() {
  closeConnections();
  if (passEnd_ != nullptr) event_free(passEnd_);
}

void GatewayServer::closeConnections() {
  // libwebsockets' closing callbacks may still end a pass: the loop outlives the context.
  if (context_ != nullptr) lws_context_destroy(context_);
  context_ = nullptr;
}

// libwebsockets' own notices, in wsd's log at the matching level (without lws's newline).
static void logFromLws(int level, const char* line) {
  std::string_view text(line);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  const auto ours = level == LLL_ERR      ? logging::Level::kError
                    : level == LLL_WARN   ? logging::Level::kWarn
                    : level == LLL_NOTICE ? logging::Level::kInfo
                                          : logging::Level::kDebug;
  logging::write(ours, "libwebsockets: " + std::string(text));
}

Status GatewayServer::listen() {
  // Notices only when asked for: libwebsockets is chatty below warnings (and its build
  // has nothing below notices, cmake/libwebsockets.cmake).
  lws_set_log_level(LLL_ERR | LLL_WARN | (logging::enabled(logging::Level::kDebug) ? LLL_NOTICE : 0), logFromLws);
  static lws_protocols protocols[2];
  protocols[0] = kProtocols[0];
  protocols[0].callback = &GatewayServer::onCallback;
  // Each WebSocket connection holds a receive buffer of this size for as long as it is
  // open, and libwebsockets reads at most that much from a socket per loop pass. Without
  // compression a longer client message arrives in pieces that onReceive joins; with it,
  // permessage-deflate needs a whole message per pass (ws_compression.h). 512 bytes
  // halve an idle connection's memory, but a client sending many messages a second to
  // thousands of others (a broadcast publisher) then falls behind (docs/performance.md).
  if (!ctx_.options.wsDeflate) protocols[0].rx_buffer_size = ctx_.options.wsReceiveBuffer;
  protocols[1] = kProtocols[1];

  passEnd_ = event_new(
      loop_, -1, 0, [](evutil_socket_t, short, void* self) { static_cast<GatewayServer*>(self)->onPassEnd(); }, this);
  foreignLoops_[0] = loop_;

  lws_context_creation_info info;
  std::memset(&info, 0, sizeof(info));
  info.port = ctx_.options.listenPort;
  info.iface = ctx_.options.listenHost.c_str();
  info.protocols = protocols;
  info.user = this;
  // On the gateway's libevent loop (epoll), not libwebsockets' own poll(2) over every socket.
  info.options = LWS_SERVER_OPTION_VALIDATE_UTF8 | LWS_SERVER_OPTION_LIBEVENT;
  info.foreign_loops = foreignLoops_;
  info.count_threads = 1;
  info.timeout_secs = 20;
  info.keepalive_timeout = 60;
  // Peers that vanish (a host switched off, a network gone) are found by the kernel, at
  // no cost to the loop: TCP keepalive probes an idle connection after 5 minutes, and a
  // connection whose data or probes go unacknowledged for 5.5 minutes is closed
  // (TCP_USER_TIMEOUT). libwebsockets' own idle check does the same with a WebSocket ping
  // but keeps one timer per connection in a sorted list that every new connection walks
  // to its end: it made opening N connections cost O(N²).
  info.retry_and_idle_policy = &kNoIdleCheck;
  info.ka_time = 300;
  info.ka_interval = 10;
  info.ka_probes = 3;
  info.max_http_header_data = kHeaderSpaceBytes;
  info.token_limits = headerTokenLimits();
  info.extensions = wsExtensions(ctx_.options.wsDeflate);
  context_ = lws_create_context(&info);
  if (context_ == nullptr) {
    return makeError("listen_failed", "cannot listen on " + ctx_.options.listenHost + ":" +
                                          std::to_string(ctx_.options.listenPort) + " (address in use, or not local?)");
  }
  port_ = lws_get_vhost_listen_port(lws_get_vhost_by_name(context_, "default"));
  scheduleTick();
  return okStatus();
}

void GatewayServer::run(const std::atomic<bool>& stop) {
  stop_ = &stop;
  // A stop signalled before this point has woken the loop already: its first pass ends it.
  endPassSoon();
  event_base_dispatch(loop_);
}

// The signal handler: libwebsockets' cancel pipe wakes the loop, which then runs
// LWS_CALLBACK_EVENT_WAIT_CANCELLED and ends that pass.
void GatewayServer::wake() {
  if (context_ != nullptr) lws_cancel_service(context_);
}

void GatewayServer::endPassSoon() { event_active(passEnd_, EV_TIMEOUT, 0); }

void GatewayServer::applySoon() { endPassSoon(); }

// What the pass's callbacks committed is applied once the pass is over, not after each
// callback: the messages of several clients read in one pass then reach a subscriber in
// one write. The log commits on this thread (inside a callback for the embedded log;
// from the loop's own events for Kafka and the fsync thread's hand-back), and so do the
// replies the session directory has from Redis: all of it is taken here, then written.
void GatewayServer::onPassEnd() {
  ctx_.pipeline.drainCommitted();
  directory_.onPassEnd();
  afterCallback();
  if (stop_ != nullptr && stop_->load()) event_base_loopbreak(loop_);
}

int GatewayServer::onCallback(lws* wsi, lws_callback_reasons reason, void* user, void* in, std::size_t len) {
  GatewayServer* server = serverOf(wsi);
  if (server == nullptr) return lws_callback_http_dummy(wsi, reason, user, in, len);
  int result = server->handle(wsi, reason, user, in, len);
  server->afterCallback();
  server->endPassSoon();
  return result;
}

// What every callback and timer leaves for its end: the messages it queued go out, then
// the sessions it ended are freed.
void GatewayServer::afterCallback() {
  ctx_.sessions.pendingWrites().flush();
  ctx_.sessions.collectGarbage();
}

int GatewayServer::handle(lws* wsi, lws_callback_reasons reason, void* user, void* in, std::size_t len) {
  auto* pc = static_cast<PerConnection*>(user);
  switch (reason) {
    case LWS_CALLBACK_EVENT_WAIT_CANCELLED:
      return 0;  // wake(): the pass's end looks at `stop`
    // ---- WebSocket ----
    // `user` is still null here: libwebsockets binds the protocol's memory after the upgrade.
    case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE: return onUpgradeRequest(wsi);
    case LWS_CALLBACK_ESTABLISHED: return onEstablished(wsi, *pc);
    case LWS_CALLBACK_RECEIVE: return onReceive(wsi, *pc, static_cast<const char*>(in), len);
    case LWS_CALLBACK_SERVER_WRITEABLE: return pc->ws != nullptr && pc->ws->onWritable() == AfterWrite::kClose ? -1 : 0;
    case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE: onPeerClose(pc, static_cast<unsigned char*>(in), len); return 0;
    case LWS_CALLBACK_CLOSED: onWsClosed(wsi, *pc); return 0;
    // ---- HTTP ----
    case LWS_CALLBACK_HTTP: return onHttpRequest(wsi, *pc, static_cast<const char*>(in));
    case LWS_CALLBACK_HTTP_BODY: return onHttpBody(wsi, *pc, static_cast<const char*>(in), len);
    case LWS_CALLBACK_HTTP_BODY_COMPLETION:
      if (pc->http == nullptr) return -1;
      return pc->http->bodyComplete ? 0 : dispatch(wsi, *pc->http);
    case LWS_CALLBACK_HTTP_WRITEABLE: return onHttpWritable(wsi, *pc);
    case LWS_CALLBACK_CLOSED_HTTP:
      admittedUpgrades_.erase(wsi);
      if (pc != nullptr) releaseHttp(wsi, *pc);
      return 0;
    case LWS_CALLBACK_HTTP_DROP_PROTOCOL:
      if (pc != nullptr) releaseHttp(wsi, *pc);
      return 0;
    default: return 0;
  }
}

// ---- WebSocket ------------------------------------------------------------------------

int GatewayServer::onUpgradeRequest(lws* wsi) {
  if (auto tooLarge = oversizedHead(wsi)) return answerAndClose(wsi, *tooLarge);
  HttpRequest request = readRequest(wsi, headerValue(wsi, WSI_TOKEN_GET_URI));
  if (request.path != "/ws") {
    writeResponse(wsi, errorResponse(404, error_codes::kNotFound.name, "WebSocket endpoint is /ws"), false);
    return 1;
  }
  // Checked here, before libwebsockets completes the upgrade: it accepts any version and
  // key, and drops the connection unanswered on a subprotocol it does not have.
  const std::string version = headerValue(wsi, WSI_TOKEN_VERSION);
  const std::string key = headerValue(wsi, WSI_TOKEN_KEY);
  const std::string subprotocols = headerValue(wsi, WSI_TOKEN_PROTOCOL);
  if (auto refusal = websocket::checkUpgrade({version, key, subprotocols})) {
    HttpResponse response = errorResponse(refusal->status, refusal->code, refusal->message);
    if (refusal->status == 426) response.headers.emplace_back("Sec-WebSocket-Version", websocket::kVersion);
    writeResponse(wsi, response, false);
    return 1;
  }
  auto admitted = admit(ctx_, request, Transport::kWebSocket);
  if (auto* refusal = std::get_if<Refusal>(&admitted)) {
    writeResponse(wsi, errorResponse(refusal->status, refusal->code, refusal->message), false);
    return 1;
  }
  admittedUpgrades_.insert_or_assign(wsi, std::get<Admitted>(std::move(admitted)));
  return 0;
}

int GatewayServer::onEstablished(lws* wsi, PerConnection& pc) {
  auto admitted = admittedUpgrades_.find(wsi);
  if (admitted == admittedUpgrades_.end()) return -1;
  const bool compressed = tuneCompression(wsi);
  auto session = std::make_unique<WsSession>(
      admitted->second.identity, RateLimiter(ctx_.options.rateLimit, ctx_.options.rateBurst),
      std::make_unique<LwsWsTransport>(wsi), ctx_.sessions.pendingWrites(), compressed);
  admittedUpgrades_.erase(admitted);
  pc.ws = session.get();
  ctx_.sessions.add(std::move(session));
  announceOpen(ctx_, *pc.ws);
  return 0;
}

int GatewayServer::onReceive(lws* wsi, PerConnection& pc, const char* data, std::size_t len) {
  if (pc.ws == nullptr) return -1;
  auto refuse = [&](lws_close_status code, const std::string& reason) {
    pc.ws->noteAbort(code, reason);
    lws_close_reason(wsi, code, reinterpret_cast<unsigned char*>(const_cast<char*>(reason.data())), reason.size());
    return -1;
  };
  if (lws_frame_is_binary(wsi)) return refuse(LWS_CLOSE_STATUS_UNACCEPTABLE_OPCODE, "binary frames are not supported");
  if (pc.rx == nullptr) pc.rx = new std::string;
  // The frame's announced length counts, so a message too big is refused at its first
  // bytes, not after the server has read (and held) the whole of it.
  if (websocket::exceedsMessageLimit(pc.rx->size() + len, lws_remaining_packet_payload(wsi),
                                     ctx_.options.maxMessageBytes)) {
    return refuse(LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE, error_codes::kMessageTooBig.name);
  }
  pc.rx->append(data, len);
  if (!lws_is_final_fragment(wsi) || lws_remaining_packet_payload(wsi) > 0) return 0;
  std::string text;
  text.swap(*pc.rx);
  std::string problem;
  switch (handleClientMessage(ctx_, *pc.ws, text, &problem)) {
    case ActionOutcome::kInvalidJson:
      pc.ws->send(server_message::error(error_codes::kInvalidJson.name, problem));
      break;
    case ActionOutcome::kRateLimited:
      pc.ws->send(server_message::error(error_codes::kRateLimited.name, problem));
      break;
    default: break;
  }
  return 0;
}

// libwebsockets echoes the Close payload `in` once this returns (RFC 6455 §5.5.1), so a
// code a peer may not send is overwritten there with 1002: the echo is then the protocol
// error's close, and the session ends with it.
void GatewayServer::onPeerClose(PerConnection* pc, unsigned char* payload, std::size_t len) {
  if (len < 2) {  // a close without a code: 1005, "no status received" (RFC 6455 §7.1.5)
    if (pc != nullptr && pc->ws != nullptr) pc->ws->notePeerClose(LWS_CLOSE_STATUS_NO_STATUS);
    return;
  }
  int code = payload[0] << 8 | payload[1];
  if (!websocket::isReceivableCloseCode(code)) {
    code = LWS_CLOSE_STATUS_PROTOCOL_ERR;
    payload[0] = static_cast<unsigned char>(code >> 8);
    payload[1] = static_cast<unsigned char>(code & 0xff);
  }
  if (pc != nullptr && pc->ws != nullptr) pc->ws->notePeerClose(code);
}

void GatewayServer::onWsClosed(lws* wsi, PerConnection& pc) {
  admittedUpgrades_.erase(wsi);
  if (pc.ws != nullptr) {
    WsSession* session = pc.ws;
    pc.ws = nullptr;
    ctx_.endSession(*session, session->closeCode(), session->closeReason());
  }
  delete pc.rx;
  pc.rx = nullptr;
}

// ---- HTTP -----------------------------------------------------------------------------

int GatewayServer::onHttpRequest(lws* wsi, PerConnection& pc, const char* path) {
  releaseHttp(wsi, pc);  // a kept-alive connection starts its next request
  if (auto tooLarge = oversizedHead(wsi)) return answerAndClose(wsi, *tooLarge);
  // libwebsockets reads a body by the first Content-Length alone; one decision here, so
  // that no proxy in front can have read the request's end elsewhere.
  auto framing = http::requestFraming(headerValue(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH),
                                      headerValue(wsi, WSI_TOKEN_HTTP_TRANSFER_ENCODING));
  if (!framing.ok()) return answerAndClose(wsi, errorResponse(400, framing.error().code, framing.error().message));
  pc.http = new HttpState;
  pc.http->id = exchanges_.open(wsi);
  pc.http->request = readRequest(wsi, path);
  if (pc.http->request.method == "OPTIONS") {  // CORS preflight
    return writeResponse(wsi, preflightResponse(ctx_, pc.http->request));
  }
  if (expectsBody(pc.http->request, *framing)) {
    if (framing->kind == http::BodyFraming::Kind::kChunked) {
      pc.http->chunked.emplace();
      pc.http->closeAfterAnswer = true;
    }
    return 0;  // dispatched once the body is in (onHttpBody, LWS_CALLBACK_HTTP_BODY_COMPLETION)
  }
  return dispatch(wsi, *pc.http);
}

namespace {

void appendBounded(HttpRequest& request, std::string_view data, std::size_t limit) {
  if (request.body.size() + data.size() > limit)
    request.bodyTooLarge = true;
  else
    request.body.append(data);
}

}  // namespace

int GatewayServer::onHttpBody(lws* wsi, PerConnection& pc, const char* data, std::size_t len) {
  if (pc.http == nullptr) return -1;
  HttpState& state = *pc.http;
  if (state.bodyComplete) return 0;
  const std::size_t limit = std::max<std::size_t>(ctx_.options.maxMessageBytes, 65536);
  if (!state.chunked) {
    appendBounded(state.request, {data, len}, limit);
    return 0;
  }
  std::string decoded;
  const auto progress = state.chunked->feed({data, len}, decoded);
  appendBounded(state.request, decoded, limit);
  if (progress == http::ChunkedDecoder::Progress::kMalformed) {
    return answerAndClose(wsi,
                          errorResponse(400, error_codes::kBadRequest.name, "the chunked request body is malformed"));
  }
  if (progress == http::ChunkedDecoder::Progress::kNeedMore && !state.request.bodyTooLarge) return 0;
  // libwebsockets, knowing no length, would wait for more: the decoder says it is all in.
  state.bodyComplete = true;
  return dispatch(wsi, state);
}

int GatewayServer::dispatch(lws* wsi, HttpState& state) {
  LwsExchange exchange(wsi, state, exchanges_);
  return routes_.dispatch(exchange);
}

int GatewayServer::onHttpWritable(lws* wsi, PerConnection& pc) {
  if (pc.http == nullptr) return 0;
  if (pc.http->response) {
    HttpResponse response = std::move(*pc.http->response);
    pc.http->response.reset();
    return writeResponse(wsi, response);
  }
  if (!pc.http->sseConn.empty()) return writeSseStream(ctx_, *pc.http);
  if (adminStream_.holds(wsi)) return adminStream_.onWritable(wsi);
  return 0;
}

void GatewayServer::releaseHttp(lws* wsi, PerConnection& pc) {
  if (pc.http == nullptr) return;
  releaseStreams(streams_, wsi, *pc.http);
  adminStream_.release(wsi);
  exchanges_.close(pc.http->id);
  delete pc.http;
  pc.http = nullptr;
}

// ---- the tick -------------------------------------------------------------------------

void GatewayServer::scheduleTick() {
  const std::int64_t periodMs = std::clamp<std::int64_t>(ctx_.options.heartbeatMs / 4, 10, 250);
  lws_sul_schedule(
      context_, 0, &tickTimer_.sul,
      [](lws_sorted_usec_list_t* sul) {
        GatewayServer* self = reinterpret_cast<TickTimer*>(sul)->owner;
        self->tick();
        self->afterCallback();
        self->endPassSoon();
        self->scheduleTick();
      },
      periodMs * LWS_US_PER_MS);
}

// O(sessions) per tick; a tick is at most four times a second.
void GatewayServer::tick() {
  const std::int64_t now = wallClockMs();
  const bool sweepTokens = now - lastTokenSweepMs_ >= 1000;
  if (sweepTokens) {
    lastTokenSweepMs_ = now;
    ctx_.pipeline.expireCompletions(now, kConfirmTimeoutMs);
    liveness_.tick(now);
    changeAcks_.tick(now);
    ctx_.sessions.output().trimIfDrained();
    mail_.tick(now);
    adminStream_.tick(now);
    directory_.sweep(now);
  }
  directory_.tick(now);
  if (sweepTokens && tokenExpiry_.due(now, ctx_.sessions.openedCount())) closeExpiredTokens(now);
  ctx_.sessions.forEachTicking([&](Session& session) {
    ctx_.sessions.output().check(session);
    heartbeat(session, now, ctx_.options.heartbeatMs);
    if (session.ended) return;  // ended over its budget, or by the heartbeat
    session.onTick(now);        // may destroy the session: nothing after this
  });
}

// O(sessions), when the token expiry watch says a token may have expired.
void GatewayServer::closeExpiredTokens(std::int64_t now) {
  tokenExpiry_.sweepBegins(ctx_.sessions.openedCount());
  ctx_.sessions.forEach([&](Session& session) {
    if (session.closing) return;
    auto token = ctx_.state.token(session.project(), session.identity().token);
    if (!token) return;
    if (token->validAt(now) || !session.opened) {
      tokenExpiry_.sawExpiry(token->expiresAt);  // an expired one not yet opened: next time
      return;
    }
    session.close(error_codes::kTokenExpired.closeCode, error_codes::kTokenExpired.name);
  });
}

}  // namespace wsd
