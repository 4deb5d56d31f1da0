// Where each projection lives in Redis, and how its records are encoded. The layout is
// part of the operator's contract (docs/architecture.md, "Redis key layout"): analysts
// and dashboards read these keys directly.
//
//   wsd:projects              HASH  project key -> {"name","createdAt","settings"} (store/project_settings.h)
//   wsd:tokens:{P}            HASH  token -> {"expiresAt","createdAt"}
//   wsd:sessions:{P}          HASH  conn -> {"node","token","uid","transport"[,"unsubscribed"]}
//   wsd:online:{P}            SET   uids with at least one bound session
//   wsd:rooms:{P}             HASH  room -> ["conn", ...] in join order
//   wsd:inbox:{P}:UID         LIST  stored messages, oldest first; expires with the newest
//   wsd:roomstreams:{P}       HASH  room -> {"offset","epoch"}: where its message stream stands
//   wsd:roomhistory:{P}:ROOM  LIST  the room's retained messages, oldest first:
//                                   {"offset","id","from","msg","ts"}; expires when the
//                                   newest passes roomHistoryTtl (roomstreams never does)
//   wsd:mailwindow:{P}        HASH  token -> [ms, ...] when its accepted mails were requested
//   wsd:webhooks:{P}          HASH  webhook id -> {"url","events":[...],"secret","createdAt"}
//   wsd:nodes                 HASH  gateway -> last seen (ms)
//   wsd:offsets:TOPIC         HASH  partition -> next offset to apply
//   wsd:folds:TOPIC           HASH  partition -> "<origin>:<hash>": its fold up to that offset
//                                   (core/partition_fold.h), written with the offsets
//   wsd:epoch                 STRING changes when the projections are rebuilt
//
// Written by the gateways (not projections: the state of SSE and polling sessions that
// every gateway must see, so that a client's requests may land on any of them):
//
//   wsd:poll:{P}:CONN         LIST  server messages waiting for the session's next GET
//   wsd:poll-bytes:{P}:CONN   STRING bytes in that LIST (its session's output budget)
//   wsd:poll-seen:{P}:CONN    STRING set by every GET; expires after the session timeout
//   channel wsd:poll-ready    payload CONN: something was queued for that session
//   channel wsd:gateway:NODE  {"conn","message"}, {"conn","close":{"code","reason"}} or
//                             {"conn","pong":true}: for a session that gateway holds
//
// Project keys match [A-Za-z0-9_-]{1,64}, so "{P}" can be cut out of a key without
// escaping; the braces also make P the Redis Cluster hash tag.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "store/state_store.h"

namespace wsd::store::redis_layout {

inline constexpr std::string_view kProjects = "wsd:projects";
inline constexpr std::string_view kNodes = "wsd:nodes";
inline constexpr std::string_view kEpoch = "wsd:epoch";

std::string tokensKey(std::string_view project);
std::string sessionsKey(std::string_view project);
std::string onlineKey(std::string_view project);
std::string roomsKey(std::string_view project);
std::string mailWindowKey(std::string_view project);
std::string webhooksKey(std::string_view project);
std::string inboxKey(std::string_view project, std::string_view uid);
std::string roomStreamsKey(std::string_view project);
std::string roomHistoryKey(std::string_view project, std::string_view room);
std::string offsetsKey(std::string_view topic);
std::string foldsKey(std::string_view topic);
std::string pollQueueKey(std::string_view project, std::string_view conn);
std::string pollBytesKey(std::string_view project, std::string_view conn);
std::string pollSeenKey(std::string_view project, std::string_view conn);
inline constexpr std::string_view kPollReadyChannel = "wsd:poll-ready";
std::string gatewayChannel(std::string_view node);

// The project inside "wsd:<kind>:{P}..." and what follows "}:" (the uid of an inbox).
struct KeyParts {
  std::string project;
  std::string rest;
};
std::optional<KeyParts> parseKey(std::string_view key, std::string_view kind);

std::string encodeProject(const ProjectRecord& project);
std::optional<ProjectRecord> decodeProject(std::string_view key, std::string_view json);
std::string encodeToken(const TokenRecord& token);
std::optional<TokenRecord> decodeToken(std::string_view token, std::string_view json);
std::string encodeSession(const SessionRecord& session);
std::optional<SessionRecord> decodeSession(std::string_view project, std::string_view conn, std::string_view json);
std::string encodeConns(const std::vector<std::string>& conns);
std::optional<std::vector<std::string>> decodeConns(std::string_view json);
std::string encodeTimes(const std::vector<std::int64_t>& times);
std::optional<std::vector<std::int64_t>> decodeTimes(std::string_view json);
std::string encodeMessage(const StoredMessage& message);
std::optional<StoredMessage> decodeMessage(std::string_view json);
std::string encodeRoomStream(const RoomStream& stream);
std::optional<RoomStream> decodeRoomStream(std::string_view json);
std::string encodeRoomMessage(const RoomMessage& message);
std::optional<RoomMessage> decodeRoomMessage(std::string_view json);
std::string encodeWebhook(const WebhookRecord& hook);
std::optional<WebhookRecord> decodeWebhook(std::string_view id, std::string_view json);

}  // namespace wsd::store::redis_layout
