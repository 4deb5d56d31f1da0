#include "store/redis_store.h"

#include <algorithm>

#include "store/redis_layout.h"

namespace wsd::store {
namespace layout = redis_layout;
namespace {

// Lua scripts pass a command's arguments through the C stack (about 8000 slots), so long
// lists go out in several commands of at most this many arguments each.
constexpr std::size_t kMaxArgumentsPerCommand = 1000;

void appendChunked(std::vector<RedisCommand>& out, const RedisCommand& head, const std::vector<std::string>& items) {
  for (std::size_t i = 0; i < items.size(); i += kMaxArgumentsPerCommand) {
    RedisCommand command = head;
    auto end = std::min(items.size(), i + kMaxArgumentsPerCommand);
    command.insert(command.end(), items.begin() + static_cast<std::ptrdiff_t>(i),
                   items.begin() + static_cast<std::ptrdiff_t>(end));
    out.push_back(std::move(command));
  }
}

}  // namespace

MemoryStore& RedisStore::workingCopyForLoading() {
  memory_ = MemoryStore();
  takeChanges();
  return memory_;
}

bool RedisStore::hasChanges() const {
  return !projects_.empty() || !tokenSets_.empty() || !sessions_.empty() || !presence_.empty() || !rooms_.empty() ||
         !nodes_.empty() || !inboxes_.empty() || !mailWindows_.empty() || !webhooks_.empty() ||
         !roomHistories_.empty() || !roomHistoriesGone_.empty();
}

// ---- marking ----------------------------------------------------------------------------

void RedisStore::putProject(const ProjectRecord& project) {
  memory_.putProject(project);
  projects_.insert(project.key);
}

void RedisStore::removeProject(std::string_view key) {
  for (const auto& uid : memory_.inboxUids(key)) markRewrite(key, uid);
  for (const auto& token : memory_.mailWindowTokens(key)) mailWindows_.insert({std::string(key), token});
  for (const auto& hook : memory_.webhooks(key)) webhooks_.insert({std::string(key), hook.id});
  for (const auto& room : memory_.roomStreamIds(key)) {
    roomHistories_.erase({std::string(key), room});
    roomHistoriesGone_.insert({std::string(key), room});
  }
  memory_.removeProject(key);
  projects_.insert(std::string(key));
  tokenSets_.insert(std::string(key));
}

void RedisStore::putToken(std::string_view project, const TokenRecord& token) {
  memory_.putToken(project, token);
  tokenSets_.insert(std::string(project));
}

void RedisStore::removeToken(std::string_view project, std::string_view token) {
  memory_.removeToken(project, token);
  tokenSets_.insert(std::string(project));
  mailWindows_.insert({std::string(project), std::string(token)});
}

void RedisStore::putMailWindow(std::string_view project, std::string_view token,
                               std::vector<std::int64_t> requestedAt) {
  memory_.putMailWindow(project, token, std::move(requestedAt));
  mailWindows_.insert({std::string(project), std::string(token)});
}

void RedisStore::putWebhook(std::string_view project, const WebhookRecord& hook) {
  memory_.putWebhook(project, hook);
  webhooks_.insert({std::string(project), hook.id});
}

void RedisStore::removeWebhook(std::string_view project, std::string_view id) {
  memory_.removeWebhook(project, id);
  webhooks_.insert({std::string(project), std::string(id)});
}

void RedisStore::markSession(std::string_view conn) {
  auto session = memory_.session(conn);
  if (!session) return;
  sessions_.insert({session->project, session->conn});
  if (!session->uid.empty()) presence_.insert({session->project, session->uid});
  for (const auto& room : memory_.roomsOfConn(conn)) rooms_.insert({session->project, room});
}

void RedisStore::openSession(const SessionRecord& session) {
  memory_.openSession(session);
  markSession(session.conn);
}

void RedisStore::bindSession(std::string_view conn, std::string_view uid) {
  memory_.bindSession(conn, uid);
  markSession(conn);
}

void RedisStore::setSessionFilter(std::string_view conn, std::vector<std::string> unsubscribed) {
  memory_.setSessionFilter(conn, std::move(unsubscribed));
  if (auto session = memory_.session(conn)) sessions_.insert({session->project, session->conn});
}

void RedisStore::closeSession(std::string_view conn) {
  markSession(conn);  // before: afterwards there is nothing left to say what it touched
  memory_.closeSession(conn);
}

void RedisStore::joinRoom(std::string_view project, std::string_view room, std::string_view conn) {
  memory_.joinRoom(project, room, conn);
  rooms_.insert({std::string(project), std::string(room)});
}

void RedisStore::leaveRoom(std::string_view project, std::string_view room, std::string_view conn) {
  memory_.leaveRoom(project, room, conn);
  rooms_.insert({std::string(project), std::string(room)});
}

void RedisStore::appendRoomMessage(std::string_view project, std::string_view room, std::string_view epoch,
                                   const RoomMessage& message, std::size_t keep, std::int64_t dropBeforeMs) {
  memory_.appendRoomMessage(project, room, epoch, message, keep, dropBeforeMs);
  Scoped key{std::string(project), std::string(room)};
  roomHistoriesGone_.erase(key);
  ++roomHistories_[key];
}

void RedisStore::nodeSeen(std::string_view node, std::int64_t atMs) {
  memory_.nodeSeen(node, atMs);
  nodes_.insert(std::string(node));
}

void RedisStore::forgetNode(std::string_view node) {
  memory_.forgetNode(node);
  nodes_.insert(std::string(node));
}

void RedisStore::markRewrite(std::string_view project, std::string_view uid) {
  inboxes_[{std::string(project), std::string(uid)}].rewrite = true;
}

void RedisStore::pushInbox(std::string_view project, std::string_view uid, const StoredMessage& message) {
  memory_.pushInbox(project, uid, message);
  ++inboxes_[{std::string(project), std::string(uid)}].appended;
}

std::vector<StoredMessage> RedisStore::takeInbox(std::string_view project, std::string_view uid) {
  auto taken = memory_.takeInbox(project, uid);
  if (!taken.empty()) markRewrite(project, uid);
  return taken;
}

std::vector<std::string> RedisStore::removeFromInbox(std::string_view project, std::string_view uid,
                                                     const std::vector<std::string>& ids) {
  auto removed = memory_.removeFromInbox(project, uid, ids);
  if (!removed.empty()) markRewrite(project, uid);
  return removed;
}

std::vector<std::string> RedisStore::expireInboxes(std::string_view project, std::int64_t nowMs) {
  auto changed = memory_.expireInboxes(project, nowMs);
  for (const auto& uid : changed) markRewrite(project, uid);
  return changed;
}

std::vector<std::string> RedisStore::expireRoomHistories(std::string_view project, std::int64_t nowMs) {
  auto changed = memory_.expireRoomHistories(project, nowMs);
  for (const auto& room : changed) roomHistories_[{std::string(project), room}] += 0;  // DEL, below
  return changed;
}

// ---- turning marks into commands ---------------------------------------------------------

void RedisStore::emitInbox(const Scoped& inbox, const InboxChange& change, std::vector<RedisCommand>& out) const {
  const auto& [project, uid] = inbox;
  auto key = layout::inboxKey(project, uid);
  auto messages = memory_.inbox(project, uid);
  if (change.rewrite) out.push_back({"DEL", key});
  const std::size_t fresh = change.rewrite ? messages.size() : std::min(change.appended, messages.size());
  if (fresh == 0) return;
  std::vector<std::string> encoded;
  for (auto it = messages.end() - static_cast<std::ptrdiff_t>(fresh); it != messages.end(); ++it) {
    encoded.push_back(layout::encodeMessage(*it));
  }
  appendChunked(out, {"RPUSH", key}, encoded);
  std::int64_t lastExpiry = 0;
  for (const auto& m : messages) lastExpiry = std::max(lastExpiry, m.expiresAt);
  out.push_back({"PEXPIREAT", key, std::to_string(lastExpiry)});
}

void RedisStore::emitRoomHistory(const Scoped& room, std::size_t appended, std::vector<RedisCommand>& out) const {
  const auto& [project, roomId] = room;
  out.push_back(
      {"HSET", layout::roomStreamsKey(project), roomId, layout::encodeRoomStream(memory_.roomStream(project, roomId))});
  auto key = layout::roomHistoryKey(project, roomId);
  auto retained = memory_.roomMessages(project, roomId);
  if (retained.empty()) return out.push_back({"DEL", key});
  const std::size_t fresh = std::min(appended, retained.size());
  std::vector<std::string> encoded;
  for (auto it = retained.end() - static_cast<std::ptrdiff_t>(fresh); it != retained.end(); ++it) {
    encoded.push_back(layout::encodeRoomMessage(*it));
  }
  appendChunked(out, {"RPUSH", key}, encoded);
  out.push_back({"LTRIM", key, "-" + std::to_string(retained.size()), "-1"});
  // Redis drops the history of a room nobody writes to once it is past the TTL, also when
  // no event of the project comes to run expireRoomHistories; the stream HASH never expires.
  if (const std::int64_t expiresAt = memory_.roomHistoryExpiresAt(project, roomId); expiresAt > 0)
    out.push_back({"PEXPIREAT", key, std::to_string(expiresAt)});
}

std::vector<RedisCommand> RedisStore::takeChanges() {
  std::vector<RedisCommand> out;
  for (const auto& key : projects_) {
    if (auto record = memory_.project(key))
      out.push_back({"HSET", std::string(layout::kProjects), key, layout::encodeProject(*record)});
    else
      out.push_back({"HDEL", std::string(layout::kProjects), key});
  }
  for (const auto& project : tokenSets_) {
    auto key = layout::tokensKey(project);
    out.push_back({"DEL", key});
    std::vector<std::string> fields;  // field, value, field, value...
    for (const auto& t : memory_.tokens(project)) {
      fields.push_back(t.token);
      fields.push_back(layout::encodeToken(t));
    }
    appendChunked(out, {"HSET", key}, fields);
  }
  for (const auto& [project, conn] : sessions_) {
    auto session = memory_.session(conn);
    if (session)
      out.push_back({"HSET", layout::sessionsKey(project), conn, layout::encodeSession(*session)});
    else
      out.push_back({"HDEL", layout::sessionsKey(project), conn});
  }
  for (const auto& [project, uid] : presence_) {
    const bool online = !memory_.connsOfUid(project, uid).empty();
    out.push_back({online ? "SADD" : "SREM", layout::onlineKey(project), uid});
  }
  for (const auto& [project, room] : rooms_) {
    auto conns = memory_.roomConns(project, room);
    if (conns.empty())
      out.push_back({"HDEL", layout::roomsKey(project), room});
    else
      out.push_back({"HSET", layout::roomsKey(project), room, layout::encodeConns(conns)});
  }
  auto seen = memory_.nodes();
  for (const auto& node : nodes_) {
    auto it = std::find_if(seen.begin(), seen.end(), [&](const auto& entry) { return entry.first == node; });
    if (it == seen.end())
      out.push_back({"HDEL", std::string(layout::kNodes), node});
    else
      out.push_back({"HSET", std::string(layout::kNodes), node, std::to_string(it->second)});
  }
  for (const auto& [inbox, change] : inboxes_) emitInbox(inbox, change, out);
  for (const auto& [project, token] : mailWindows_) {
    auto window = memory_.mailWindow(project, token);
    if (window.empty())
      out.push_back({"HDEL", layout::mailWindowKey(project), token});
    else
      out.push_back({"HSET", layout::mailWindowKey(project), token, layout::encodeTimes(window)});
  }
  for (const auto& [project, id] : webhooks_) {
    auto hooks = memory_.webhooks(project);
    const std::string& changedId = id;  // a structured binding cannot be captured before C++20
    auto it = std::find_if(hooks.begin(), hooks.end(), [&](const WebhookRecord& h) { return h.id == changedId; });
    if (it == hooks.end())
      out.push_back({"HDEL", layout::webhooksKey(project), id});
    else
      out.push_back({"HSET", layout::webhooksKey(project), id, layout::encodeWebhook(*it)});
  }
  for (const auto& [room, appended] : roomHistories_) emitRoomHistory(room, appended, out);
  for (const auto& [project, room] : roomHistoriesGone_) {
    out.push_back({"HDEL", layout::roomStreamsKey(project), room});
    out.push_back({"DEL", layout::roomHistoryKey(project, room)});
  }

  projects_.clear();
  tokenSets_.clear();
  sessions_.clear();
  presence_.clear();
  rooms_.clear();
  nodes_.clear();
  inboxes_.clear();
  mailWindows_.clear();
  webhooks_.clear();
  roomHistories_.clear();
  roomHistoriesGone_.clear();
  return out;
}

}  // namespace wsd::store
