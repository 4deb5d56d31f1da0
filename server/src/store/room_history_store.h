// The room-history projection: each room's message stream and its retained messages,
// kept apart from membership (a room's stream outlives its members). One of the state
// store's projections (state_store.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace wsd::store {

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

class RoomHistoryStore {
 public:
  virtual ~RoomHistoryStore() = default;

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
};

}  // namespace wsd::store
