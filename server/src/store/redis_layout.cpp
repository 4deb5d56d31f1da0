#include "store/redis_layout.h"

#include "core/json.h"

namespace wsd::store::redis_layout {
namespace {

std::string scoped(std::string_view kind, std::string_view project) {
  std::string key = "wsd:";
  key.append(kind).append(":{").append(project).append("}");
  return key;
}

std::optional<json::Document> parseObject(std::string_view text) {
  json::Document doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError() || !doc.IsObject()) return std::nullopt;
  return doc;
}

template <typename Fill>
std::string object(Fill fill) {
  rapidjson::StringBuffer buffer;
  json::Writer w(buffer);
  w.StartObject();
  fill(w);
  w.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace

std::string tokensKey(std::string_view project) { return scoped("tokens", project); }
std::string sessionsKey(std::string_view project) { return scoped("sessions", project); }
std::string onlineKey(std::string_view project) { return scoped("online", project); }
std::string roomsKey(std::string_view project) { return scoped("rooms", project); }
std::string mailWindowKey(std::string_view project) { return scoped("mailwindow", project); }
std::string webhooksKey(std::string_view project) { return scoped("webhooks", project); }
std::string inboxKey(std::string_view project, std::string_view uid) {
  return scoped("inbox", project).append(":").append(uid);
}
std::string roomStreamsKey(std::string_view project) { return scoped("roomstreams", project); }
std::string roomHistoryKey(std::string_view project, std::string_view room) {
  return scoped("roomhistory", project).append(":").append(room);
}
std::string offsetsKey(std::string_view topic) { return std::string("wsd:offsets:").append(topic); }
std::string foldsKey(std::string_view topic) { return std::string("wsd:folds:").append(topic); }
std::string pollQueueKey(std::string_view project, std::string_view conn) {
  return scoped("poll", project).append(":").append(conn);
}
std::string pollBytesKey(std::string_view project, std::string_view conn) {
  return scoped("poll-bytes", project).append(":").append(conn);
}
std::string pollSeenKey(std::string_view project, std::string_view conn) {
  return scoped("poll-seen", project).append(":").append(conn);
}
std::string gatewayChannel(std::string_view node) { return std::string("wsd:gateway:").append(node); }

std::optional<KeyParts> parseKey(std::string_view key, std::string_view kind) {
  std::string prefix = "wsd:";
  prefix.append(kind).append(":{");
  if (key.substr(0, prefix.size()) != prefix) return std::nullopt;
  key.remove_prefix(prefix.size());
  auto close = key.find('}');
  if (close == std::string_view::npos || close == 0) return std::nullopt;
  KeyParts parts{std::string(key.substr(0, close)), {}};
  key.remove_prefix(close + 1);
  if (!key.empty()) {
    if (key.front() != ':') return std::nullopt;
    parts.rest = std::string(key.substr(1));
  }
  return parts;
}

std::string encodeProject(const ProjectRecord& project) {
  return object([&](json::Writer& w) {
    json::field(w, "name", project.name);
    json::field(w, "createdAt", project.createdAt);
    json::key(w, "settings");
    project.settings.writeStored(w);
  });
}

std::optional<ProjectRecord> decodeProject(std::string_view key, std::string_view text) {
  auto doc = parseObject(text);
  if (!doc) return std::nullopt;
  ProjectRecord project{
      std::string(key), json::string(*doc, "name").value_or(""), json::int64(*doc, "createdAt").value_or(0), {}};
  if (const auto* settings = json::member(*doc, "settings")) project.settings = ProjectSettings::readStored(*settings);
  return project;
}

std::string encodeToken(const TokenRecord& token) {
  return object([&](json::Writer& w) {
    json::key(w, "expiresAt");
    if (token.expiresAt)
      w.Int64(*token.expiresAt);
    else
      w.Null();
    json::field(w, "createdAt", token.createdAt);
  });
}

std::optional<TokenRecord> decodeToken(std::string_view token, std::string_view text) {
  auto doc = parseObject(text);
  if (!doc) return std::nullopt;
  return TokenRecord{std::string(token), json::int64(*doc, "expiresAt"), json::int64(*doc, "createdAt").value_or(0)};
}

std::string encodeSession(const SessionRecord& session) {
  return object([&](json::Writer& w) {
    json::field(w, "node", session.node);
    json::field(w, "token", session.token);
    json::field(w, "uid", session.uid);
    json::field(w, "transport", session.transport);
    // Only when set, so sessions that never filtered keep the seed layout.
    if (!session.unsubscribed.empty()) {
      json::key(w, "unsubscribed");
      w.StartArray();
      for (const auto& kind : session.unsubscribed) json::str(w, kind);
      w.EndArray();
    }
  });
}

std::optional<SessionRecord> decodeSession(std::string_view project, std::string_view conn, std::string_view text) {
  auto doc = parseObject(text);
  if (!doc) return std::nullopt;
  SessionRecord session{std::string(conn),
                        std::string(project),
                        json::string(*doc, "node").value_or(""),
                        json::string(*doc, "token").value_or(""),
                        json::string(*doc, "uid").value_or(""),
                        json::string(*doc, "transport").value_or(""),
                        {}};
  if (const auto* kinds = json::member(*doc, "unsubscribed"); kinds != nullptr && kinds->IsArray()) {
    for (const auto& kind : kinds->GetArray()) {
      if (!kind.IsString()) return std::nullopt;
      session.unsubscribed.emplace_back(json::view(kind));
    }
  }
  return session;
}

std::string encodeConns(const std::vector<std::string>& conns) {
  rapidjson::StringBuffer buffer;
  json::Writer w(buffer);
  w.StartArray();
  for (const auto& conn : conns) json::str(w, conn);
  w.EndArray();
  return {buffer.GetString(), buffer.GetSize()};
}

std::optional<std::vector<std::string>> decodeConns(std::string_view text) {
  json::Document doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError() || !doc.IsArray()) return std::nullopt;
  std::vector<std::string> conns;
  for (const auto& item : doc.GetArray()) {
    if (!item.IsString()) return std::nullopt;
    conns.emplace_back(json::view(item));
  }
  return conns;
}

std::string encodeTimes(const std::vector<std::int64_t>& times) {
  rapidjson::StringBuffer buffer;
  json::Writer w(buffer);
  w.StartArray();
  for (auto t : times) w.Int64(t);
  w.EndArray();
  return {buffer.GetString(), buffer.GetSize()};
}

std::optional<std::vector<std::int64_t>> decodeTimes(std::string_view text) {
  json::Document doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError() || !doc.IsArray()) return std::nullopt;
  std::vector<std::int64_t> times;
  for (const auto& item : doc.GetArray()) {
    if (!item.IsInt64()) return std::nullopt;
    times.push_back(item.GetInt64());
  }
  return times;
}

namespace {

// The client's `msg` is kept as raw JSON, so it goes in as a value, not a string (a
// text that does not parse, which the log never holds, goes in as a string).
void rawJsonField(json::Writer& w, std::string_view name, const std::string& raw) {
  json::Document value;
  value.Parse(raw.data(), raw.size());
  json::key(w, name);
  if (value.HasParseError())
    json::str(w, raw);
  else
    json::value(w, value);
}

}  // namespace

std::string encodeMessage(const StoredMessage& message) {
  return object([&](json::Writer& w) {
    json::field(w, "id", message.id);
    json::field(w, "from", message.from);
    json::field(w, "to", message.to);
    rawJsonField(w, "msg", message.msgJson);
    json::field(w, "ts", message.ts);
    json::field(w, "expiresAt", message.expiresAt);
  });
}

std::optional<StoredMessage> decodeMessage(std::string_view text) {
  auto doc = parseObject(text);
  if (!doc) return std::nullopt;
  const auto* msg = json::member(*doc, "msg");
  if (msg == nullptr) return std::nullopt;
  return StoredMessage{json::string(*doc, "id").value_or(""), json::string(*doc, "from").value_or(""),
                       json::string(*doc, "to").value_or(""), json::stringify(*msg),
                       json::int64(*doc, "ts").value_or(0),   json::int64(*doc, "expiresAt").value_or(0)};
}

std::string encodeRoomStream(const RoomStream& stream) {
  return object([&](json::Writer& w) {
    json::field(w, "offset", stream.offset);
    json::field(w, "epoch", stream.epoch);
  });
}

std::optional<RoomStream> decodeRoomStream(std::string_view text) {
  auto doc = parseObject(text);
  if (!doc) return std::nullopt;
  auto offset = json::int64(*doc, "offset");
  auto epoch = json::string(*doc, "epoch");
  if (!offset || !epoch) return std::nullopt;
  return RoomStream{*offset, *epoch};
}

std::string encodeRoomMessage(const RoomMessage& message) {
  return object([&](json::Writer& w) {
    json::field(w, "offset", message.offset);
    json::field(w, "id", message.id);
    json::field(w, "from", message.from);
    rawJsonField(w, "msg", message.msgJson);
    json::field(w, "ts", message.ts);
  });
}

std::optional<RoomMessage> decodeRoomMessage(std::string_view text) {
  auto doc = parseObject(text);
  if (!doc) return std::nullopt;
  const auto* msg = json::member(*doc, "msg");
  auto offset = json::int64(*doc, "offset");
  if (msg == nullptr || !offset) return std::nullopt;
  return RoomMessage{*offset, json::string(*doc, "id").value_or(""), json::string(*doc, "from").value_or(""),
                     json::stringify(*msg), json::int64(*doc, "ts").value_or(0)};
}

std::string encodeWebhook(const WebhookRecord& hook) {
  return object([&](json::Writer& w) {
    json::field(w, "url", hook.url);
    json::key(w, "events");
    w.StartArray();
    for (const auto& name : hook.events) json::str(w, name);
    w.EndArray();
    json::field(w, "secret", hook.secret);
    json::field(w, "createdAt", hook.createdAt);
  });
}

std::optional<WebhookRecord> decodeWebhook(std::string_view id, std::string_view text) {
  auto doc = parseObject(text);
  if (!doc) return std::nullopt;
  const auto* events = json::member(*doc, "events");
  if (events == nullptr || !events->IsArray()) return std::nullopt;
  WebhookRecord hook{std::string(id),
                     json::string(*doc, "url").value_or(""),
                     {},
                     json::string(*doc, "secret").value_or(""),
                     json::int64(*doc, "createdAt").value_or(0)};
  for (const auto& name : events->GetArray()) {
    if (!name.IsString()) return std::nullopt;
    hook.events.emplace_back(json::view(name));
  }
  return hook;
}

}  // namespace wsd::store::redis_layout
