// Building, printing and hashing snapshots of the projections.
#include "store/projection_snapshot.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cstdio>

#include "core/json.h"
#include "store/redis_layout.h"

namespace wsd::store {
namespace layout = redis_layout;
namespace {

void putHash(Snapshot& out, const std::string& key, std::map<std::string, std::string> fields) {
  if (fields.empty()) return;  // Redis keeps no empty hash
  KeyState state;
  state.type = "hash";
  state.hash = std::move(fields);
  out[key] = std::move(state);
}

void putSet(Snapshot& out, const std::string& key, std::vector<std::string> members) {
  if (members.empty()) return;
  std::sort(members.begin(), members.end());
  KeyState state;
  state.type = "set";
  state.items = std::move(members);
  out[key] = std::move(state);
}

void addProjectRecords(const StateStore& s, const std::string& p, Snapshot& out) {
  std::map<std::string, std::string> tokens;
  std::map<std::string, std::string> windows;
  for (const auto& token : s.tokens(p)) {
    tokens[token.token] = layout::encodeToken(token);
    if (auto window = s.mailWindow(p, token.token); !window.empty()) windows[token.token] = layout::encodeTimes(window);
  }
  putHash(out, layout::tokensKey(p), std::move(tokens));
  putHash(out, layout::mailWindowKey(p), std::move(windows));
  std::map<std::string, std::string> hooks;
  for (const auto& hook : s.webhooks(p)) hooks[hook.id] = layout::encodeWebhook(hook);
  putHash(out, layout::webhooksKey(p), std::move(hooks));
}

void addSessionsAndRooms(const StateStore& s, const std::string& p, Snapshot& out) {
  std::map<std::string, std::string> sessions;
  std::set<std::string> rooms;
  for (const auto& conn : s.connsOfProject(p)) {
    if (auto session = s.session(conn)) sessions[conn] = layout::encodeSession(*session);
    for (auto& room : s.roomsOfConn(conn)) rooms.insert(std::move(room));
  }
  putHash(out, layout::sessionsKey(p), std::move(sessions));
  putSet(out, layout::onlineKey(p), s.onlineUids(p));
  std::map<std::string, std::string> members;
  for (const auto& room : rooms) {
    if (auto conns = s.roomConns(p, room); !conns.empty()) members[room] = layout::encodeConns(conns);
  }
  putHash(out, layout::roomsKey(p), std::move(members));
}

void addInboxes(const StateStore& s, const std::string& p, Snapshot& out) {
  for (const auto& uid : s.inboxUids(p)) {
    KeyState state;
    state.type = "list";
    for (const auto& message : s.inbox(p, uid)) {
      state.items.push_back(layout::encodeMessage(message));
      state.expiresAt = std::max(state.expiresAt, message.expiresAt);  // the key expires with its newest
    }
    if (!state.items.empty()) out[layout::inboxKey(p, uid)] = std::move(state);
  }
}

// Room streams and their retained messages, as RedisStore keeps them; a stream whose
// messages are all trimmed has no list (Redis keeps no empty list).
void addRoomHistories(const StateStore& s, const std::string& p, Snapshot& out) {
  std::map<std::string, std::string> streams;
  for (const auto& room : s.roomStreamIds(p)) {
    streams[room] = layout::encodeRoomStream(s.roomStream(p, room));
    KeyState state;
    state.type = "list";
    for (const auto& message : s.roomMessages(p, room)) state.items.push_back(layout::encodeRoomMessage(message));
    if (!state.items.empty()) out[layout::roomHistoryKey(p, room)] = std::move(state);
  }
  putHash(out, layout::roomStreamsKey(p), std::move(streams));
}

void writeValue(json::Writer& w, const KeyState& state) {
  if (state.type == "hash") {
    w.StartObject();
    for (const auto& [field, value] : state.hash) json::field(w, field, value);
    w.EndObject();
  } else if (state.type == "string") {
    json::str(w, state.items.empty() ? "" : state.items.front());
  } else {
    w.StartArray();
    for (const auto& item : state.items) json::str(w, item);
    w.EndArray();
  }
}

std::string hexSha256(const std::string& bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr);
  std::string hex;
  char pair[3];
  for (unsigned int i = 0; i < length; ++i) {
    std::snprintf(pair, sizeof(pair), "%02x", digest[i]);
    hex += pair;
  }
  return hex;
}

}  // namespace

Snapshot snapshotOf(const StateStore& s, const std::set<std::string>& projects) {
  Snapshot out;
  std::map<std::string, std::string> projectRecords;
  for (const auto& record : s.projects()) projectRecords[record.key] = layout::encodeProject(record);
  putHash(out, std::string(layout::kProjects), std::move(projectRecords));
  for (const auto& p : projects) {
    if (p.empty()) continue;
    addProjectRecords(s, p, out);
    addSessionsAndRooms(s, p, out);
    addInboxes(s, p, out);
    addRoomHistories(s, p, out);
  }
  std::map<std::string, std::string> nodes;
  for (const auto& [node, seen] : s.nodes()) nodes[node] = std::to_string(seen);
  putHash(out, std::string(layout::kNodes), std::move(nodes));
  return out;
}

bool isProjectionKey(std::string_view key) {
  if (!key.starts_with("wsd:") || key == layout::kEpoch) return false;
  // The gateways' own keys for shared polling sessions (wsd:poll:, wsd:poll-bytes:,
  // wsd:poll-seen:) are not projections of the log.
  return !key.starts_with("wsd:offsets:") && !key.starts_with("wsd:folds:") && !key.starts_with("wsd:poll:") &&
         !key.starts_with("wsd:poll-");
}

namespace {

// {"key"?,"type","value"[,"expiresAt"]}; `key` null: left out.
void writeEntry(json::Writer& w, const std::string* key, const KeyState& state) {
  w.StartObject();
  if (key != nullptr) json::field(w, "key", *key);
  json::field(w, "type", state.type);
  json::key(w, "value");
  writeValue(w, state);
  if (state.expiresAt >= 0) json::field(w, "expiresAt", state.expiresAt);
  w.EndObject();
}

std::string entryText(const std::string* key, const KeyState& state) {
  rapidjson::StringBuffer buffer;
  json::Writer w(buffer);
  writeEntry(w, key, state);
  return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace

std::vector<std::string> canonicalLines(const Snapshot& snapshot) {
  std::vector<std::string> lines;
  lines.reserve(snapshot.size());
  for (const auto& [key, state] : snapshot) lines.push_back(entryText(&key, state));
  return lines;
}

std::string valueText(const KeyState& state) { return entryText(nullptr, state); }

void writeEntries(json::Writer& w, const Snapshot& snapshot) {
  w.StartArray();
  for (const auto& [key, state] : snapshot) writeEntry(w, &key, state);
  w.EndArray();
}

namespace {

Result<KeyState> readValue(const std::string& type, const rapidjson::Value& value) {
  KeyState state;
  state.type = type;
  if (type == "hash" && value.IsObject()) {
    for (const auto& m : value.GetObject()) {
      if (!m.value.IsString()) return makeError("bad_snapshot", "a hash field's value is not a string");
      state.hash.emplace(json::view(m.name), json::view(m.value));
    }
    return state;
  }
  if (type == "string" && value.IsString()) {
    state.items.emplace_back(json::view(value));
    return state;
  }
  if ((type == "set" || type == "list") && value.IsArray()) {
    for (const auto& item : value.GetArray()) {
      if (!item.IsString()) return makeError("bad_snapshot", "a " + type + " item is not a string");
      state.items.emplace_back(json::view(item));
    }
    if (type == "set") std::sort(state.items.begin(), state.items.end());
    return state;
  }
  return makeError("bad_snapshot", "a value does not match its type '" + type + "'");
}

}  // namespace

Result<Snapshot> readEntries(const rapidjson::Value& entries) {
  if (!entries.IsArray()) return makeError("bad_snapshot", "the snapshot's keys are not an array");
  Snapshot snapshot;
  for (const auto& entry : entries.GetArray()) {
    const auto key = entry.IsObject() ? json::string(entry, "key") : std::nullopt;
    const auto type = key ? json::string(entry, "type") : std::nullopt;
    const auto* value = type ? json::member(entry, "value") : nullptr;
    if (value == nullptr) return makeError("bad_snapshot", "an entry lacks its key, type or value");
    auto state = readValue(*type, *value);
    if (!state.ok()) return makeError("bad_snapshot", *key + ": " + state.error().message);
    state->expiresAt = json::int64(entry, "expiresAt").value_or(-1);
    if (!snapshot.emplace(*key, std::move(state.value())).second) {
      return makeError("bad_snapshot", *key + " appears twice");
    }
  }
  return snapshot;
}

std::string digestOf(const Snapshot& snapshot) {
  std::string all;
  for (const auto& line : canonicalLines(snapshot)) all += line + "\n";
  return "sha256:" + hexSha256(all);
}

std::string summaryOf(const Snapshot& snapshot) {
  std::size_t projects = 0, tokens = 0, sessions = 0, online = 0, rooms = 0, inboxes = 0, messages = 0, windows = 0,
              nodes = 0;
  for (const auto& [key, state] : snapshot) {
    if (key == layout::kProjects) projects = state.hash.size();
    if (key == layout::kNodes) nodes = state.hash.size();
    if (key.starts_with("wsd:tokens:")) tokens += state.hash.size();
    if (key.starts_with("wsd:sessions:")) sessions += state.hash.size();
    if (key.starts_with("wsd:online:")) online += state.items.size();
    if (key.starts_with("wsd:rooms:")) rooms += state.hash.size();
    if (key.starts_with("wsd:mailwindow:")) windows += state.hash.size();
    if (key.starts_with("wsd:inbox:")) {
      ++inboxes;
      messages += state.items.size();
    }
  }
  return std::to_string(snapshot.size()) + " keys: " + std::to_string(projects) + " projects, " +
         std::to_string(tokens) + " tokens, " + std::to_string(sessions) + " sessions, " + std::to_string(online) +
         " uids online, " + std::to_string(rooms) + " rooms, " + std::to_string(messages) + " stored messages in " +
         std::to_string(inboxes) + " inboxes, " + std::to_string(windows) + " mail windows, " + std::to_string(nodes) +
         " nodes";
}

}  // namespace wsd::store
