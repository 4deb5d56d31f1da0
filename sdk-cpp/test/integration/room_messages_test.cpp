// Room messages, history and recovery (docs/protocol.md, "Room messages, history and
// recovery") through the SDK against a real wsd: sendToRoom reaches every member and
// answers with the message's place in the room's stream, roomHistory pages through what
// is retained, a join from a position replays what was missed, and a client whose link
// drops re-joins from its last position and shows every missed message once, in order.
#include <future>

#include "fixture.h"

namespace wsclient::test {
namespace {

using namespace std::chrono_literals;

template <typename T>
Result<T> await(std::future<Result<T>> future) {
  if (future.wait_for(kPatience) != std::future_status::ready) return Status{ErrorCode::kTimeout, "no answer"};
  return future.get();
}

std::vector<std::int64_t> offsetsOf(const std::vector<RoomMessage>& messages) {
  std::vector<std::int64_t> out;
  for (const auto& m : messages) out.push_back(m.offset);
  return out;
}

std::vector<std::string> textsOf(const std::vector<RoomMessage>& messages) {
  std::vector<std::string> out;
  for (const auto& m : messages) out.push_back(m.text.value_or(m.msg));
  return out;
}

// Waits until `client` has seen the answer to its join of `roomId` (room_created or room_joined).
bool joinedRoom(TestClient& client, const std::string& roomId, std::size_t answers = 1) {
  return client.recorder.waitUntil([&] {
    std::size_t seen = 0;
    for (const auto& event : client.recorder.rooms) {
      const bool answer = event.kind == RoomEvent::Kind::kCreated || event.kind == RoomEvent::Kind::kJoined;
      if (answer && event.roomId == roomId) ++seen;
    }
    return seen >= answers;
  });
}

// alice sends each text to `roomId` and waits for its place in the stream.
std::vector<RoomSendResult> sendAll(TestClient& alice, const std::string& roomId,
                                    const std::vector<std::string>& texts) {
  std::vector<RoomSendResult> sent;
  for (const auto& text : texts) {
    auto result = await(alice->sendToRoom(roomId, jsonString(text)));
    EXPECT_TRUE(result.ok()) << text << ": " << result.status().message;
    if (result.ok()) sent.push_back(result.value());
  }
  return sent;
}

class RoomMessages : public TransportTest {
 protected:
  // alice creates r1, bob joins it.
  void joinBoth() {
    alice = bound("alice");
    bob = bound("bob");
    ASSERT_EQ((*alice)->createRoom("r1"), SendStatus::kAccepted);
    ASSERT_TRUE(joinedRoom(*alice, "r1"));
    ASSERT_EQ((*bob)->joinRoom("r1"), SendStatus::kAccepted);
    ASSERT_TRUE(joinedRoom(*bob, "r1"));
  }

  std::unique_ptr<TestClient> alice;
  std::unique_ptr<TestClient> bob;
};

TEST_P(RoomMessages, ReachEveryMemberAndTheSenderLearnsTheirPlace) {
  ASSERT_NO_FATAL_FAILURE(joinBoth());
  auto sent = await((*alice)->sendToRoom("r1", R"({"text":"hello all"})"));
  ASSERT_TRUE(sent.ok()) << sent.status().message;
  EXPECT_EQ(sent.value().roomId, "r1");
  EXPECT_EQ(sent.value().offset, 1);
  EXPECT_FALSE(sent.value().epoch.empty());
  EXPECT_FALSE(sent.value().id.empty());
  ASSERT_TRUE(bob->recorder.waitUntil([&] { return !bob->recorder.roomMessages.empty(); }));
  {
    std::lock_guard lock(bob->recorder.mutex);
    const RoomMessage& got = bob->recorder.roomMessages.at(0);
    EXPECT_EQ(got.roomId, "r1");
    EXPECT_EQ(got.from, "alice");
    EXPECT_EQ(got.msg, R"({"text":"hello all"})");
    EXPECT_EQ(got.offset, 1);
    EXPECT_EQ(got.epoch, sent.value().epoch);
    EXPECT_EQ(got.id, sent.value().id);
  }
  // Without echo the sender gets no copy, yet its position has moved past its own message.
  auto position = (*alice)->roomPosition("r1");
  ASSERT_TRUE(position.has_value());
  EXPECT_EQ(position->offset, 1);
  EXPECT_EQ(position->epoch, sent.value().epoch);
  auto bobs = (*bob)->roomPosition("r1");
  ASSERT_TRUE(bobs.has_value());
  EXPECT_EQ(bobs->offset, 1);
  std::lock_guard lock(alice->recorder.mutex);
  EXPECT_TRUE(alice->recorder.roomMessages.empty());
}

TEST_P(RoomMessages, EchoedToTheSenderOnlyWhenAsked) {
  ASSERT_NO_FATAL_FAILURE(joinBoth());
  auto sent = await((*alice)->sendToRoom("r1", jsonString("mine too"), true));
  ASSERT_TRUE(sent.ok()) << sent.status().message;
  ASSERT_TRUE(alice->recorder.waitUntil([&] { return !alice->recorder.roomMessages.empty(); }));
  std::lock_guard lock(alice->recorder.mutex);
  EXPECT_EQ(alice->recorder.roomMessages.at(0).offset, sent.value().offset);
  EXPECT_EQ(alice->recorder.roomMessages.at(0).text, "mine too");
}

TEST_P(RoomMessages, FromOutsideTheRoomFailWithNotInRoom) {
  ASSERT_NO_FATAL_FAILURE(joinBoth());
  auto carol = bound("carol");
  auto sent = await((**carol).sendToRoom("r1", jsonString("let me in")));
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.status().code, ErrorCode::kNotInRoom);
  auto page = await((**carol).roomHistory("r1"));
  ASSERT_FALSE(page.ok());
  EXPECT_EQ(page.status().code, ErrorCode::kNotInRoom);
  // Nothing was numbered: alice's next message is the room's first.
  auto first = await((*alice)->sendToRoom("r1", jsonString("first")));
  ASSERT_TRUE(first.ok()) << first.status().message;
  EXPECT_EQ(first.value().offset, 1);
}

TEST_P(RoomMessages, HistoryPagesBackwardAndForward) {
  ASSERT_NO_FATAL_FAILURE(joinBoth());
  auto sent = sendAll(*alice, "r1", {"m1", "m2", "m3", "m4", "m5"});
  ASSERT_EQ(sent.size(), 5U);
  const std::string epoch = sent.at(0).epoch;

  auto newest = await((*bob)->roomHistory("r1", RoomHistoryOptions{std::nullopt, std::nullopt, 2}));
  ASSERT_TRUE(newest.ok()) << newest.status().message;
  EXPECT_EQ(offsetsOf(newest.value().messages), (std::vector<std::int64_t>{4, 5}));
  EXPECT_EQ(textsOf(newest.value().messages), (std::vector<std::string>{"m4", "m5"}));
  EXPECT_TRUE(newest.value().hasMore);
  EXPECT_EQ(newest.value().epoch, epoch);
  EXPECT_EQ(newest.value().offset, 5);

  auto older = await((*bob)->roomHistory("r1", RoomHistoryOptions{std::nullopt, 4, 2}));
  ASSERT_TRUE(older.ok()) << older.status().message;
  EXPECT_EQ(offsetsOf(older.value().messages), (std::vector<std::int64_t>{2, 3}));
  EXPECT_TRUE(older.value().hasMore);
  auto oldest = await((*bob)->roomHistory("r1", RoomHistoryOptions{std::nullopt, 2, 2}));
  ASSERT_TRUE(oldest.ok()) << oldest.status().message;
  EXPECT_EQ(offsetsOf(oldest.value().messages), (std::vector<std::int64_t>{1}));
  EXPECT_FALSE(oldest.value().hasMore);

  auto after = await((*bob)->roomHistory("r1", RoomHistoryOptions{RoomPosition{2, epoch}, std::nullopt, 2}));
  ASSERT_TRUE(after.ok()) << after.status().message;
  EXPECT_EQ(offsetsOf(after.value().messages), (std::vector<std::int64_t>{3, 4}));
  EXPECT_TRUE(after.value().hasMore);
  EXPECT_EQ(after.value().messages.at(0).from, "alice");
  EXPECT_EQ(after.value().messages.at(0).id, sent.at(2).id);
}

TEST_P(RoomMessages, HistoryRefusesAnotherEpochAndBothBounds) {
  ASSERT_NO_FATAL_FAILURE(joinBoth());
  ASSERT_EQ(sendAll(*alice, "r1", {"m1"}).size(), 1U);
  auto otherEpoch =
      await((*bob)->roomHistory("r1", RoomHistoryOptions{RoomPosition{1, "01JD3M5A2C8H1N4PQ7RS0TVWXY"}, {}, 0}));
  ASSERT_FALSE(otherEpoch.ok());
  EXPECT_EQ(otherEpoch.status().code, ErrorCode::kEpochChanged);
  auto both = await((*bob)->roomHistory("r1", RoomHistoryOptions{RoomPosition{0, ""}, 1, 0}));
  ASSERT_FALSE(both.ok());
  EXPECT_EQ(both.status().code, ErrorCode::kInvalidArgument);
}

TEST_P(RoomMessages, AJoinFromAPositionReplaysWhatWasMissed) {
  alice = bound("alice");
  ASSERT_EQ((*alice)->createRoom("r1"), SendStatus::kAccepted);
  ASSERT_TRUE(joinedRoom(*alice, "r1"));
  auto sent = sendAll(*alice, "r1", {"m1", "m2", "m3"});
  ASSERT_EQ(sent.size(), 3U);
  bob = bound("bob");
  auto joined = await((*bob)->joinRoom("r1", RoomPosition{1, sent.at(0).epoch}));
  ASSERT_TRUE(joined.ok()) << joined.status().message;
  EXPECT_EQ(joined.value().recovered, std::optional<bool>(true));
  EXPECT_EQ(joined.value().offset, 3);
  EXPECT_EQ(joined.value().members, (std::vector<std::string>{"alice", "bob"}));
  ASSERT_TRUE(bob->recorder.waitUntil([&] { return bob->recorder.roomMessages.size() >= 2; }));
  std::lock_guard lock(bob->recorder.mutex);
  EXPECT_EQ(offsetsOf(bob->recorder.roomMessages), (std::vector<std::int64_t>{2, 3}));
  EXPECT_EQ(textsOf(bob->recorder.roomMessages), (std::vector<std::string>{"m2", "m3"}));
}

WSCLIENT_ALL_TRANSPORTS(RoomMessages);

// ---- Recovery after a dropped link (WebSocket: its sessions never resume) ------------------

class RoomRecovery : public ::testing::Test {
 protected:
  void SetUp() override {
    server = std::make_unique<WsdServer>();
    ASSERT_TRUE(server->start()) << server->error();
    tenant = makeTenant(*server);
    ASSERT_FALSE(tenant.token.empty()) << server->error();
    proxy = std::make_unique<TcpProxy>(server->port(), TcpProxy::Rules{});
  }

  // alice (direct) creates r1; bob, through the proxy with a quick dead-link check, joins it.
  void joinBoth() {
    alice = std::make_unique<TestClient>(clientOptions(server->url(), tenant, TransportKind::kWebSocket));
    ASSERT_TRUE(alice->start("alice"));
    Options o = clientOptions(proxy->url(), tenant, TransportKind::kWebSocket);
    o.mode = Mode::kShort;
    o.heartbeat.pingAfter = 200ms;
    o.heartbeat.deadAfter = 200ms;
    bob = std::make_unique<TestClient>(o);
    ASSERT_TRUE(bob->start("bob"));
    ASSERT_EQ((*alice)->createRoom("r1"), SendStatus::kAccepted);
    ASSERT_TRUE(joinedRoom(*alice, "r1"));
    ASSERT_EQ((*bob)->joinRoom("r1"), SendStatus::kAccepted);
    ASSERT_TRUE(joinedRoom(*bob, "r1"));
  }

  // bob's link goes dead and no new one can open until alice has sent `missed`; then bob
  // reconnects and re-joins r1 (its second join answer).
  void dropBobWhileAliceSends(const std::vector<std::string>& missed) {
    proxy->refuseNew(true);
    proxy->freeze();
    ASSERT_EQ(sendAll(*alice, "r1", missed).size(), missed.size());
    ASSERT_TRUE(bob->recorder.waitUntil([&] { return !bob->recorder.disconnected.empty(); }));
    proxy->refuseNew(false);
    ASSERT_TRUE(joinedRoom(*bob, "r1", 2)) << bob->recorder.summary();
  }

  std::unique_ptr<WsdServer> server;
  Tenant tenant;
  std::unique_ptr<TcpProxy> proxy;
  std::unique_ptr<TestClient> alice;
  std::unique_ptr<TestClient> bob;
};

TEST_F(RoomRecovery, ARejoinAfterADropShowsEveryMissedMessageOnceInOrder) {
  ASSERT_NO_FATAL_FAILURE(joinBoth());
  ASSERT_EQ(sendAll(*alice, "r1", {"m1"}).size(), 1U);
  ASSERT_TRUE(bob->recorder.waitUntil([&] { return bob->recorder.roomMessages.size() == 1; }));
  ASSERT_NO_FATAL_FAILURE(dropBobWhileAliceSends({"m2", "m3"}));
  ASSERT_EQ(sendAll(*alice, "r1", {"m4", "m5"}).size(), 2U);
  ASSERT_TRUE(bob->recorder.waitUntil([&] {
    return !bob->recorder.roomMessages.empty() && bob->recorder.roomMessages.back().offset == 5;
  })) << bob->recorder.summary();
  std::lock_guard lock(bob->recorder.mutex);
  EXPECT_EQ(textsOf(bob->recorder.roomMessages), (std::vector<std::string>{"m1", "m2", "m3", "m4", "m5"}));
  EXPECT_EQ(offsetsOf(bob->recorder.roomMessages), (std::vector<std::int64_t>{1, 2, 3, 4, 5}));
  EXPECT_TRUE(bob->recorder.recoveryFailures.empty());
  const RoomEvent& rejoin = bob->recorder.rooms.back();
  EXPECT_EQ(rejoin.kind, RoomEvent::Kind::kJoined);
  EXPECT_EQ(rejoin.recovered, std::optional<bool>(true));
}

TEST_F(RoomRecovery, ARejoinPastTheRetainedHistoryReportsTheGap) {
  ASSERT_TRUE(server->updateProject(tenant.project, R"({"roomHistorySize":1})")) << server->error();
  ASSERT_NO_FATAL_FAILURE(joinBoth());
  ASSERT_EQ(sendAll(*alice, "r1", {"m1"}).size(), 1U);
  ASSERT_TRUE(bob->recorder.waitUntil([&] { return bob->recorder.roomMessages.size() == 1; }));
  ASSERT_NO_FATAL_FAILURE(dropBobWhileAliceSends({"m2", "m3", "m4"}));
  ASSERT_TRUE(bob->recorder.waitUntil([&] { return !bob->recorder.recoveryFailures.empty(); }));
  ASSERT_TRUE(bob->recorder.waitUntil([&] { return bob->recorder.roomMessages.size() >= 2; }));
  std::lock_guard lock(bob->recorder.mutex);
  EXPECT_EQ(bob->recorder.recoveryFailures.at(0).roomId, "r1");
  EXPECT_EQ(bob->recorder.recoveryFailures.at(0).reason, RoomRecoveryReason::kHistoryTrimmed);
  // The one retained message still follows the answer.
  EXPECT_EQ(textsOf(bob->recorder.roomMessages), (std::vector<std::string>{"m1", "m4"}));
}

}  // namespace
}  // namespace wsclient::test
