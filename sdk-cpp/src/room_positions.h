// Where this client is in each joined room's message stream, so that a re-join after a
// drop can ask for exactly what it missed (`since`) and a message seen twice is shown once.
// Pure bookkeeping: the engine feeds it the join replies, room messages and send results.
//
// Locality: none of its own; SharedState keeps one under its lock.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "wsclient/types.h"

namespace wsclient::detail {

class RoomPositions {
 public:
  // The last position seen in `roomId`; nullopt for a room not joined.
  std::optional<RoomPosition> get(const std::string& roomId) const;
  // Forgets the room (left).
  void forget(const std::string& roomId) { byRoom_.erase(roomId); }
  // A join was answered (`reply` is its room_joined or room_created). From `since`, the
  // replayed messages that follow the reply move the position on, so it stays at `since`
  // (also when history was trimmed: the retained ones still follow). Without `since`, or
  // when nothing follows (another epoch, an offset the room never reached), the room's
  // current position is the client's.
  void joined(const RoomEvent& reply, const std::optional<RoomPosition>& since);
  // A room message (or this client's own, answered by room_send_success) at `offset` of
  // `epoch`. False when it was seen already: an offset at or below the last one of the
  // same epoch. A message of another epoch starts that epoch's stream.
  bool advance(const std::string& roomId, std::int64_t offset, const std::string& epoch);

 private:
  std::map<std::string, RoomPosition> byRoom_;
};

}  // namespace wsclient::detail
