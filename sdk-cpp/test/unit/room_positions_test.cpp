// RoomPositions: the last position seen per room, which re-joins recover from and which
// drops a room message seen twice.
#include "room_positions.h"

#include <gtest/gtest.h>

namespace wsclient::detail {
namespace {

RoomEvent joinReply(std::int64_t offset, const std::string& epoch, std::optional<bool> recovered = std::nullopt,
                    RoomRecoveryReason reason = RoomRecoveryReason::kNone) {
  RoomEvent reply;
  reply.kind = RoomEvent::Kind::kJoined;
  reply.roomId = "r";
  reply.offset = offset;
  reply.epoch = epoch;
  reply.recovered = recovered;
  reply.reason = reason;
  return reply;
}

TEST(RoomPositions, AJoinWithoutAPositionStartsAtTheRoomsLastOffset) {
  RoomPositions positions;
  positions.joined(joinReply(7, "E"), std::nullopt);
  ASSERT_TRUE(positions.get("r").has_value());
  EXPECT_EQ(positions.get("r")->offset, 7);
  EXPECT_EQ(positions.get("r")->epoch, "E");
}

TEST(RoomPositions, AJoinThatReplaysStaysAtItsPositionUntilTheReplayArrives) {
  for (auto [recovered, reason] :
       {std::pair{true, RoomRecoveryReason::kNone}, std::pair{false, RoomRecoveryReason::kHistoryTrimmed}}) {
    RoomPositions positions;
    positions.joined(joinReply(9, "E", recovered, reason), RoomPosition{3, "E"});
    EXPECT_EQ(positions.get("r")->offset, 3) << toString(reason);
  }
}

TEST(RoomPositions, AJoinThatCannotReplayMovesToTheRoomsPosition) {
  RoomPositions positions;
  positions.joined(joinReply(9, "F", false, RoomRecoveryReason::kEpochChanged), RoomPosition{3, "E"});
  EXPECT_EQ(positions.get("r")->offset, 9);
  EXPECT_EQ(positions.get("r")->epoch, "F");
}

TEST(RoomPositions, AMessageSeenAlreadyIsRefused) {
  RoomPositions positions;
  positions.joined(joinReply(2, "E"), std::nullopt);
  EXPECT_FALSE(positions.advance("r", 2, "E"));
  EXPECT_TRUE(positions.advance("r", 3, "E"));
  EXPECT_FALSE(positions.advance("r", 3, "E"));
  EXPECT_EQ(positions.get("r")->offset, 3);
}

TEST(RoomPositions, AnotherEpochStartsItsOwnStream) {
  RoomPositions positions;
  positions.joined(joinReply(5, "E"), std::nullopt);
  EXPECT_TRUE(positions.advance("r", 1, "F"));
  EXPECT_EQ(positions.get("r")->epoch, "F");
  EXPECT_EQ(positions.get("r")->offset, 1);
}

TEST(RoomPositions, ALeftRoomHasNoPosition) {
  RoomPositions positions;
  positions.joined(joinReply(5, "E"), std::nullopt);
  positions.forget("r");
  EXPECT_FALSE(positions.get("r").has_value());
}

}  // namespace
}  // namespace wsclient::detail
