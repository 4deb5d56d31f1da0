// O(log rooms) per message: a client is in a handful of rooms.
#include "room_positions.h"

namespace wsclient::detail {

std::optional<RoomPosition> RoomPositions::get(const std::string& roomId) const {
  auto it = byRoom_.find(roomId);
  if (it == byRoom_.end()) return std::nullopt;
  return it->second;
}

void RoomPositions::joined(const RoomEvent& reply, const std::optional<RoomPosition>& since) {
  const bool replays =
      since.has_value() && (reply.recovered == true || reply.reason == RoomRecoveryReason::kHistoryTrimmed);
  byRoom_[reply.roomId] = replays ? *since : RoomPosition{reply.offset, reply.epoch};
}

bool RoomPositions::advance(const std::string& roomId, std::int64_t offset, const std::string& epoch) {
  auto it = byRoom_.find(roomId);
  if (it != byRoom_.end() && it->second.epoch == epoch && offset <= it->second.offset) return false;
  byRoom_[roomId] = RoomPosition{offset, epoch};
  return true;
}

}  // namespace wsclient::detail
