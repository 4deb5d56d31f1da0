// The engine's loop: take what callers queued, run due timers, write what the link can
// take, then wait in the link's service() (or, with no link, on SharedState) until the
// next deadline or a wake-up.
#include "engine.h"

#include <algorithm>
#include <random>

#include "client_messages.h"

namespace wsclient::detail {
namespace {

constexpr std::chrono::milliseconds kLongestWait{60000};

std::uint64_t randomSeed() {
  std::random_device device;
  return (static_cast<std::uint64_t>(device()) << 32) ^ device();
}

}  // namespace

Engine::Engine(const Options& options, const Handlers& handlers, SharedState& shared, const ServerUrl& url)
    : options_(options),
      handlers_(handlers),
      shared_(shared),
      backoff_(options.reconnect, randomSeed()),
      watch_(options.heartbeat),
      recentIds_(options.dedupeWindow) {
  target_.origin = httpOrigin(url);
  target_.host = hostHeader(url);
  target_.address = url.host;
  target_.port = url.port;
  target_.secure = url.secure;
  target_.prefix = url.prefix;
  target_.query = sessionQuery(options.project, options.token, options.mode);
  target_.connectTimeout = options.connectTimeout;
  target_.requestTimeout = options.requestTimeout;
}

Engine::~Engine() {
  shared_.setWaker(nullptr);
  link_.reset();
  retired_.clear();
  ws_.reset();  // after every WebSocket link
}

void Engine::run() {
  setState(State::kConnecting);
  beginRound();
  while (state_ != State::kClosed) {
    takeIntake();
    runTimers(Clock::now());
    if (state_ == State::kClosed) break;
    pump();
    maybeSendClose();
    const auto now = Clock::now();
    const auto wait = std::clamp(std::chrono::duration_cast<std::chrono::milliseconds>(nextDeadline(now) - now),
                                 std::chrono::milliseconds(0), kLongestWait);
    if (link_) {
      link_->service(wait);
      flushAcks();  // one ack for the stored messages that service() delivered
    } else {
      shared_.wait(now + wait);
    }
    retired_.clear();
  }
  drainOnExit();
  shared_.publishState(State::kClosed);  // after the drain: waitClosed() means all is reported
}

void Engine::takeIntake() {
  SharedState::Intake intake = shared_.takeIntake();
  for (auto& query : intake.queries) queries_.add(std::move(query));
  for (auto& item : intake.dropped) {
    if (item.query) item.query->fail(Status{ErrorCode::kQueueFull, "dropped from a full outbound queue"});
    if (handlers_.onDropped) handlers_.onDropped(Dropped{Dropped::Reason::kOverflow, std::move(item.text)});
  }
  if (intake.close) beginClose();
}

void Engine::runTimers(Clock::time_point now) {
  queries_.expire(now);
  if (closeDeadline_ && now >= *closeDeadline_) {
    return finishClose(LinkEnd{1000, "closed by the client", 0, {}, false}, sessionUp_);
  }
  if (connectDeadline_ && now >= *connectDeadline_) {
    connectDeadline_.reset();
    return dropLink(LinkEnd{1006, "no `connected` within the connect timeout", 0, {}, true});
  }
  if (reconnectAt_ && now >= *reconnectAt_) {
    reconnectAt_.reset();
    return beginRound();
  }
  if (!sessionUp_) return;
  switch (watch_.check(now)) {
    case LinkWatch::Action::kPing: sendPing(); break;
    case LinkWatch::Action::kDead:
      dropLink(LinkEnd{1006, "dead link: nothing heard after a ping", 0, {}, false});
      break;
    case LinkWatch::Action::kNone: break;
  }
}

Clock::time_point Engine::nextDeadline(Clock::time_point now) const {
  Clock::time_point next = now + kLongestWait;
  auto consider = [&next](std::optional<Clock::time_point> at) {
    if (at && *at < next) next = *at;
  };
  consider(queries_.nextDeadline());
  consider(connectDeadline_);
  consider(reconnectAt_);
  consider(closeDeadline_);
  if (sessionUp_) consider(watch_.nextDeadline());
  return next;
}

// SDK messages first; app messages only once the session is up (its restore queued ahead).
void Engine::pump() {
  while (link_ && link_->canWrite()) {
    if (!sdkQueue_.empty()) {
      link_->write(Outgoing{std::move(sdkQueue_.front()), Origin::kSdk, Intent::kNone, "", nullptr});
      sdkQueue_.pop_front();
      continue;
    }
    if (!sessionUp_) return;
    std::optional<Outgoing> item = shared_.pop();
    if (!item) return;
    if (item->query && item->query->done) continue;  // timed out while it waited
    if (item->query) item->query->sent = true;
    remember(*item);
    link_->write(std::move(*item));
  }
}

// What a new session must get back: the last bind, the rooms joined and not left.
void Engine::remember(const Outgoing& item) {
  switch (item.intent) {
    case Intent::kBind:
      boundUid_ = item.subject;
      bindText_ = item.text;
      break;
    case Intent::kJoinRoom:
      if (std::find(rooms_.begin(), rooms_.end(), item.subject) == rooms_.end()) rooms_.push_back(item.subject);
      joinsOut_.push_back(JoinOut{item.subject, item.query ? item.query->since : std::nullopt, false});
      break;
    case Intent::kLeaveRoom: rooms_.erase(std::remove(rooms_.begin(), rooms_.end(), item.subject), rooms_.end()); break;
    case Intent::kNone: break;
  }
}

// ---- Closing ------------------------------------------------------------------------------

void Engine::beginClose() {
  closing_ = true;
  reconnectAt_.reset();
  if (!sessionUp_) return finishClose(LinkEnd{1000, "closed by the client", 0, {}, false}, false);
  setState(State::kClosing);
  closeDeadline_ = Clock::now() + options_.closeTimeout;
}

// Once everything queued has been handed to the link, close it. SSE and poll know each
// message arrived (its POST was answered). A WebSocket does not, and libwebsockets drops
// the socket right after its close frame, which can reset a connection whose last frames
// the server has not read yet: so a final ping goes first, and its pong (answered in
// order, after every earlier frame) lets the close go out.
void Engine::maybeSendClose() {
  if (!closing_ || closeSent_ || !link_ || !sessionUp_) return;
  if (!sdkQueue_.empty() || !shared_.queueEmpty()) return;
  if (link_->kind() == TransportKind::kWebSocket && !barrierSent_) {
    barrierSent_ = true;
    return sendPing();
  }
  if (link_->kind() == TransportKind::kWebSocket && pingsOut_ > 0) return;
  closeSent_ = true;
  link_->close();
}

void Engine::finishClose(const LinkEnd& end, bool wasConnected) {
  sessionUp_ = false;
  shared_.setWaker(nullptr);
  if (link_) retired_.push_back(std::move(link_));
  closeDeadline_.reset();
  if (wasConnected) emitDisconnected(end, true, false, std::chrono::milliseconds(0));
  setState(State::kClosed);
}

void Engine::closeForGood(const LinkEnd& end, bool wasConnected) {
  sessionUp_ = false;
  shared_.setWaker(nullptr);
  if (link_) retired_.push_back(std::move(link_));
  emitDisconnected(end, wasConnected, false, std::chrono::milliseconds(0));
  shared_.requestClose();  // later sends answer kClosed
  setState(State::kClosed);
}

// The client is closed: what never left is reported, waiting queries fail.
void Engine::drainOnExit() {
  retired_.clear();
  queries_.failAll(Status{ErrorCode::kClosed, "the client was closed"});
  for (auto& item : shared_.takeAll()) {
    if (item.query) continue;  // failed above
    if (handlers_.onDropped) handlers_.onDropped(Dropped{Dropped::Reason::kClosed, std::move(item.text)});
  }
}

void Engine::setState(State state) {
  if (state == state_) return;
  state_ = state;
  if (state != State::kClosed) shared_.publishState(state);  // kClosed: run() publishes it last
  if (handlers_.onStateChange) handlers_.onStateChange(state);
}

void Engine::emitDisconnected(const LinkEnd& end, bool wasConnected, bool willReconnect,
                              std::chrono::milliseconds retryIn) {
  if (!handlers_.onDisconnected) return;
  Disconnected event;
  event.code = end.code;
  event.reason = end.reason;
  // A round that failed without a refusal naming its cause: kConnectionFailed.
  event.error = end.refusal.code != ErrorCode::kNone ? end.refusal.code
                : wasConnected                       ? ErrorCode::kNone
                                                     : ErrorCode::kConnectionFailed;
  event.errorText = end.refusal.codeText;
  event.message = end.refusal.msg;
  event.httpStatus = end.httpStatus;
  event.wasConnected = wasConnected;
  event.willReconnect = willReconnect;
  event.retryIn = retryIn;
  handlers_.onDisconnected(event);
}

}  // namespace wsclient::detail
