// The state store: where projections keep what the event log implies (projects, tokens,
// sessions and presence, rooms and their message histories, offline inboxes, mail rate-limit windows). Only the
// projector writes to it, one event at a time, in log order; everyone else reads. Implementations: MemoryStore
// (embedded, this file's neighbour) and RedisStore (distributed mode).
//
// Every method is a plain state operation: no clocks, no randomness, no policy. Policy
// (who may do what, what a client is told) lives in core/projector.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/project_settings.h"

namespace wsd::store {

struct ProjectRecord {
  std::string key;
  std::string name;
  std::int64_t createdAt = 0;
  ProjectSettings settings{};
};

struct TokenRecord {
  std::string token;
  std::optional<std::int64_t> expiresAt;  // nullopt: never expires
  std::int64_t createdAt = 0;

  bool validAt(std::int64_t ms) const { return !expiresAt || *expiresAt > ms; }
};

struct SessionRecord {
  std::string conn;
  std::string project;
  std::string node;       // the gateway holding the connection
  std::string token;      // the token it connected with
  std::string uid;        // empty until bound
  std::string transport;  // ws, sse or poll
  // The event kinds the client unsubscribed from (core/event_filter.h), sorted; empty:
  // it receives everything.
  std::vector<std::string> unsubscribed;
};

struct StoredMessage {
  std::string id;
  std::string from;
  std::string to;
  std::string msgJson;  // the client's `msg`, as JSON text
  std::int64_t ts = 0;
  std::int64_t expiresAt = 0;
};

// Where a room's message stream stands. Offsets count the room's messages from 1 and never
// go back; the epoch names the stream: the id of the first room.message the projection
// applied to it, so a replay of the same log finds the same epoch and a log that lost the
// room's beginning gives another.
struct RoomStream {
  std::int64_t offset = 0;  // the last message's offset; 0: the room never had one
  std::string epoch;        // empty: the room never had a message
};

// One message of a room's retained history.
struct RoomMessage {
  std::int64_t offset = 0;  // its place in the room's stream (RoomStream)
  std::string id;           // the room.message event's id
  std::string from;         // the sending uid
  std::string msgJson;      // the client's `msg`, as JSON text
  std::int64_t ts = 0;      // the event's ts (ms)
};

// A webhook endpoint of a project (webhook/ posts the chosen events to it).
struct WebhookRecord {
  std::string id;                   // "wh_" + hex, unique within the project
  std::string url;                  // http:// or https://
  std::vector<std::string> events;  // hook event names (webhook/hook_events.h), sorted
  std::string secret;               // signs every delivery (X-Wsd-Signature)
  std::int64_t createdAt = 0;
};

class StateStore {
 public:
  virtual ~StateStore() = default;

  // ---- projects and tokens ------------------------------------------------------
  virtual std::optional<ProjectRecord> project(std::string_view key) const = 0;
  virtual std::vector<ProjectRecord> projects() const = 0;  // sorted by key
  virtual void putProject(const ProjectRecord& project) = 0;
  // Removes the project with its tokens, their mail windows, its inboxes, its room histories and its webhooks. Its
  // sessions, and the rooms they are in, end by their own conn.close events.
  virtual void removeProject(std::string_view key) = 0;
  virtual std::optional<TokenRecord> token(std::string_view project, std::string_view token) const = 0;
  virtual std::vector<TokenRecord> tokens(std::string_view project) const = 0;  // by creation
  virtual void putToken(std::string_view project, const TokenRecord& token) = 0;
  // Removes the token and its mail window.
  virtual void removeToken(std::string_view project, std::string_view token) = 0;

  // ---- sessions and presence ----------------------------------------------------
  virtual std::optional<SessionRecord> session(std::string_view conn) const = 0;
  virtual void openSession(const SessionRecord& session) = 0;
  // Binds the session to `uid` (it must be open and unbound).
  virtual void bindSession(std::string_view conn, std::string_view uid) = 0;
  // Removes the session, its presence and its room memberships.
  virtual void closeSession(std::string_view conn) = 0;
  // Replaces the session's event filter (`unsubscribed`, sorted); no-op if it is not open.
  virtual void setSessionFilter(std::string_view conn, std::vector<std::string> unsubscribed) = 0;
  virtual std::vector<std::string> connsOfUid(std::string_view project, std::string_view uid) const = 0;
  virtual std::vector<std::string> connsOfNode(std::string_view node) const = 0;
  virtual std::vector<std::string> connsOfToken(std::string_view project, std::string_view token) const = 0;
  virtual std::vector<std::string> connsOfProject(std::string_view project) const = 0;
  virtual std::vector<std::string> onlineUids(std::string_view project) const = 0;  // sorted

  // ---- rooms (membership is per connection; a uid is a member while one of its
  //      connections is) ----------------------------------------------------------
  virtual void joinRoom(std::string_view project, std::string_view room, std::string_view conn) = 0;
  virtual void leaveRoom(std::string_view project, std::string_view room, std::string_view conn) = 0;
  virtual std::vector<std::string> roomsOfConn(std::string_view conn) const = 0;
  virtual std::vector<std::string> roomConns(std::string_view project, std::string_view room) const = 0;
  virtual std::vector<std::string> roomMemberUids(std::string_view project, std::string_view room) const = 0;

  // ---- room histories (kept apart from membership: a room's stream outlives its members) --
  // Where the room's stream stands; {0, ""} for a room that never had a message.
  virtual RoomStream roomStream(std::string_view project, std::string_view room) const = 0;
  // Appends `message` (its offset one past the stream's), sets the stream to its offset and,
  // when the stream has no epoch yet, to `epoch`; then keeps only the newest `keep` retained
  // messages and drops those with ts < `dropBeforeMs` (an event's ts, never a clock). The
  // stream itself stays whatever is dropped. `dropBeforeMs` is message.ts minus the TTL, so
  // the whole history has passed the TTL at message.ts + (message.ts - dropBeforeMs): the
  // history expires then (expireRoomHistories; in Redis, the key's own expiry), unless
  // another message comes first.
  virtual void appendRoomMessage(std::string_view project, std::string_view room, std::string_view epoch,
                                 const RoomMessage& message, std::size_t keep, std::int64_t dropBeforeMs) = 0;
  // The room's retained messages, oldest first.
  virtual std::vector<RoomMessage> roomMessages(std::string_view project, std::string_view room) const = 0;
  // Every room of the project that has a stream, sorted.
  virtual std::vector<std::string> roomStreamIds(std::string_view project) const = 0;
  // Drops the retained messages of every room of the project whose history expired at or
  // before `nowMs` (an event's ts); their streams stay. Returns those rooms.
  virtual std::vector<std::string> expireRoomHistories(std::string_view project, std::int64_t nowMs) = 0;

  // ---- gateways (distributed mode: each says it is alive now and then) -------------
  virtual void nodeSeen(std::string_view node, std::int64_t atMs) = 0;
  virtual void forgetNode(std::string_view node) = 0;
  // Every node seen, with when it was last seen.
  virtual std::vector<std::pair<std::string, std::int64_t>> nodes() const = 0;

  // ---- offline inboxes --------------------------------------------------------------
  virtual void pushInbox(std::string_view project, std::string_view uid, const StoredMessage& message) = 0;
  virtual std::size_t inboxSize(std::string_view project, std::string_view uid) const = 0;
  // Removes and returns the uid's stored messages in the order they were pushed.
  virtual std::vector<StoredMessage> takeInbox(std::string_view project, std::string_view uid) = 0;
  // Drops the project's stored messages with expiresAt <= nowMs (`now` is an event's ts);
  // returns the uids whose inboxes changed.
  virtual std::vector<std::string> expireInboxes(std::string_view project, std::int64_t nowMs) = 0;
  // Every uid of the project with stored messages, sorted.
  virtual std::vector<std::string> inboxUids(std::string_view project) const = 0;
  // The uid's stored messages, oldest first, without removing them.
  virtual std::vector<StoredMessage> inbox(std::string_view project, std::string_view uid) const = 0;
  // Removes the uid's stored messages whose id is in `ids` (acknowledged by the client);
  // returns the ids removed, in inbox order. Ids not stored are ignored.
  virtual std::vector<std::string> removeFromInbox(std::string_view project, std::string_view uid,
                                                   const std::vector<std::string>& ids) = 0;

  // ---- mail rate-limit windows (per token) ---------------------------------------------
  // When the token's accepted mails were requested (ms, oldest first), as far back as
  // the window the projector last applied; empty when none.
  virtual std::vector<std::int64_t> mailWindow(std::string_view project, std::string_view token) const = 0;
  // Replaces the window; an empty one is forgotten.
  virtual void putMailWindow(std::string_view project, std::string_view token,
                             std::vector<std::int64_t> requestedAt) = 0;

  // ---- webhooks (removeProject removes the project's) ----------------------------------
  virtual std::vector<WebhookRecord> webhooks(std::string_view project) const = 0;  // sorted by id
  // Adds the webhook, or replaces the one with its id.
  virtual void putWebhook(std::string_view project, const WebhookRecord& hook) = 0;
  virtual void removeWebhook(std::string_view project, std::string_view id) = 0;
};

}  // namespace wsd::store
