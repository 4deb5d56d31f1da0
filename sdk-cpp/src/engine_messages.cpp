// What arrives on the link: server messages (decoded, handed to handlers, answering
// queries and pings), sessions coming up (restore), refusals of single POSTs.
#include <algorithm>

#include "client_messages.h"
#include "dispatch.h"
#include "engine.h"

namespace wsclient::detail {

void Engine::sessionUp(const std::string& connId, bool resumed, std::string raw) {
  const bool reconnected = everConnected_;
  connectDeadline_.reset();
  backoff_.reset();
  everConnected_ = true;
  sessionUp_ = true;
  connId_ = connId;
  lastWorked_ = link_->kind();
  link_->setConnId(connId);
  watch_.heard(Clock::now());
  if (reconnected && !resumed) queueRestore();
  shared_.publishSession(connId, link_->kind());
  setState(closing_ ? State::kClosing : State::kConnected);
  if (handlers_.onConnected)
    handlers_.onConnected(Connected{connId, link_->kind(), reconnected, resumed, std::move(raw)});
  pump();
}

// A new server session knows nothing of the old one: filter again (first, so that no
// filtered notice comes in between), bind again, join the rooms again, each from the last
// position seen in it so that the messages missed meanwhile follow. These go before
// everything queued, and the server answers a connection's messages in order, so queued
// sends find the session bound.
void Engine::queueRestore() {
  if (!unsubscribed_.empty()) {
    if (auto unsub = encodeFilter("unsub", unsubscribed_)) sdkQueue_.push_back(*unsub);
  }
  if (boundUid_.empty()) return;
  sdkQueue_.push_back(bindText_);
  for (const auto& room : rooms_) {
    std::optional<RoomPosition> since = shared_.roomPosition(room);
    auto join = encodeRoomJoin("room_join", room, since);
    if (!join) continue;
    sdkQueue_.push_back(*join);
    joinsOut_.push_back(JoinOut{room, std::move(since), true});
  }
}

void Engine::sendSdk(std::string text) {
  sdkQueue_.push_back(std::move(text));
  pump();
}

// Pings are counted so close() knows when the server has answered all of them (an app's
// own raw pings are not counted: their pongs may end the count early).
void Engine::sendPing() {
  ++pingsOut_;
  sendSdk(encodePing());
}

void Engine::onPong() {
  if (pingsOut_ > 0) --pingsOut_;
  maybeSendClose();
}

void Engine::onLinkResumed(const std::string& connId) { sessionUp(connId, true, ""); }

void Engine::onLinkActivity() { watch_.heard(Clock::now()); }

void Engine::onLinkMessage(std::string_view json) {
  watch_.heard(Clock::now());
  Decoded decoded = decodeServerMessage(json);
  if (handlers_.onMessage) handlers_.onMessage(RawMessage{decoded.type, std::string(json)});
  if (auto* connected = std::get_if<Connected>(&decoded.event)) {
    return sessionUp(connected->connId, false, std::move(connected->raw));
  }
  if (auto* notice = std::get_if<ClosedNotice>(&decoded.event)) {
    closedNotice_ = *notice;  // the link ends next; handleLinkEnd reports this code
    return;
  }
  if (auto* beat = std::get_if<Heartbeat>(&decoded.event)) beat->ping ? sendSdk(encodePong()) : onPong();
  if (auto* list = std::get_if<ListResult>(&decoded.event)) queries_.answerList(*list);
  if (auto* online = std::get_if<OnlineResult>(&decoded.event)) queries_.answerOnline(*online);
  if (auto* filter = std::get_if<FilterResult>(&decoded.event)) {
    if (filter->kind != FilterResult::Kind::kList) unsubscribed_ = filter->events;
    queries_.answerFilter(*filter);
  }
  if (auto* ack = std::get_if<AckResult>(&decoded.event)) queries_.answerAck(*ack);
  if (auto* error = std::get_if<ServerError>(&decoded.event)) queries_.failRoomCall(*error);
  if (!takeRoomEvent(decoded.event)) return;
  if (auto* direct = std::get_if<Direct>(&decoded.event); direct != nullptr && !takeDirect(*direct)) return;
  dispatch(handlers_, decoded.event);
  if (auto* direct = std::get_if<Direct>(&decoded.event);
      direct != nullptr && direct->offline && !direct->id.empty() && options_.ackMode == AckMode::kAuto) {
    acksDue_.push_back(direct->id);
  }
}

// Room replies and messages move the room positions and answer the room calls. False for
// a room message seen already (replayed after a re-join that overlapped live delivery).
bool Engine::takeRoomEvent(const ServerEvent& event) {
  if (const auto* message = std::get_if<RoomMessage>(&event)) {
    return shared_.advanceRoom(message->roomId, message->offset, message->epoch);
  }
  if (const auto* room = std::get_if<RoomEvent>(&event)) {
    if (room->kind == RoomEvent::Kind::kCreated || room->kind == RoomEvent::Kind::kJoined) onJoinReply(*room);
    if (room->kind == RoomEvent::Kind::kLeft) shared_.forgetRoom(room->roomId);
  }
  if (const auto* sent = std::get_if<RoomSendResult>(&event)) onRoomSent(*sent);
  if (const auto* page = std::get_if<RoomHistoryPage>(&event)) onRoomHistory(*page);
  return true;
}

void Engine::onJoinReply(const RoomEvent& reply) {
  JoinOut join{reply.roomId, std::nullopt, false};
  auto it =
      std::find_if(joinsOut_.begin(), joinsOut_.end(), [&](const JoinOut& j) { return j.roomId == reply.roomId; });
  if (it != joinsOut_.end()) {
    join = *it;
    joinsOut_.erase(it);
  }
  shared_.roomJoined(reply, join.since);
  if (auto query = queries_.takeRoom(PendingQuery::Kind::kRoomJoin, reply.roomId); query && query->onRoomJoin) {
    query->onRoomJoin(
        RoomInfo{reply.roomId, reply.members, reply.offset, reply.epoch, reply.recovered, reply.reason, reply.raw});
  }
  if (join.restore && reply.recovered == false && handlers_.onRoomRecoveryFailed) {
    handlers_.onRoomRecoveryFailed(RoomRecoveryFailure{reply.roomId, reply.reason});
  }
}

// Without echo this session never gets its own message: its offset is seen here.
void Engine::onRoomSent(const RoomSendResult& result) {
  auto query = queries_.takeRoom(PendingQuery::Kind::kRoomSend, result.roomId);
  if (query && !query->echo) shared_.advanceRoom(result.roomId, result.offset, result.epoch);
  if (query && query->onRoomSend) query->onRoomSend(result);
}

void Engine::onRoomHistory(const RoomHistoryPage& page) {
  auto query = queries_.takeRoom(PendingQuery::Kind::kRoomHistory, page.roomId);
  if (query && query->onRoomHistory) query->onRoomHistory(page);
}

// False for a Direct seen lately (a redelivery): not reported again, but with AckMode::kAuto
// acknowledged again, since its coming back means the server still holds it.
bool Engine::takeDirect(const Direct& direct) {
  if (direct.id.empty() || recentIds_.add(direct.id)) return true;
  if (direct.offline && options_.ackMode == AckMode::kAuto) acksDue_.push_back(direct.id);
  return false;
}

// Auto-acks leave as SDK messages: a lost one costs a redelivery on the next bind, which
// is dropped and acknowledged again. At most 1000 ids per ack (the schema's limit).
void Engine::flushAcks() {
  for (std::size_t i = 0; i < acksDue_.size(); i += 1000) {
    const auto end = acksDue_.begin() + static_cast<std::ptrdiff_t>(std::min(acksDue_.size(), i + 1000));
    std::vector<std::string> batch(acksDue_.begin() + static_cast<std::ptrdiff_t>(i), end);
    if (auto ack = encodeAck(batch)) sdkQueue_.push_back(*ack);
  }
  if (acksDue_.empty()) return;
  acksDue_.clear();
  pump();
}

// SSE/poll: the server refused one POST (400, 413, 429...). The message is gone; the app
// hears why as an error event, and the message itself through onDropped.
void Engine::onLinkRejected(Outgoing item, int httpStatus, const HttpError& error) {
  if (item.query)
    item.query->fail(Status{error.code == ErrorCode::kNone ? ErrorCode::kUnknown : error.code, error.msg});
  if (item.origin != Origin::kApp) return;
  if (handlers_.onError) {
    const ErrorCode code = error.code == ErrorCode::kNone ? ErrorCode::kUnknown : error.code;
    handlers_.onError(ServerError{code, error.codeText, "HTTP " + std::to_string(httpStatus) + ": " + error.msg, ""});
  }
  if (handlers_.onDropped) handlers_.onDropped(Dropped{Dropped::Reason::kRejected, std::move(item.text)});
}

}  // namespace wsclient::detail
