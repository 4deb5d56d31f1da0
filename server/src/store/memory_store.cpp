#include "store/memory_store.h"

#include <algorithm>

#include "core/constant_time.h"

namespace wsd::store {
namespace {

template <typename Map>
auto* findIn(Map& map, std::string_view key) {
  auto it = map.find(key);
  return it == map.end() ? nullptr : &it->second;
}

void eraseValue(std::vector<std::string>& items, std::string_view value) {
  items.erase(std::remove(items.begin(), items.end(), value), items.end());
}

}  // namespace

// ---- projects and tokens ----------------------------------------------------------

std::optional<ProjectRecord> MemoryStore::project(std::string_view key) const {
  const auto* data = findIn(projects_, key);
  if (data == nullptr) return std::nullopt;
  return data->record;
}

std::vector<ProjectRecord> MemoryStore::projects() const {
  std::vector<ProjectRecord> out;
  out.reserve(projects_.size());
  for (const auto& [key, data] : projects_) out.push_back(data.record);
  return out;
}

void MemoryStore::putProject(const ProjectRecord& project) { projects_[project.key].record = project; }

void MemoryStore::removeProject(std::string_view key) {
  auto it = projects_.find(key);
  if (it != projects_.end()) projects_.erase(it);
  auto first = inboxes_.lower_bound({std::string(key), std::string()});
  auto last = first;
  while (last != inboxes_.end() && last->first.first == key) ++last;
  inboxes_.erase(first, last);
  if (auto queue = expiries_.find(key); queue != expiries_.end()) expiries_.erase(queue);
  if (auto queue = roomExpiries_.find(key); queue != roomExpiries_.end()) roomExpiries_.erase(queue);
  std::erase_if(mailWindows_, [&](const auto& entry) { return entry.first.first == key; });
  std::erase_if(webhooks_, [&](const auto& entry) { return entry.first.first == key; });
  std::erase_if(roomHistories_, [&](const auto& entry) { return entry.first.first == key; });
}

std::optional<TokenRecord> MemoryStore::token(std::string_view project, std::string_view token) const {
  const auto* data = findIn(projects_, project);
  if (data == nullptr) return std::nullopt;
  // Every token is compared, in constant time: how long a lookup takes says neither how
  // much of a guess was right nor which token it matched. O(tokens of the project).
  std::optional<TokenRecord> found;
  for (const auto& t : data->tokens) {
    if (equalInConstantTime(t.token, token)) found = t;
  }
  return found;
}

std::vector<TokenRecord> MemoryStore::tokens(std::string_view project) const {
  const auto* data = findIn(projects_, project);
  return data == nullptr ? std::vector<TokenRecord>{} : data->tokens;
}

void MemoryStore::putToken(std::string_view project, const TokenRecord& token) {
  auto* data = findIn(projects_, project);
  if (data == nullptr) return;
  for (auto& t : data->tokens) {
    if (t.token == token.token) {
      t = token;
      return;
    }
  }
  data->tokens.push_back(token);
}

void MemoryStore::removeToken(std::string_view project, std::string_view token) {
  auto* data = findIn(projects_, project);
  if (data == nullptr) return;
  std::erase_if(data->tokens, [&](const TokenRecord& t) { return t.token == token; });
  mailWindows_.erase({std::string(project), std::string(token)});
}

// ---- sessions and presence --------------------------------------------------------

MemoryStore::LiveProject& MemoryStore::live(std::string_view project) {
  auto it = live_.find(project);
  if (it == live_.end()) it = live_.emplace(std::string(project), LiveProject{}).first;
  return it->second;
}

const MemoryStore::LiveProject* MemoryStore::findLive(std::string_view project) const { return findIn(live_, project); }

void MemoryStore::dropLiveIfEmpty(std::string_view project) {
  auto it = live_.find(project);
  if (it != live_.end() && it->second.conns.empty()) live_.erase(it);
}

std::optional<SessionRecord> MemoryStore::session(std::string_view conn) const {
  auto it = sessions_.find(std::string(conn));
  if (it == sessions_.end()) return std::nullopt;
  return it->second.record;
}

void MemoryStore::openSession(const SessionRecord& session) {
  auto& data = sessions_[session.conn];
  data.record = session;
  auto& project = live(session.project);
  project.conns[session.conn] = &data;
  if (!session.uid.empty()) project.presence[session.uid].push_back(session.conn);
}

void MemoryStore::bindSession(std::string_view conn, std::string_view uid) {
  auto it = sessions_.find(std::string(conn));
  if (it == sessions_.end() || !it->second.record.uid.empty()) return;
  it->second.record.uid = std::string(uid);
  live(it->second.record.project).presence[std::string(uid)].push_back(std::string(conn));
}

void MemoryStore::setSessionFilter(std::string_view conn, std::vector<std::string> unsubscribed) {
  auto it = sessions_.find(std::string(conn));
  if (it != sessions_.end()) it->second.record.unsubscribed = std::move(unsubscribed);
}

void MemoryStore::closeSession(std::string_view conn) {
  auto it = sessions_.find(std::string(conn));
  if (it == sessions_.end()) return;
  const SessionRecord record = it->second.record;
  for (const auto& room : std::vector<std::string>(it->second.rooms)) {
    leaveRoom(record.project, room, conn);
  }
  auto& project = live(record.project);
  if (!record.uid.empty()) {
    auto presence = project.presence.find(record.uid);
    if (presence != project.presence.end()) {
      eraseValue(presence->second, conn);
      if (presence->second.empty()) project.presence.erase(presence);
    }
  }
  project.conns.erase(std::string(conn));
  sessions_.erase(it);
  dropLiveIfEmpty(record.project);
}

std::vector<std::string> MemoryStore::connsOfUid(std::string_view project, std::string_view uid) const {
  const auto* p = findLive(project);
  if (p == nullptr) return {};
  const auto* conns = findIn(p->presence, uid);
  return conns == nullptr ? std::vector<std::string>{} : *conns;
}

std::vector<std::string> MemoryStore::connsOfNode(std::string_view node) const {
  std::vector<std::string> out;
  for (const auto& [conn, data] : sessions_) {
    if (data.record.node == node) out.push_back(conn);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> MemoryStore::connsOfToken(std::string_view project, std::string_view token) const {
  std::vector<std::string> out;
  const auto* p = findLive(project);
  if (p == nullptr) return out;
  for (const auto& [conn, data] : p->conns) {
    if (data->record.token == token) out.push_back(conn);
  }
  return out;
}

std::vector<std::string> MemoryStore::connsOfProject(std::string_view project) const {
  std::vector<std::string> out;
  const auto* p = findLive(project);
  if (p == nullptr) return out;
  out.reserve(p->conns.size());
  for (const auto& [conn, data] : p->conns) out.push_back(conn);
  return out;
}

std::vector<std::string> MemoryStore::onlineUids(std::string_view project) const {
  std::vector<std::string> out;
  const auto* p = findLive(project);
  if (p == nullptr) return out;
  out.reserve(p->presence.size());
  for (const auto& [uid, conns] : p->presence) out.push_back(uid);
  return out;  // std::map keeps them sorted
}

// ---- rooms ----------------------------------------------------------------------

void MemoryStore::joinRoom(std::string_view project, std::string_view room, std::string_view conn) {
  auto it = sessions_.find(std::string(conn));
  if (it == sessions_.end()) return;
  auto& rooms = it->second.rooms;
  if (std::find(rooms.begin(), rooms.end(), room) != rooms.end()) return;
  rooms.emplace_back(room);
  live(project).rooms[std::string(room)].emplace_back(conn);
}

void MemoryStore::leaveRoom(std::string_view project, std::string_view room, std::string_view conn) {
  auto it = sessions_.find(std::string(conn));
  if (it != sessions_.end()) eraseValue(it->second.rooms, room);
  auto* p = findIn(live_, project);
  if (p == nullptr) return;
  auto members = p->rooms.find(room);
  if (members == p->rooms.end()) return;
  eraseValue(members->second, conn);
  if (members->second.empty()) p->rooms.erase(members);
}

std::vector<std::string> MemoryStore::roomsOfConn(std::string_view conn) const {
  auto it = sessions_.find(std::string(conn));
  return it == sessions_.end() ? std::vector<std::string>{} : it->second.rooms;
}

std::vector<std::string> MemoryStore::roomConns(std::string_view project, std::string_view room) const {
  const auto* p = findLive(project);
  if (p == nullptr) return {};
  const auto* conns = findIn(p->rooms, room);
  return conns == nullptr ? std::vector<std::string>{} : *conns;
}

std::vector<std::string> MemoryStore::roomMemberUids(std::string_view project, std::string_view room) const {
  std::vector<std::string> uids;
  for (const auto& conn : roomConns(project, room)) {
    auto it = sessions_.find(conn);
    if (it != sessions_.end() && !it->second.record.uid.empty()) uids.push_back(it->second.record.uid);
  }
  std::sort(uids.begin(), uids.end());
  uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
  return uids;
}

// ---- gateways -------------------------------------------------------------------------

void MemoryStore::nodeSeen(std::string_view node, std::int64_t atMs) { nodes_[std::string(node)] = atMs; }

void MemoryStore::forgetNode(std::string_view node) {
  if (auto it = nodes_.find(node); it != nodes_.end()) nodes_.erase(it);
}

std::vector<std::pair<std::string, std::int64_t>> MemoryStore::nodes() const { return {nodes_.begin(), nodes_.end()}; }

// ---- offline inboxes --------------------------------------------------------------

void MemoryStore::pushInbox(std::string_view project, std::string_view uid, const StoredMessage& message) {
  inboxes_[{std::string(project), std::string(uid)}].push_back(message);
  auto queue = expiries_.find(project);
  if (queue == expiries_.end()) queue = expiries_.emplace(std::string(project), ExpiryQueue{}).first;
  queue->second.push(Expiry{message.expiresAt, std::string(uid)});
}

std::size_t MemoryStore::inboxSize(std::string_view project, std::string_view uid) const {
  auto it = inboxes_.find({std::string(project), std::string(uid)});
  return it == inboxes_.end() ? 0 : it->second.size();
}

std::vector<StoredMessage> MemoryStore::takeInbox(std::string_view project, std::string_view uid) {
  auto it = inboxes_.find({std::string(project), std::string(uid)});
  if (it == inboxes_.end()) return {};
  std::vector<StoredMessage> out(std::make_move_iterator(it->second.begin()),
                                 std::make_move_iterator(it->second.end()));
  inboxes_.erase(it);
  return out;
}

std::vector<std::string> MemoryStore::inboxUids(std::string_view project) const {
  std::vector<std::string> uids;
  for (auto it = inboxes_.lower_bound({std::string(project), std::string()});
       it != inboxes_.end() && it->first.first == project; ++it) {
    uids.push_back(it->first.second);
  }
  return uids;
}

std::vector<StoredMessage> MemoryStore::inbox(std::string_view project, std::string_view uid) const {
  auto it = inboxes_.find({std::string(project), std::string(uid)});
  if (it == inboxes_.end()) return {};
  return {it->second.begin(), it->second.end()};
}

std::vector<std::string> MemoryStore::removeFromInbox(std::string_view project, std::string_view uid,
                                                      const std::vector<std::string>& ids) {
  std::vector<std::string> removed;
  auto it = inboxes_.find({std::string(project), std::string(uid)});
  if (it == inboxes_.end()) return removed;
  // The expiry queue keeps its entries: expireInboxes() skips those that match nothing.
  std::erase_if(it->second, [&](const StoredMessage& m) {
    if (std::find(ids.begin(), ids.end(), m.id) == ids.end()) return false;
    removed.push_back(m.id);
    return true;
  });
  if (it->second.empty()) inboxes_.erase(it);
  return removed;
}

std::vector<std::string> MemoryStore::expireInboxes(std::string_view project, std::int64_t nowMs) {
  std::vector<std::string> changed;
  auto queue = expiries_.find(project);
  if (queue == expiries_.end()) return changed;
  auto& expiries = queue->second;
  while (!expiries.empty() && expiries.top().at <= nowMs) {
    Expiry expiry = expiries.top();
    expiries.pop();
    auto it = inboxes_.find({std::string(project), expiry.name});
    if (it == inboxes_.end()) continue;  // already delivered or dropped
    if (std::erase_if(it->second, [&](const StoredMessage& m) { return m.expiresAt <= nowMs; }) == 0) continue;
    changed.push_back(expiry.name);
    if (it->second.empty()) inboxes_.erase(it);
  }
  if (expiries.empty()) expiries_.erase(queue);
  return changed;
}

// ---- mail rate-limit windows ----------------------------------------------------------

std::vector<std::int64_t> MemoryStore::mailWindow(std::string_view project, std::string_view token) const {
  auto it = mailWindows_.find({std::string(project), std::string(token)});
  return it == mailWindows_.end() ? std::vector<std::int64_t>{} : it->second;
}

void MemoryStore::putMailWindow(std::string_view project, std::string_view token,
                                std::vector<std::int64_t> requestedAt) {
  std::pair<std::string, std::string> key{project, token};
  if (requestedAt.empty())
    mailWindows_.erase(key);
  else
    mailWindows_[std::move(key)] = std::move(requestedAt);
}

std::vector<std::string> MemoryStore::mailWindowTokens(std::string_view project) const {
  std::vector<std::string> tokens;
  for (auto it = mailWindows_.lower_bound({std::string(project), std::string()});
       it != mailWindows_.end() && it->first.first == project; ++it) {
    tokens.push_back(it->first.second);
  }
  return tokens;
}

// ---- webhooks ---------------------------------------------------------------------------

std::vector<WebhookRecord> MemoryStore::webhooks(std::string_view project) const {
  std::vector<WebhookRecord> hooks;
  for (auto it = webhooks_.lower_bound({std::string(project), std::string()});
       it != webhooks_.end() && it->first.first == project; ++it) {
    hooks.push_back(it->second);
  }
  return hooks;
}

void MemoryStore::putWebhook(std::string_view project, const WebhookRecord& hook) {
  webhooks_[{std::string(project), hook.id}] = hook;
}

void MemoryStore::removeWebhook(std::string_view project, std::string_view id) {
  webhooks_.erase({std::string(project), std::string(id)});
}

// ---- room histories ---------------------------------------------------------------------

RoomStream MemoryStore::roomStream(std::string_view project, std::string_view room) const {
  auto it = roomHistories_.find({std::string(project), std::string(room)});
  return it == roomHistories_.end() ? RoomStream{} : it->second.stream;
}

void MemoryStore::appendRoomMessage(std::string_view project, std::string_view room, std::string_view epoch,
                                    const RoomMessage& message, std::size_t keep, std::int64_t dropBeforeMs) {
  auto& history = roomHistories_[{std::string(project), std::string(room)}];
  history.stream.offset = message.offset;
  if (history.stream.epoch.empty()) history.stream.epoch = std::string(epoch);
  history.retained.push_back(message);
  while (history.retained.size() > keep) history.retained.pop_front();
  while (!history.retained.empty() && history.retained.front().ts < dropBeforeMs) history.retained.pop_front();
  if (history.retained.empty()) {
    history.expiresAt = 0;
    return;
  }
  // dropBeforeMs is message.ts minus the TTL, so the newest message passes the TTL this far after its ts.
  history.expiresAt = message.ts + (message.ts - dropBeforeMs);
  auto& queue = roomExpiries_[std::string(project)];
  queue.push(Expiry{history.expiresAt, std::string(room)});
}

std::vector<std::string> MemoryStore::expireRoomHistories(std::string_view project, std::int64_t nowMs) {
  std::vector<std::string> changed;
  auto queue = roomExpiries_.find(project);
  if (queue == roomExpiries_.end()) return changed;
  auto& expiries = queue->second;
  while (!expiries.empty() && expiries.top().at <= nowMs) {
    Expiry expiry = expiries.top();
    expiries.pop();
    auto it = roomHistories_.find({std::string(project), expiry.name});
    if (it == roomHistories_.end() || it->second.retained.empty()) continue;
    if (it->second.expiresAt == 0 || it->second.expiresAt > nowMs) continue;  // refreshed since
    it->second.retained.clear();  // the stream stays: offsets never repeat or go back
    it->second.expiresAt = 0;
    changed.push_back(expiry.name);
  }
  if (expiries.empty()) roomExpiries_.erase(queue);
  return changed;
}

std::int64_t MemoryStore::roomHistoryExpiresAt(std::string_view project, std::string_view room) const {
  auto it = roomHistories_.find({std::string(project), std::string(room)});
  return it == roomHistories_.end() ? 0 : it->second.expiresAt;
}

std::vector<RoomMessage> MemoryStore::roomMessages(std::string_view project, std::string_view room) const {
  auto it = roomHistories_.find({std::string(project), std::string(room)});
  if (it == roomHistories_.end()) return {};
  return {it->second.retained.begin(), it->second.retained.end()};
}

std::vector<std::string> MemoryStore::roomStreamIds(std::string_view project) const {
  std::vector<std::string> rooms;
  for (auto it = roomHistories_.lower_bound({std::string(project), std::string()});
       it != roomHistories_.end() && it->first.first == project; ++it) {
    rooms.push_back(it->first.second);
  }
  return rooms;
}

void MemoryStore::loadRoomHistory(std::string_view project, std::string_view room, RoomStream stream,
                                  std::vector<RoomMessage> messages, std::int64_t expiresAt) {
  auto& history = roomHistories_[{std::string(project), std::string(room)}];
  history.stream = std::move(stream);
  history.retained.assign(std::make_move_iterator(messages.begin()), std::make_move_iterator(messages.end()));
  history.expiresAt = history.retained.empty() ? 0 : expiresAt;
  if (history.expiresAt > 0) roomExpiries_[std::string(project)].push(Expiry{expiresAt, std::string(room)});
}

}  // namespace wsd::store
