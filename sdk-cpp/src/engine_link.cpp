// Connecting: rounds over the transports (fallback), what a lost link means (reconnect,
// or closed for good), and giving undelivered messages back to the outbound queue.
#include "engine.h"
#include "http_transport.h"
#include "transport_order.h"

namespace wsclient::detail {

void Engine::beginRound() {
  round_ = transportRound(options_.transports, lastWorked_);
  roundIndex_ = 0;
  startTransport();
}

// open() may end the link at once (listener calls inside it), which moves on to the next
// transport from within this call; nothing here runs after open().
void Engine::startTransport() {
  const TransportKind kind = round_[roundIndex_];
  std::unique_ptr<Transport> link = makeTransport(kind);
  if (!link) return attemptFailed(LinkEnd{1006, "libwebsockets could not make a client context", 0, {}, true});
  link_ = std::move(link);
  sessionUp_ = false;
  closedNotice_.reset();
  connectDeadline_ = Clock::now() + options_.connectTimeout;
  shared_.setWaker(link_.get());
  const bool resume = everConnected_ && kind == resumeKind_;
  link_->open(resume ? resumeToken_ : std::string());
}

std::unique_ptr<Transport> Engine::makeTransport(TransportKind kind) {
  switch (kind) {
    case TransportKind::kSse: return makeSseTransport(target_, *this);
    case TransportKind::kPoll: return makePollTransport(target_, *this);
    case TransportKind::kWebSocket: break;
  }
  if (!ws_) ws_ = WsContext::create(target_.secure);
  if (!ws_) return nullptr;
  return makeWsTransport(*ws_, target_, *this);
}

// A round's transport failed before its session came up: try the next, or wait and retry.
void Engine::attemptFailed(const LinkEnd& end) {
  if (fatalRefusal(end)) return closeForGood(end, false);
  if (++roundIndex_ < round_.size()) return startTransport();
  scheduleReconnect(end, false);
}

// The server said the options are wrong (bad project or token): retrying cannot help. Only
// SSE and poll can read the JSON body that says so; a refused WebSocket upgrade is fatal
// only when WebSocket is the one transport configured.
bool Engine::fatalRefusal(const LinkEnd& end) const {
  if (!end.handshake) return false;
  switch (end.refusal.code) {
    case ErrorCode::kBadRequest:
    case ErrorCode::kInvalidToken:
    case ErrorCode::kTokenExpired:
    case ErrorCode::kProjectNotFound: return true;
    default: break;
  }
  const bool wsOnly = options_.transports.size() == 1 && options_.transports[0] == TransportKind::kWebSocket;
  return wsOnly && (end.httpStatus == 400 || end.httpStatus == 401 || end.httpStatus == 404);
}

void Engine::scheduleReconnect(const LinkEnd& end, bool wasConnected) {
  if (!options_.reconnect.enabled || backoff_.exhausted()) return closeForGood(end, wasConnected);
  const std::chrono::milliseconds delay = backoff_.next();
  reconnectAt_ = Clock::now() + delay;
  setState(State::kReconnecting);
  emitDisconnected(end, wasConnected, true, delay);
}

// The engine ends the link itself (connect timeout, dead link): outside listener calls, so
// the transport can go at once.
void Engine::dropLink(const LinkEnd& end) {
  if (!link_) return;
  std::vector<Outgoing> unsent = link_->takeUnsent();
  if (sessionUp_) {
    resumeToken_ = link_->resumeToken();
    resumeKind_ = link_->kind();
  }
  shared_.setWaker(nullptr);
  link_.reset();
  handleLinkEnd(end, std::move(unsent));
}

void Engine::onLinkEnded(const LinkEnd& end, std::vector<Outgoing> unsent) {
  if (!link_) return;
  if (sessionUp_) {
    resumeToken_ = link_->resumeToken();
    resumeKind_ = link_->kind();
  }
  shared_.setWaker(nullptr);
  retired_.push_back(std::move(link_));  // we are inside its call: destroyed after service()
  handleLinkEnd(end, std::move(unsent));
}

void Engine::handleLinkEnd(LinkEnd end, std::vector<Outgoing> unsent) {
  if (closedNotice_) {  // SSE/poll: the server said why before the stream ended
    end.code = closedNotice_->code;
    end.reason = closedNotice_->reason;
    closedNotice_.reset();
  }
  requeue(std::move(unsent));
  sdkQueue_.clear();
  joinsOut_.clear();  // unanswered joins are asked again (or re-joined) on the next link
  pingsOut_ = 0;
  connectDeadline_.reset();
  const bool wasUp = sessionUp_;
  sessionUp_ = false;
  if (closing_) return finishClose(end, wasUp);
  if (!wasUp) return attemptFailed(end);
  if (!closeAllowsReconnect(end.code, end.reason)) return closeForGood(end, true);
  scheduleReconnect(end, true);
}

// Back to the front of the outbound queue, in order: the queries the server never answered
// (asked first), then the app messages the link never delivered. SDK messages are made
// again for the next link.
void Engine::requeue(std::vector<Outgoing> unsent) {
  std::vector<Outgoing> again;
  for (auto& item : unsent) {
    if (item.query) item.query->sent = false;
  }
  again = queries_.takeUnanswered();
  for (auto& item : unsent) {
    if (item.origin == Origin::kApp) again.push_back(std::move(item));
  }
  shared_.requeueFront(std::move(again));
}

}  // namespace wsclient::detail
