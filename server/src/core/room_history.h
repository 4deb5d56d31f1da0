// Room history: how a room's retained messages answer a recovering join (room_join with
// `since`) and a room_history page. Pure functions over what the store holds; the
// projector (projector_room_history.cpp) reads the store and renders the answers.
//
// A position in a room's stream is {offset, epoch} (store/state_store.h, RoomStream): an
// offset means nothing under another epoch, so a history lost and rebuilt differently is
// detected rather than silently skipped.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "store/state_store.h"

namespace wsd::room_history {

// A client's `since`: the last offset it saw, under which epoch.
struct Position {
  std::int64_t offset = 0;
  std::string epoch;
};

// `since` as a schema-checked message or event carries it; nullopt when absent.
std::optional<Position> position(const rapidjson::Value* since);

// Whether `since` names a place in this stream's history. A position taken before the
// room's first message ({0, ""}) is the start of whatever epoch the stream has since had.
bool sameEpoch(const store::RoomStream& stream, const Position& since);

// The retained messages a read at `readTs` may still show: those no older than the TTL.
std::vector<store::RoomMessage> unexpired(std::vector<store::RoomMessage> retained, std::int64_t readTs,
                                          std::int64_t ttlMs);

// The answer to a join with `since`. `reason` is empty when recovered, else
// "epoch_changed", "unknown_offset" or "history_trimmed". `messages` are what the joiner is
// sent after the reply: every retained one after since.offset (none when the position
// means nothing in this stream).
struct Recovery {
  bool recovered = false;
  std::string_view reason;
  std::vector<store::RoomMessage> messages;
};
Recovery recover(const store::RoomStream& stream, const std::vector<store::RoomMessage>& retained,
                 const Position& since);

// One page of room_history, ascending by offset.
struct Page {
  std::vector<store::RoomMessage> messages;
  bool hasMore = false;  // more retained messages lie beyond the page, in the direction read
};
// The newest `limit` retained messages; hasMore: older ones are retained.
Page newest(const std::vector<store::RoomMessage>& retained, std::size_t limit);
// The oldest `limit` with offset > `after`; hasMore: newer ones follow.
Page after(const std::vector<store::RoomMessage>& retained, std::int64_t after, std::size_t limit);
// The newest `limit` with offset < `before`; hasMore: older ones are retained.
Page before(const std::vector<store::RoomMessage>& retained, std::int64_t before, std::size_t limit);

}  // namespace wsd::room_history
