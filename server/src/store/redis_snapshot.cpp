#include "store/redis_snapshot.h"

#include <algorithm>
#include <charconv>

#include "core/ids.h"
#include "store/redis_layout.h"

namespace wsd::store {
namespace layout = redis_layout;
namespace {

std::optional<std::int64_t> number(const std::string& text) {
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return n;
}

// Every key matching `pattern`, by SCAN (it does not block Redis the way KEYS does).
Result<std::vector<std::string>> scan(RedisSync& redis, const std::string& pattern) {
  std::vector<std::string> keys;
  std::string cursor = "0";
  do {
    auto reply = redis.command({"SCAN", cursor, "MATCH", pattern, "COUNT", "1000"});
    if (!reply.ok()) return reply.error();
    if (reply->elements.size() != 2) return makeError("redis_error", "unexpected SCAN reply");
    cursor = reply->elements[0].text;
    for (const auto& key : reply->elements[1].elements) keys.push_back(key.text);
  } while (cursor != "0");
  std::sort(keys.begin(), keys.end());
  return keys;
}

// HGETALL as field -> value pairs.
Result<std::vector<std::pair<std::string, std::string>>> hashOf(RedisSync& redis, const std::string& key) {
  auto reply = redis.command({"HGETALL", key});
  if (!reply.ok()) return reply.error();
  std::vector<std::pair<std::string, std::string>> fields;
  for (std::size_t i = 0; i + 1 < reply->elements.size(); i += 2) {
    fields.emplace_back(reply->elements[i].text, reply->elements[i + 1].text);
  }
  return fields;
}

Error corrupt(const std::string& key, const std::string& field) {
  return makeError("redis_corrupt", "cannot decode " + key + (field.empty() ? "" : " field " + field));
}

// Calls `each(project, field, value)` for every field of every hash "wsd:<kind>:{P}".
template <typename Each>
Status forEachScopedHash(RedisSync& redis, std::string_view kind, Each each) {
  auto keys = scan(redis, "wsd:" + std::string(kind) + ":{*}");
  if (!keys.ok()) return keys.error();
  for (const auto& key : *keys) {
    auto parts = layout::parseKey(key, kind);
    if (!parts || !parts->rest.empty()) continue;  // not ours
    auto fields = hashOf(redis, key);
    if (!fields.ok()) return fields.error();
    for (const auto& [field, value] : *fields) {
      if (auto status = each(parts->project, field, value); !status.ok()) return status;
    }
  }
  return okStatus();
}

Status loadProjects(RedisSync& redis, MemoryStore& into) {
  auto projects = hashOf(redis, std::string(layout::kProjects));
  if (!projects.ok()) return projects.error();
  for (const auto& [key, value] : *projects) {
    auto record = layout::decodeProject(key, value);
    if (!record) return corrupt(std::string(layout::kProjects), key);
    into.putProject(*record);
  }
  // Creation order is what the admin API lists tokens in.
  std::vector<std::pair<std::string, TokenRecord>> tokens;
  auto loaded = forEachScopedHash(redis, "tokens",
                                  [&](const std::string& project, const std::string& token, const std::string& value) {
                                    auto record = layout::decodeToken(token, value);
                                    if (!record) return Status(corrupt(layout::tokensKey(project), token));
                                    tokens.emplace_back(project, *record);
                                    return okStatus();
                                  });
  if (!loaded.ok()) return loaded;
  std::sort(tokens.begin(), tokens.end(), [](const auto& a, const auto& b) {
    return std::tie(a.second.createdAt, a.second.token) < std::tie(b.second.createdAt, b.second.token);
  });
  for (const auto& [project, token] : tokens) into.putToken(project, token);
  auto windows = forEachScopedHash(redis, "mailwindow",
                                   [&](const std::string& project, const std::string& token, const std::string& value) {
                                     auto times = layout::decodeTimes(value);
                                     if (!times) return Status(corrupt(layout::mailWindowKey(project), token));
                                     into.putMailWindow(project, token, std::move(*times));
                                     return okStatus();
                                   });
  if (!windows.ok()) return windows;
  return forEachScopedHash(redis, "webhooks",
                           [&](const std::string& project, const std::string& id, const std::string& value) {
                             auto hook = layout::decodeWebhook(id, value);
                             if (!hook) return Status(corrupt(layout::webhooksKey(project), id));
                             into.putWebhook(project, *hook);
                             return okStatus();
                           });
}

Status loadSessionsAndRooms(RedisSync& redis, MemoryStore& into) {
  auto sessions = forEachScopedHash(redis, "sessions",
                                    [&](const std::string& project, const std::string& conn, const std::string& value) {
                                      auto record = layout::decodeSession(project, conn, value);
                                      if (!record) return Status(corrupt(layout::sessionsKey(project), conn));
                                      into.openSession(*record);
                                      return okStatus();
                                    });
  if (!sessions.ok()) return sessions;
  return forEachScopedHash(redis, "rooms",
                           [&](const std::string& project, const std::string& room, const std::string& value) {
                             auto conns = layout::decodeConns(value);
                             if (!conns) return Status(corrupt(layout::roomsKey(project), room));
                             for (const auto& conn : *conns) into.joinRoom(project, room, conn);
                             return okStatus();
                           });
}

Status loadInboxes(RedisSync& redis, MemoryStore& into) {
  auto keys = scan(redis, "wsd:inbox:{*}:*");
  if (!keys.ok()) return keys.error();
  for (const auto& key : *keys) {
    auto parts = layout::parseKey(key, "inbox");
    if (!parts || parts->rest.empty()) continue;
    auto items = redis.command({"LRANGE", key, "0", "-1"});
    if (!items.ok()) return items.error();
    for (const auto& item : items->elements) {
      auto message = layout::decodeMessage(item.text);
      if (!message) return corrupt(key, "");
      into.pushInbox(parts->project, parts->rest, *message);
    }
  }
  return okStatus();
}

// Streams first: a history list is loaded with the stream its room's hash names.
Status loadRoomHistories(RedisSync& redis, MemoryStore& into) {
  std::map<std::pair<std::string, std::string>, RoomStream> streams;
  auto loaded = forEachScopedHash(redis, "roomstreams",
                                  [&](const std::string& project, const std::string& room, const std::string& value) {
                                    auto stream = layout::decodeRoomStream(value);
                                    if (!stream) return Status(corrupt(layout::roomStreamsKey(project), room));
                                    streams[{project, room}] = std::move(*stream);
                                    return okStatus();
                                  });
  if (!loaded.ok()) return loaded;
  for (auto& [where, stream] : streams) {
    const auto key = layout::roomHistoryKey(where.first, where.second);
    auto items = redis.command({"LRANGE", key, "0", "-1"});
    if (!items.ok()) return items.error();
    std::vector<RoomMessage> messages;
    for (const auto& item : items->elements) {
      auto message = layout::decodeRoomMessage(item.text);
      if (!message) return corrupt(key, "");
      messages.push_back(std::move(*message));
    }
    // The list's expiry (Redis 7's PEXPIRETIME; -1 none, -2 no list) is when the history
    // expires, so that the projector expires it on time too.
    auto expiry = redis.command({"PEXPIRETIME", key});
    if (!expiry.ok()) return expiry.error();
    into.loadRoomHistory(where.first, where.second, std::move(stream), std::move(messages),
                         std::max<std::int64_t>(expiry->integer, 0));
  }
  return okStatus();
}

Status loadNodes(RedisSync& redis, MemoryStore& into) {
  auto nodes = hashOf(redis, std::string(layout::kNodes));
  if (!nodes.ok()) return nodes.error();
  for (const auto& [node, seen] : *nodes) {
    auto at = number(seen);
    if (!at) return corrupt(std::string(layout::kNodes), node);
    into.nodeSeen(node, *at);
  }
  return okStatus();
}

}  // namespace

Status loadProjections(RedisSync& redis, MemoryStore& into) {
  for (auto step : {loadProjects, loadSessionsAndRooms, loadInboxes, loadRoomHistories, loadNodes}) {
    if (auto status = step(redis, into); !status.ok()) return status;
  }
  return okStatus();
}

Result<std::map<std::int32_t, std::int64_t>> loadOffsets(RedisSync& redis, const std::string& topic) {
  auto fields = hashOf(redis, layout::offsetsKey(topic));
  if (!fields.ok()) return fields.error();
  std::map<std::int32_t, std::int64_t> offsets;
  for (const auto& [partition, offset] : *fields) {
    auto p = number(partition);
    auto o = number(offset);
    if (!p || !o) return corrupt(layout::offsetsKey(topic), partition);
    offsets[static_cast<std::int32_t>(*p)] = *o;
  }
  return offsets;
}

Result<std::map<std::int32_t, std::string>> loadFolds(RedisSync& redis, const std::string& topic) {
  auto fields = hashOf(redis, layout::foldsKey(topic));
  if (!fields.ok()) return fields.error();
  std::map<std::int32_t, std::string> folds;
  for (auto& [partition, fold] : *fields) {
    auto p = number(partition);
    if (!p) return corrupt(layout::foldsKey(topic), partition);
    folds[static_cast<std::int32_t>(*p)] = std::move(fold);
  }
  return folds;
}

Result<std::string> claimEpoch(RedisSync& redis) {
  auto set = redis.command({"SET", std::string(layout::kEpoch), randomHex(8), "NX"});
  if (!set.ok()) return set.error();
  auto epoch = redis.command({"GET", std::string(layout::kEpoch)});
  if (!epoch.ok()) return epoch.error();
  if (epoch->kind != RedisValue::Kind::kString) return makeError("redis_error", "wsd:epoch vanished while claimed");
  return epoch->text;
}

}  // namespace wsd::store
