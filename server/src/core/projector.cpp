#include "core/projector.h"

#include <algorithm>
#include <set>

#include "core/error_codes.h"
#include "core/json.h"

namespace wsd {
namespace sm = server_message;

namespace {

std::string text(const Event& e, const char* name) { return json::string(e.data, name).value_or(""); }

const rapidjson::Value& valueOf(const Event& e, const char* name) {
  static const rapidjson::Value kNull;
  const auto* v = json::member(e.data, name);
  return v == nullptr ? kNull : *v;
}

std::optional<std::int64_t> optionalTime(const Event& e, const char* name) { return json::int64(e.data, name); }

void reject(Effects& fx, const char* code, std::string message) { fx.rejection = makeError(code, std::move(message)); }

void replyError(Effects& fx, const Event& e, std::string_view code, std::string_view message) {
  fx.toConn(e.conn, sm::error(code, message));
}

}  // namespace

std::optional<Effects> Projector::answerUnlogged(const Event& e) {
  Effects fx;
  fx.deliveriesWanted = deliveries_ == Deliveries::kBuild;
  switch (e.type) {  // the query functions only read the store; apply() would also expire inboxes
    case EventType::kQueryList: queryList(e, fx); return fx;
    case EventType::kQueryOnline: queryOnline(e, fx); return fx;
    case EventType::kQueryRoom: queryRoom(e, fx); return fx;
    case EventType::kQueryRoomHistory: queryRoomHistory(e, fx); return fx;
    default: return std::nullopt;
  }
}

Effects Projector::apply(const Event& e) {
  Effects fx;
  fx.deliveriesWanted = deliveries_ == Deliveries::kBuild;
  // Per project, so that a projector applying some partitions only changes the projects
  // those partitions hold (Redis TTLs expire the inboxes and room histories of projects
  // that stay idle).
  if (!e.project.empty()) {
    store_.expireInboxes(e.project, e.ts);
    store_.expireRoomHistories(e.project, e.ts);
  }
  switch (e.type) {
    case EventType::kNodeStart: nodeStart(e, fx); break;
    case EventType::kNodeAlive: store_.nodeSeen(e.node, e.ts); break;
    case EventType::kNodeDown: nodeDown(e, fx); break;
    case EventType::kNodeApplied:
      break;  // changes no state: a gateway's acknowledgment (gateway/cluster/change_acks.h)
    case EventType::kProjectCreate: projectCreate(e, fx); break;
    case EventType::kProjectDelete: projectDelete(e, fx); break;
    case EventType::kProjectUpdate: projectUpdate(e, fx); break;
    case EventType::kProjectSecret: projectSecret(e, fx); break;
    case EventType::kTokenIssue: tokenIssue(e, fx); break;
    case EventType::kTokenRevoke: tokenRevoke(e, fx); break;
    case EventType::kTokenUpdate: tokenUpdate(e, fx); break;
    case EventType::kConnOpen: connOpen(e, fx); break;
    case EventType::kConnClose: connClose(e, fx); break;
    case EventType::kConnFilter: connFilter(e, fx); break;
    case EventType::kConnKick: connKick(e, fx); break;
    case EventType::kUidBind: uidBind(e, fx); break;
    case EventType::kMessageDirect: messageDirect(e, fx); break;
    case EventType::kMessageMulticast: messageMulticast(e, fx); break;
    case EventType::kMessageBroadcast: messageBroadcast(e, fx); break;
    case EventType::kMessageAck: messageAck(e, fx); break;
    case EventType::kMessageUndelivered: messageUndelivered(e, fx); break;
    case EventType::kQueryList: queryList(e, fx); break;
    case EventType::kQueryOnline: queryOnline(e, fx); break;
    case EventType::kQueryRoom: queryRoom(e, fx); break;
    case EventType::kRoomCreate: roomJoin(e, fx, "room_created"); break;
    case EventType::kRoomJoin: roomJoin(e, fx, "room_joined"); break;
    case EventType::kRoomLeave: roomLeave(e, fx); break;
    case EventType::kRoomMessage: roomMessage(e, fx); break;
    case EventType::kQueryRoomHistory: queryRoomHistory(e, fx); break;
    case EventType::kSignalOffer: signal(e, fx, "webrtc_offer", "sdp"); break;
    case EventType::kSignalAnswer: signal(e, fx, "webrtc_answer", "sdp"); break;
    case EventType::kSignalIce: signal(e, fx, "webrtc_ice", "candidate"); break;
    case EventType::kMailRequest: mailRequest(e, fx); break;
    // The mailer's records of what it decided and what the relay said: they change no
    // projection (the decision was already applied with the request).
    case EventType::kMailAccepted:
    case EventType::kMailRejected:
    case EventType::kMailSent:
    case EventType::kMailFailed: break;
    case EventType::kWebhookAdd: webhookAdd(e, fx); break;
    case EventType::kWebhookRemove: webhookRemove(e, fx); break;
    // The dispatcher's records of its deliveries, and the log's own checkpoints
    // (core/log_chain.h, core/partition_fold.h): they change no projection.
    case EventType::kWebhookDelivered:
    case EventType::kWebhookFailed:
    case EventType::kLogCheckpoint:
    case EventType::kLogPartitionCheckpoint: break;
  }
  return fx;
}

// ---- node, projects and tokens ------------------------------------------------------

// Node events come once per project the node had sessions in (key = that project, so
// they stay in the project's partition) and once with no project for the node table.
void Projector::nodeStart(const Event& e, Effects& fx) {
  if (e.project.empty()) return store_.nodeSeen(e.node, e.ts);
  // Sessions the node held before it (re)started are gone: end them as if each dropped.
  for (const auto& conn : connsOfNodeInProject(e.node, e.project)) endSession(conn, e.ts, fx);
}

// Another gateway decided (and recorded here) that `data.node` stopped saying it is alive:
// its sessions end as if each dropped, so its uids go offline and messages to them are
// stored. If that gateway was only slow, it closes its connections when it reads this.
void Projector::nodeDown(const Event& e, Effects& fx) {
  const std::string node = text(e, "node");
  if (e.project.empty()) return store_.forgetNode(node);
  auto conns = connsOfNodeInProject(node, e.project);
  for (const auto& conn : conns) endSession(conn, e.ts, fx);
  fx.close(conns, error_codes::kNodeDeclaredDown.closeCode,
           error_codes::kNodeDeclaredDown.name);  // for the gateway still holding them, if any
}

std::vector<std::string> Projector::connsOfNodeInProject(std::string_view node, std::string_view project) const {
  std::vector<std::string> conns;
  for (auto& conn : store_.connsOfProject(project)) {
    auto session = store_.session(conn);
    if (session && session->node == node) conns.push_back(std::move(conn));
  }
  return conns;
}

void Projector::projectCreate(const Event& e, Effects& fx) {
  auto key = text(e, "key");
  if (store_.project(key)) return reject(fx, error_codes::kProjectExists.name, "project '" + key + "' already exists");
  store_.putProject({key, text(e, "name"), e.ts, {}});
}

void Projector::projectDelete(const Event& e, Effects& fx) {
  auto key = text(e, "key");
  if (!store_.project(key)) return reject(fx, error_codes::kProjectNotFound.name, "no project '" + key + "'");
  store_.removeProject(key);
  fx.close(store_.connsOfProject(key), error_codes::kProjectDeleted.closeCode, error_codes::kProjectDeleted.name);
}

void Projector::projectUpdate(const Event& e, Effects& fx) {
  auto project = store_.project(e.project);
  if (!project) return reject(fx, error_codes::kProjectNotFound.name, "no project '" + e.project + "'");
  project->settings.apply(valueOf(e, "settings"));
  store_.putProject(*project);
}

// The new secret becomes current; the one it replaces stays valid until the time the admin
// chose (the event carries it), so backends can roll over without a failed call.
void Projector::projectSecret(const Event& e, Effects& fx) {
  auto project = store_.project(e.project);
  if (!project) return reject(fx, error_codes::kProjectNotFound.name, "no project '" + e.project + "'");
  auto& secrets = project->settings.secrets;
  const auto previousValidUntil = optionalTime(e, "previousValidUntil").value_or(e.ts);
  for (auto& older : secrets) {
    if (!older.validUntil || *older.validUntil > previousValidUntil) older.validUntil = previousValidUntil;
  }
  std::erase_if(secrets, [&](const store::ServerSecret& s) { return s.validUntil && *s.validUntil <= e.ts; });
  secrets.insert(secrets.begin(), {text(e, "secret"), e.ts, std::nullopt});
  store_.putProject(*project);
}

void Projector::tokenIssue(const Event& e, Effects& fx) {
  if (!store_.project(e.project))
    return reject(fx, error_codes::kProjectNotFound.name, "no project '" + e.project + "'");
  store_.putToken(e.project,
                  {text(e, "token"), optionalTime(e, "expiresAt"), json::int64(e.data, "createdAt").value_or(e.ts)});
}

void Projector::tokenRevoke(const Event& e, Effects& fx) {
  auto token = text(e, "token");
  if (!store_.token(e.project, token)) return reject(fx, error_codes::kTokenNotFound.name, "no such token");
  store_.removeToken(e.project, token);
  fx.close(store_.connsOfToken(e.project, token), error_codes::kTokenRevoked.closeCode,
           error_codes::kTokenRevoked.name);
}

void Projector::tokenUpdate(const Event& e, Effects& fx) {
  auto record = store_.token(e.project, text(e, "token"));
  if (!record) return reject(fx, error_codes::kTokenNotFound.name, "no such token");
  record->expiresAt = optionalTime(e, "expiresAt");
  store_.putToken(e.project, *record);
  if (!record->validAt(e.ts))
    fx.close(store_.connsOfToken(e.project, record->token), error_codes::kTokenExpired.closeCode,
             error_codes::kTokenExpired.name);
}

// ---- connections and presence -------------------------------------------------------

void Projector::connOpen(const Event& e, Effects& fx) {
  // The project's connection cap, decided by log order: connections admitted at the same
  // time on several gateways are refused past the cap here, on every process alike. The
  // refused one never opens (nothing counts it) and its gateway closes it.
  if (auto project = store_.project(e.project);
      project && project->settings.maxConnections > 0 &&
      static_cast<std::int64_t>(store_.connsOfProject(e.project).size()) >= project->settings.maxConnections) {
    return fx.close({e.conn}, error_codes::kTooManyConnections.closeCode, error_codes::kTooManyConnections.name);
  }
  auto token = text(e, "token");
  store_.openSession({e.conn, e.project, e.node, token, {}, text(e, "transport"), {}});
  fx.toConn(e.conn, sm::connected(e.conn));
  // The handshake checked the token; a revocation may have reached the log in between.
  auto record = store_.token(e.project, token);
  if (!record)
    fx.close({e.conn}, error_codes::kTokenRevoked.closeCode, error_codes::kTokenRevoked.name);
  else if (!record->validAt(e.ts))
    fx.close({e.conn}, error_codes::kTokenExpired.closeCode, error_codes::kTokenExpired.name);
}

void Projector::connClose(const Event& e, Effects& fx) { endSession(e.conn, e.ts, fx); }

void Projector::endSession(const std::string& conn, std::int64_t ts, Effects& fx) {
  auto session = store_.session(conn);
  if (!session) return;
  const auto& uid = session->uid;
  for (const auto& room : store_.roomsOfConn(conn)) {
    store_.leaveRoom(session->project, room, conn);
    fx.changes.push_back({Change::Kind::kRoomLeave, uid, conn, room});
    auto members = store_.roomMemberUids(session->project, room);
    if (!uid.empty() && !std::binary_search(members.begin(), members.end(), uid)) {
      fx.toConns(store_.roomConns(session->project, room), sm::roomMember(false, room, uid),
                 filter_kind::kRoomMemberLeft);
    }
  }
  store_.closeSession(conn);
  fx.changes.push_back({Change::Kind::kDisconnect, uid, conn, {}});
  if (!uid.empty() && store_.connsOfUid(session->project, uid).empty()) {
    fx.changes.push_back({Change::Kind::kOffline, uid, {}, {}});
    fx.toProject(session->project, sm::presence(false, uid, ts), {}, filter_kind::kOffline);
  }
}

void Projector::uidBind(const Event& e, Effects& fx) {
  auto session = store_.session(e.conn);
  if (!session) return;
  auto uid = text(e, "uid");
  if (!session->uid.empty()) {
    if (session->uid == uid)
      fx.toConn(e.conn, sm::bindSuccess(uid));
    else
      replyError(fx, e, error_codes::kAlreadyBound.name, "this connection is bound to '" + session->uid + "'");
    return;
  }
  const bool firstSession = store_.connsOfUid(e.project, uid).empty();
  store_.bindSession(e.conn, uid);
  if (firstSession) fx.changes.push_back({Change::Kind::kOnline, uid, {}, {}});
  fx.toConn(e.conn, sm::bindSuccess(uid));
  deliverInbox(e, uid, fx);
  if (firstSession) fx.toProject(e.project, sm::presence(true, uid, e.ts), e.conn, filter_kind::kOnline);
}

// ---- messages -------------------------------------------------------------------------

bool Projector::store(const Event& e, const std::string& from, const std::string& to, std::string msgJson) {
  if (store_.inboxSize(e.project, to) >= limits_.inboxMax) return false;
  auto expiresAt = json::int64(e.data, "expiresAt").value_or(e.ts);
  store_.pushInbox(e.project, to, {e.id, from, to, std::move(msgJson), e.ts, expiresAt});
  return true;
}

void Projector::messageDirect(const Event& e, Effects& fx) {
  auto from = text(e, "from");
  auto to = text(e, "to");
  const auto& msg = valueOf(e, "msg");
  auto conns = store_.connsOfUid(e.project, to);
  if (!conns.empty()) {
    fx.toConns(conns, [&] { return sm::direct({e.id, from, to, &msg, e.ts, false}); });
    fx.toConn(e.conn, [&] { return sm::sendSuccess(e.id, to, false); });
    fx.sent = SendOutcome{{to}, {}, {}};
  } else if (store(e, from, to, json::stringify(msg))) {
    fx.toConn(e.conn, [&] { return sm::sendSuccess(e.id, to, true); });
    fx.sent = SendOutcome{{}, {to}, {}};
  } else {
    replyError(fx, e, error_codes::kInboxFull.name, "the offline inbox of '" + to + "' is full");
    fx.sent = SendOutcome{{}, {}, {to}};
  }
}

void Projector::messageMulticast(const Event& e, Effects& fx) {
  auto from = text(e, "from");
  const auto& msg = valueOf(e, "msg");
  std::vector<std::string> delivered, stored, failed;
  std::set<std::string> seen;
  std::string msgJson;
  const auto* to = json::member(e.data, "to");
  if (to == nullptr || !to->IsArray()) return;
  for (const auto& item : to->GetArray()) {
    if (!item.IsString()) continue;
    std::string uid(json::view(item));
    if (!seen.insert(uid).second) continue;
    auto conns = store_.connsOfUid(e.project, uid);
    if (!conns.empty()) {
      fx.toConns(conns, [&] { return sm::direct({e.id, from, uid, &msg, e.ts, false}); });
      delivered.push_back(uid);
      continue;
    }
    if (msgJson.empty()) msgJson = json::stringify(msg);
    (store(e, from, uid, msgJson) ? stored : failed).push_back(uid);
  }
  fx.toConn(e.conn, [&] { return sm::multicastSuccess(e.id, delivered, stored, failed); });
  fx.sent = SendOutcome{std::move(delivered), std::move(stored), std::move(failed)};
}

void Projector::messageBroadcast(const Event& e, Effects& fx) {
  fx.toProject(
      e.project, [&] { return sm::broadcast(e.id, text(e, "from"), valueOf(e, "msg"), e.ts); },
      filter_kind::kBroadcast);
}

void Projector::queryList(const Event& e, Effects& fx) {
  auto uids = store_.onlineUids(e.project);
  fx.toConn(e.conn, sm::list(uids));
  fx.query = QueryOutcome{false, std::move(uids)};
}

void Projector::queryOnline(const Event& e, Effects& fx) {
  auto uid = text(e, "uid");
  const bool online = !store_.connsOfUid(e.project, uid).empty();
  fx.toConn(e.conn, sm::onlineResult(uid, online));
  fx.query = QueryOutcome{online, {}};
}

// ---- rooms and signaling --------------------------------------------------------------

void Projector::roomJoin(const Event& e, Effects& fx, std::string_view replyType) {
  auto session = store_.session(e.conn);
  if (!session || session->uid.empty()) return replyError(fx, e, error_codes::kNotBound.name, "bind a uid first");
  auto room = text(e, "roomId");
  auto rooms = store_.roomsOfConn(e.conn);
  const bool alreadyIn = std::find(rooms.begin(), rooms.end(), room) != rooms.end();
  if (!alreadyIn && rooms.size() >= limits_.roomsPerConn) {
    return replyError(fx, e, error_codes::kTooManyRooms.name, "this connection is in too many rooms");
  }
  auto before = store_.roomMemberUids(e.project, room);
  const bool uidWasMember = std::binary_search(before.begin(), before.end(), session->uid);
  auto others = store_.roomConns(e.project, room);
  store_.joinRoom(e.project, room, e.conn);
  if (!alreadyIn) {
    const auto kind = replyType == "room_created" ? Change::Kind::kRoomCreate : Change::Kind::kRoomJoin;
    fx.changes.push_back({kind, session->uid, e.conn, room});
  }
  sendRecovery(e, room, store_.roomMemberUids(e.project, room), replyType, fx);
  if (!uidWasMember) fx.toConns(others, sm::roomMember(true, room, session->uid), filter_kind::kRoomMemberJoined);
}

void Projector::roomLeave(const Event& e, Effects& fx) {
  auto session = store_.session(e.conn);
  if (!session) return;
  auto room = text(e, "roomId");
  auto rooms = store_.roomsOfConn(e.conn);
  if (std::find(rooms.begin(), rooms.end(), room) == rooms.end()) {
    return replyError(fx, e, error_codes::kNotInRoom.name, "not a member of room '" + room + "'");
  }
  store_.leaveRoom(e.project, room, e.conn);
  fx.changes.push_back({Change::Kind::kRoomLeave, session->uid, e.conn, room});
  fx.toConn(e.conn, sm::room("room_left", room, nullptr));
  auto members = store_.roomMemberUids(e.project, room);
  if (!std::binary_search(members.begin(), members.end(), session->uid)) {
    fx.toConns(store_.roomConns(e.project, room), sm::roomMember(false, room, session->uid),
               filter_kind::kRoomMemberLeft);
  }
}

void Projector::signal(const Event& e, Effects& fx, std::string_view clientType, std::string_view payloadKey) {
  auto session = store_.session(e.conn);
  if (!session) return;
  auto room = text(e, "roomId");
  auto to = text(e, "to");
  auto rooms = store_.roomsOfConn(e.conn);
  if (std::find(rooms.begin(), rooms.end(), room) == rooms.end()) {
    return replyError(fx, e, error_codes::kNotInRoom.name, "not a member of room '" + room + "'");
  }
  std::vector<std::string> targets;
  for (const auto& conn : store_.roomConns(e.project, room)) {
    auto member = store_.session(conn);
    if (member && member->uid == to) targets.push_back(conn);
  }
  if (targets.empty()) {
    return replyError(fx, e, error_codes::kTargetNotInRoom.name, "'" + to + "' is not in room '" + room + "'");
  }
  const auto& payload = valueOf(e, std::string(payloadKey).c_str());
  fx.toConns(targets, sm::signal(clientType, room, session->uid, to, payloadKey, payload));
}

// ---- mail -------------------------------------------------------------------------------

// See invariant 4. A token revoked or expired between the POST and this event is refused
// here too, so the decision never depends on which gateway took the request.
void Projector::mailRequest(const Event& e, Effects& fx) {
  const std::string token = text(e, "token");
  auto record = store_.token(e.project, token);
  if (!record || !record->validAt(e.ts))
    return reject(fx, error_codes::kInvalidToken.name, "the token is not valid for this project");
  const std::int64_t max = json::int64(e.data, "max").value_or(0);
  const std::int64_t windowMs = json::int64(e.data, "windowMs").value_or(0);
  auto window = store_.mailWindow(e.project, token);
  std::erase_if(window, [&](std::int64_t at) { return at <= e.ts - windowMs; });
  MailDecision decision;
  decision.max = max;
  decision.accepted = static_cast<std::int64_t>(window.size()) < max;
  if (decision.accepted)
    window.push_back(e.ts);
  else if (!window.empty())
    decision.retryAfterMs = window.front() + windowMs - e.ts;
  decision.count = static_cast<std::int64_t>(window.size());
  store_.putMailWindow(e.project, token, std::move(window));
  fx.mail = decision;
}

}  // namespace wsd
