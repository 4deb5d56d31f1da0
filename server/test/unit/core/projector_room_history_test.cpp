// Room messages, history and recovery in the projector (core/projector_room_history.cpp):
// offsets and epochs given by log order, retention by event time, a join's `since`
// answered exactly, history pages.
#include <gtest/gtest.h>

#include "projector_harness.h"

namespace wsd::test {
namespace {

class ProjectorRoomHistoryTest : public ProjectorHarness {
 protected:
  // Two members of room "r": alice on a1 and a2, bob on b1.
  void SetUp() override { membersOfR(""); }
  void membersOfR(const std::string& settings) {
    createProject(settings);
    for (auto [conn, uid] : {std::pair{"a1", "alice"}, {"a2", "alice"}, {"b1", "bob"}}) {
      open(conn);
      bind(conn, uid);
      join(conn, "r");
    }
  }
  Effects join(const std::string& conn, const std::string& room, const std::string& since = "") {
    auto e = event(EventType::kRoomJoin, conn);
    put(*e, "roomId", room);
    if (!since.empty()) {
      rapidjson::Document position;
      json::parse(position, since);
      e->data.AddMember("since", rapidjson::Value(position, e->alloc()), e->alloc());
    }
    return apply(e);
  }
  Effects leave(const std::string& conn, const std::string& room) {
    auto e = event(EventType::kRoomLeave, conn);
    put(*e, "roomId", room);
    return apply(e);
  }
  Effects roomSend(const std::string& conn, const std::string& from, const std::string& text, bool echo = false,
                   std::int64_t advanceMs = 0) {
    now += advanceMs;
    auto e = event(EventType::kRoomMessage, conn);
    put(*e, "roomId", "r");
    put(*e, "from", from);
    put(*e, "msg", text);
    e->data.AddMember("echo", echo, e->alloc());
    lastId = e->id;
    return apply(e);
  }
  Effects history(const std::string& conn, const std::string& fields) {
    auto e = event(EventType::kQueryRoomHistory, conn);
    put(*e, "roomId", "r");
    rapidjson::Document extra;
    json::parse(extra, fields);
    for (auto& m : extra.GetObject()) {
      e->data.AddMember(rapidjson::Value(m.name, e->alloc()), rapidjson::Value(m.value, e->alloc()), e->alloc());
    }
    return apply(e);
  }
  // The `msg` texts of the room_message deliveries to `conn`, in order.
  static std::vector<std::string> roomTexts(const Effects& fx, const std::string& conn) {
    std::vector<std::string> out;
    for (const auto& m : messagesTo(fx, conn)) {
      if (typeOf(m) == "room_message") out.push_back(json::string(parsed(m), "msg").value_or("?"));
    }
    return out;
  }
  static std::vector<std::int64_t> offsetsIn(const std::string& historyReply) {
    std::vector<std::int64_t> out;
    auto doc = parsed(historyReply);
    for (const auto& m : doc["messages"].GetArray()) out.push_back(json::int64(m, "offset").value_or(-1));
    return out;
  }
  void sendNumbered(int count) {
    for (int i = 1; i <= count; ++i) roomSend("b1", "bob", "m" + std::to_string(i));
  }
  std::string lastId;
};

TEST_F(ProjectorRoomHistoryTest, AMessageReachesEveryMemberSessionButTheSenderWhichGetsItsOffset) {
  auto fx = roomSend("a1", "alice", "hello");
  EXPECT_EQ(roomTexts(fx, "a2"), std::vector<std::string>{"hello"});
  EXPECT_EQ(roomTexts(fx, "b1"), std::vector<std::string>{"hello"});
  EXPECT_TRUE(roomTexts(fx, "a1").empty());
  auto toSender = messagesTo(fx, "a1");
  ASSERT_EQ(toSender.size(), 1u);
  auto success = parsed(toSender[0]);
  EXPECT_EQ(json::string(success, "type"), "room_send_success");
  EXPECT_EQ(json::int64(success, "offset"), 1);
  EXPECT_EQ(json::string(success, "epoch"), lastId);
  EXPECT_EQ(json::string(success, "id"), lastId);
  auto delivered = parsed(messagesTo(fx, "b1")[0]);
  EXPECT_EQ(json::string(delivered, "from"), "alice");
  EXPECT_EQ(json::string(delivered, "roomId"), "r");
  EXPECT_EQ(json::int64(delivered, "timestamp"), now);
}

TEST_F(ProjectorRoomHistoryTest, EchoAlsoDeliversToTheSendingSession) {
  auto fx = roomSend("a1", "alice", "hello", true);
  EXPECT_EQ(roomTexts(fx, "a1"), std::vector<std::string>{"hello"});
  EXPECT_EQ(typeOf(messagesTo(fx, "a1").back()), "room_send_success");
}

TEST_F(ProjectorRoomHistoryTest, OffsetsCountFromOneAndTheEpochIsTheFirstMessagesId) {
  roomSend("a1", "alice", "one");
  const std::string epoch = lastId;
  auto fx = roomSend("b1", "bob", "two");
  auto delivered = parsed(messagesTo(fx, "a1")[0]);
  EXPECT_EQ(json::int64(delivered, "offset"), 2);
  EXPECT_EQ(json::string(delivered, "epoch"), epoch);
  EXPECT_EQ(fx.roomSent->offset, 2);
}

TEST_F(ProjectorRoomHistoryTest, ANonMemberIsRefusedAndNothingIsDeliveredOrNumbered) {
  open("c1");
  bind("c1", "carol");
  auto fx = roomSend("c1", "carol", "sneaky");
  ASSERT_EQ(fx.deliveries.size(), 1u);
  EXPECT_EQ(json::string(parsed(*fx.deliveries[0].message), "code"), "not_in_room");
  EXPECT_FALSE(fx.roomSent.has_value());
  EXPECT_EQ(state.roomStream("p", "r").offset, 0);
  auto query = history("c1", "{}");
  EXPECT_EQ(json::string(parsed(messagesTo(query, "c1")[0]), "code"), "not_in_room");
}

TEST_F(ProjectorRoomHistoryTest, TheServerApiSendsWithoutMembership) {
  auto e = event(EventType::kRoomMessage, "");
  put(*e, "roomId", "r");
  put(*e, "from", "@server");
  put(*e, "msg", "notice");
  put(*e, "via", "api");
  auto fx = apply(e);
  EXPECT_EQ(roomTexts(fx, "a1"), std::vector<std::string>{"notice"});
  EXPECT_EQ(roomTexts(fx, "b1"), std::vector<std::string>{"notice"});
  ASSERT_TRUE(fx.roomSent.has_value());
  EXPECT_EQ(fx.roomSent->offset, 1);
  EXPECT_EQ(fx.roomSent->epoch, e->id);
}

TEST_F(ProjectorRoomHistoryTest, AJoinWithoutSinceSaysWhereTheStreamStandsAndReplaysNothing) {
  auto empty = join("a1", "fresh");
  auto reply = parsed(messagesTo(empty, "a1")[0]);
  EXPECT_EQ(json::int64(reply, "offset"), 0);
  EXPECT_EQ(json::string(reply, "epoch"), "");
  EXPECT_FALSE(reply.HasMember("recovered"));
  sendNumbered(3);
  open("c1");
  bind("c1", "carol");
  auto fx = join("c1", "r");
  ASSERT_EQ(messagesTo(fx, "c1").size(), 1u);
  auto joined = parsed(messagesTo(fx, "c1")[0]);
  EXPECT_EQ(json::int64(joined, "offset"), 3);
  EXPECT_FALSE(json::string(joined, "epoch").value_or("").empty());
}

TEST_F(ProjectorRoomHistoryTest, ARejoinWithItsLastPositionGetsExactlyTheMissedOnesInOrder) {
  sendNumbered(2);
  const auto epoch = state.roomStream("p", "r").epoch;
  leave("a1", "r");
  leave("a2", "r");
  roomSend("b1", "bob", "m3");
  roomSend("b1", "bob", "m4");
  auto fx = join("a1", "r", R"({"offset":2,"epoch":")" + epoch + R"("})");
  auto replies = messagesTo(fx, "a1");
  ASSERT_GE(replies.size(), 1u);
  auto reply = parsed(replies[0]);
  EXPECT_EQ(json::string(reply, "type"), "room_joined");
  EXPECT_EQ(reply["recovered"].GetBool(), true);
  EXPECT_FALSE(reply.HasMember("reason"));
  EXPECT_EQ(json::int64(reply, "offset"), 4);
  EXPECT_EQ(roomTexts(fx, "a1"), (std::vector<std::string>{"m3", "m4"}));
  // The next message is the next one the joiner sees: no gap, no repeat.
  EXPECT_EQ(roomTexts(roomSend("b1", "bob", "m5"), "a1"), std::vector<std::string>{"m5"});
}

TEST_F(ProjectorRoomHistoryTest, AnUpToDatePositionRecoversWithNothingToReplay) {
  sendNumbered(2);
  const auto epoch = state.roomStream("p", "r").epoch;
  auto fx = join("a1", "r", R"({"offset":2,"epoch":")" + epoch + R"("})");
  EXPECT_TRUE(parsed(messagesTo(fx, "a1")[0])["recovered"].GetBool());
  EXPECT_TRUE(roomTexts(fx, "a1").empty());
}

TEST_F(ProjectorRoomHistoryTest, APositionFromBeforeTheFirstMessageRecoversEverything) {
  sendNumbered(3);
  auto fx = join("a1", "r", R"({"offset":0,"epoch":""})");
  EXPECT_TRUE(parsed(messagesTo(fx, "a1")[0])["recovered"].GetBool());
  EXPECT_EQ(roomTexts(fx, "a1"), (std::vector<std::string>{"m1", "m2", "m3"}));
}

TEST_F(ProjectorRoomHistoryTest, AnotherEpochOrAnOffsetFromTheFutureIsNotRecoveredAndReplaysNothing) {
  sendNumbered(3);
  const auto epoch = state.roomStream("p", "r").epoch;
  auto wrongEpoch = join("a1", "r", R"({"offset":1,"epoch":"other"})");
  auto reply = parsed(messagesTo(wrongEpoch, "a1")[0]);
  EXPECT_FALSE(reply["recovered"].GetBool());
  EXPECT_EQ(json::string(reply, "reason"), "epoch_changed");
  EXPECT_TRUE(roomTexts(wrongEpoch, "a1").empty());
  auto future = join("a1", "r", R"({"offset":9,"epoch":")" + epoch + R"("})");
  reply = parsed(messagesTo(future, "a1")[0]);
  EXPECT_FALSE(reply["recovered"].GetBool());
  EXPECT_EQ(json::string(reply, "reason"), "unknown_offset");
  EXPECT_TRUE(roomTexts(future, "a1").empty());
}

TEST_F(ProjectorRoomHistoryTest, ATrimmedHistoryIsNotRecoveredButWhatIsRetainedIsSent) {
  state.removeProject("p");
  createProject(R"({"roomHistorySize":5})");
  sendNumbered(10);
  const auto epoch = state.roomStream("p", "r").epoch;
  auto fx = join("a1", "r", R"({"offset":2,"epoch":")" + epoch + R"("})");
  auto reply = parsed(messagesTo(fx, "a1")[0]);
  EXPECT_FALSE(reply["recovered"].GetBool());
  EXPECT_EQ(json::string(reply, "reason"), "history_trimmed");
  EXPECT_EQ(roomTexts(fx, "a1"), (std::vector<std::string>{"m6", "m7", "m8", "m9", "m10"}));
  // Up to the edge of what is retained, it is complete again.
  fx = join("a1", "r", R"({"offset":5,"epoch":")" + epoch + R"("})");
  EXPECT_TRUE(parsed(messagesTo(fx, "a1")[0])["recovered"].GetBool());
}

TEST_F(ProjectorRoomHistoryTest, MessagesOlderThanTheTtlAreNotRecoveredByEventTime) {
  state.removeProject("p");
  createProject(R"({"roomHistoryTtl":60})");
  roomSend("b1", "bob", "old");
  const auto epoch = state.roomStream("p", "r").epoch;
  roomSend("b1", "bob", "new", false, 30'000);
  now += 40'000;  // "old" is now 70 s old, "new" 40 s
  auto fx = join("a1", "r", R"({"offset":0,"epoch":")" + epoch + R"("})");
  auto reply = parsed(messagesTo(fx, "a1")[0]);
  EXPECT_EQ(json::string(reply, "reason"), "history_trimmed");
  EXPECT_EQ(roomTexts(fx, "a1"), std::vector<std::string>{"new"});
  EXPECT_EQ(offsetsIn(messagesTo(history("a1", "{}"), "a1")[0]), std::vector<std::int64_t>{2});
}

TEST_F(ProjectorRoomHistoryTest, AnIdleRoomsHistoryGoesPastTheTtlButARejoinIsToldTheGapAndOffsetsGoOn) {
  state.removeProject("p");
  createProject(R"({"roomHistoryTtl":60})");
  sendNumbered(2);
  const auto epoch = state.roomStream("p", "r").epoch;
  now += 60'001;  // the newest message is past the TTL when the next event of the project comes
  auto fx = join("a1", "r", R"({"offset":1,"epoch":")" + epoch + R"("})");
  EXPECT_TRUE(state.roomMessages("p", "r").empty());
  auto reply = parsed(messagesTo(fx, "a1")[0]);
  ASSERT_TRUE(reply.HasMember("recovered"));
  EXPECT_FALSE(reply["recovered"].GetBool());
  EXPECT_EQ(json::string(reply, "reason"), "history_trimmed");
  EXPECT_EQ(json::int64(reply, "offset"), 2);
  EXPECT_EQ(json::string(reply, "epoch"), epoch);
  EXPECT_TRUE(roomTexts(fx, "a1").empty());
  auto next = roomSend("b1", "bob", "m3");
  EXPECT_EQ(next.roomSent->offset, 3);
  EXPECT_EQ(next.roomSent->epoch, epoch);
}

TEST_F(ProjectorRoomHistoryTest, TheStreamOutlivesItsMembersAndItsRetainedMessages) {
  state.removeProject("p");
  createProject(R"({"roomHistorySize":0})");
  sendNumbered(2);
  const auto epoch = state.roomStream("p", "r").epoch;
  for (const auto* conn : {"a1", "a2", "b1"}) close(conn);
  open("c1");
  bind("c1", "carol");
  auto fx = join("c1", "r");
  auto reply = parsed(messagesTo(fx, "c1")[0]);
  EXPECT_EQ(json::int64(reply, "offset"), 2);
  EXPECT_EQ(json::string(reply, "epoch"), epoch);
  auto next = roomSend("c1", "carol", "m3");
  EXPECT_EQ(next.roomSent->offset, 3);
  EXPECT_EQ(next.roomSent->epoch, epoch);
}

TEST_F(ProjectorRoomHistoryTest, HistoryPagesForwardBackwardAndNewest) {
  sendNumbered(25);
  const auto epoch = state.roomStream("p", "r").epoch;
  auto newest = parsed(messagesTo(history("a1", R"({"limit":10})"), "a1")[0]);
  EXPECT_EQ(offsetsIn(messagesTo(history("a1", R"({"limit":10})"), "a1")[0]).front(), 16);
  EXPECT_TRUE(newest["hasMore"].GetBool());
  EXPECT_EQ(json::int64(newest, "offset"), 25);
  EXPECT_EQ(json::string(newest, "epoch"), epoch);
  const std::string since = R"({"limit":10,"since":{"offset":)";
  auto page = [&](const std::string& fields) { return messagesTo(history("a1", fields), "a1")[0]; };
  auto first = page(since + R"(0,"epoch":")" + epoch + R"("}})");
  EXPECT_EQ(offsetsIn(first), (std::vector<std::int64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
  EXPECT_TRUE(parsed(first)["hasMore"].GetBool());
  auto last = page(since + R"(20,"epoch":")" + epoch + R"("}})");
  EXPECT_EQ(offsetsIn(last), (std::vector<std::int64_t>{21, 22, 23, 24, 25}));
  EXPECT_FALSE(parsed(last)["hasMore"].GetBool());
  auto older = page(R"({"limit":10,"before":16})");
  EXPECT_EQ(offsetsIn(older), (std::vector<std::int64_t>{6, 7, 8, 9, 10, 11, 12, 13, 14, 15}));
  EXPECT_TRUE(parsed(older)["hasMore"].GetBool());
  auto oldest = page(R"({"limit":10,"before":6})");
  EXPECT_EQ(offsetsIn(oldest), (std::vector<std::int64_t>{1, 2, 3, 4, 5}));
  EXPECT_FALSE(parsed(oldest)["hasMore"].GetBool());
  auto wrong = page(R"({"since":{"offset":3,"epoch":"other"}})");
  EXPECT_EQ(json::string(parsed(wrong), "code"), "epoch_changed");
}

TEST_F(ProjectorRoomHistoryTest, ReplayingTheSameLogGivesTheSameOffsetsEpochAndHistory) {
  // Two projections fed one log: the first from the start (as at a gateway's start-up),
  // the second the same events again (a rebuild). Membership is set up by the same events.
  std::vector<std::shared_ptr<Event>> log;
  auto logged = [&](EventType type, const std::string& conn,
                    std::initializer_list<std::pair<const char*, std::string>> data) {
    auto e = event(type, conn);
    for (const auto& [key, value] : data) put(*e, key, value);
    log.push_back(e);
  };
  logged(EventType::kConnOpen, "z1", {{"token", "tok"}, {"transport", "ws"}});
  logged(EventType::kUidBind, "z1", {{"uid", "zed"}});
  logged(EventType::kRoomJoin, "z1", {{"roomId", "q"}});
  for (int i = 1; i <= 4; ++i)
    logged(EventType::kRoomMessage, "z1", {{"roomId", "q"}, {"from", "zed"}, {"msg", std::to_string(i)}});
  for (const auto& e : log) apply(e);
  store::MemoryStore rebuilt;
  Projector again{rebuilt, ProjectorLimits{}};
  for (const auto& e : log) again.apply(*e);  // the project is not in `rebuilt`: defaults apply
  EXPECT_EQ(state.roomStream("p", "q").offset, 4);
  EXPECT_EQ(state.roomStream("p", "q").epoch, log[3]->id);
  EXPECT_EQ(rebuilt.roomStream("p", "q").offset, 4);
  EXPECT_EQ(rebuilt.roomStream("p", "q").epoch, log[3]->id);
  auto first = state.roomMessages("p", "q");
  auto second = rebuilt.roomMessages("p", "q");
  ASSERT_EQ(first.size(), 4u);
  ASSERT_EQ(second.size(), 4u);
  for (std::size_t i = 0; i < first.size(); ++i) {
    EXPECT_EQ(first[i].offset, static_cast<std::int64_t>(i + 1));
    EXPECT_EQ(second[i].offset, first[i].offset);
    EXPECT_EQ(second[i].id, first[i].id);
    EXPECT_EQ(second[i].msgJson, first[i].msgJson);
  }
}

}  // namespace
}  // namespace wsd::test
