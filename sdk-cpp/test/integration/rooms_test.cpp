// Rooms and WebRTC signaling on each transport: create, join, leave with their member
// notifications; offer, answer and ICE relayed unchanged between room members.
#include "fixture.h"

namespace wsclient::test {
namespace {

class Rooms : public TransportTest {
 protected:
  // alice creates r1, bob joins it; both have seen the other's membership.
  void joinBoth() {
    alice = bound("alice");
    bob = bound("bob");
    ASSERT_EQ((*alice)->createRoom("r1"), SendStatus::kAccepted);
    ASSERT_TRUE(alice->recorder.waitUntil([&] { return !alice->recorder.rooms.empty(); }));
    ASSERT_EQ((*bob)->joinRoom("r1"), SendStatus::kAccepted);
    ASSERT_TRUE(bob->recorder.waitUntil([&] { return !bob->recorder.rooms.empty(); }));
    ASSERT_TRUE(alice->recorder.waitUntil([&] { return alice->recorder.rooms.size() >= 2; }));
  }

  std::unique_ptr<TestClient> alice;
  std::unique_ptr<TestClient> bob;
};

TEST_P(Rooms, CreateJoinAndLeaveAreAnsweredAndMembersTold) {
  ASSERT_NO_FATAL_FAILURE(joinBoth());
  {
    std::scoped_lock lock(alice->recorder.mutex, bob->recorder.mutex);
    const RoomEvent& created = alice->recorder.rooms.at(0);
    EXPECT_EQ(created.kind, RoomEvent::Kind::kCreated);
    EXPECT_EQ(created.roomId, "r1");
    EXPECT_EQ(created.members, std::vector<std::string>{"alice"});
    const RoomEvent& joined = bob->recorder.rooms.at(0);
    EXPECT_EQ(joined.kind, RoomEvent::Kind::kJoined);
    EXPECT_EQ(joined.members, (std::vector<std::string>{"alice", "bob"}));
    const RoomEvent& told = alice->recorder.rooms.at(1);
    EXPECT_EQ(told.kind, RoomEvent::Kind::kMemberJoined);
    EXPECT_EQ(told.uid, "bob");
  }
  ASSERT_EQ((*bob)->leaveRoom("r1"), SendStatus::kAccepted);
  ASSERT_TRUE(bob->recorder.waitUntil([&] { return bob->recorder.rooms.size() >= 2; }));
  ASSERT_TRUE(alice->recorder.waitUntil([&] { return alice->recorder.rooms.size() >= 3; }));
  std::scoped_lock lock(alice->recorder.mutex, bob->recorder.mutex);
  EXPECT_EQ(bob->recorder.rooms.at(1).kind, RoomEvent::Kind::kLeft);
  EXPECT_EQ(alice->recorder.rooms.at(2).kind, RoomEvent::Kind::kMemberLeft);
  EXPECT_EQ(alice->recorder.rooms.at(2).uid, "bob");
}

TEST_P(Rooms, OfferAnswerAndIceAreRelayedBetweenMembers) {
  ASSERT_NO_FATAL_FAILURE(joinBoth());
  const std::string offer = R"({"type":"offer","sdp":"v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n"})";
  const std::string answer = R"({"type":"answer","sdp":"v=0\r\n"})";
  const std::string candidate = R"({"candidate":"candidate:1 1 UDP 2122 192.0.2.1 5000 typ host","sdpMid":"0"})";
  ASSERT_EQ((*alice)->sendOffer("r1", "bob", offer), SendStatus::kAccepted);
  ASSERT_TRUE(bob->recorder.waitUntil([&] { return !bob->recorder.signals.empty(); }));
  ASSERT_EQ((*bob)->sendAnswer("r1", "alice", answer), SendStatus::kAccepted);
  ASSERT_TRUE(alice->recorder.waitUntil([&] { return !alice->recorder.signals.empty(); }));
  ASSERT_EQ((*alice)->sendIce("r1", "bob", candidate), SendStatus::kAccepted);
  ASSERT_EQ((*alice)->sendIce("r1", "bob", "null"), SendStatus::kAccepted);
  ASSERT_TRUE(bob->recorder.waitUntil([&] { return bob->recorder.signals.size() >= 3; }));
  std::scoped_lock lock(alice->recorder.mutex, bob->recorder.mutex);
  const Signal& gotOffer = bob->recorder.signals.at(0);
  EXPECT_EQ(gotOffer.kind, Signal::Kind::kOffer);
  EXPECT_EQ(gotOffer.from, "alice");
  EXPECT_EQ(gotOffer.roomId, "r1");
  EXPECT_EQ(gotOffer.payload, offer);
  EXPECT_EQ(alice->recorder.signals.at(0).kind, Signal::Kind::kAnswer);
  EXPECT_EQ(alice->recorder.signals.at(0).payload, answer);
  EXPECT_EQ(bob->recorder.signals.at(1).kind, Signal::Kind::kIce);
  EXPECT_EQ(bob->recorder.signals.at(1).payload, candidate);
  EXPECT_EQ(bob->recorder.signals.at(2).payload, "null");
}

TEST_P(Rooms, SignalingOutsideTheRoomIsAnError) {
  ASSERT_NO_FATAL_FAILURE(joinBoth());
  ASSERT_EQ((*alice)->sendOffer("elsewhere", "bob", "{}"), SendStatus::kAccepted);
  ASSERT_TRUE(alice->recorder.waitUntil([&] { return !alice->recorder.errors.empty(); }));
  std::lock_guard lock(alice->recorder.mutex);
  EXPECT_EQ(alice->recorder.errors.at(0).code, ErrorCode::kNotInRoom);
}

WSCLIENT_ALL_TRANSPORTS(Rooms);

}  // namespace
}  // namespace wsclient::test
