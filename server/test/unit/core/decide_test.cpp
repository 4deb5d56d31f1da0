// What the gateway decides alone, before anything is logged.
#include "core/decide.h"

#include <gtest/gtest.h>

#include "core/json.h"

namespace wsd {
namespace {

ClientMessage message(ClientType type, const char* json) {
  ClientMessage m;
  m.type = type;
  json::parse(m.body, json);
  return m;
}

class DecideTest : public ::testing::Test {
 protected:
  IdGenerator ids;
  DecideContext ctx() {
    DecideContext c;
    c.node = "n1";
    c.nowMs = 1000;
    c.offlineTtlMs = 500;
    c.multicastMax = 2;
    c.ids = &ids;
    return c;
  }
};

TEST_F(DecideTest, SendBeforeBindIsAnsweredWithNotBound) {
  auto d = decide(message(ClientType::kSend, R"({"type":"send","to":"b","msg":"x"})"), {"c1", "p", ""}, ctx());
  ASSERT_EQ(d.kind, Decision::Kind::kReply);
  EXPECT_NE(d.reply->find("not_bound"), std::string::npos);
}

TEST_F(DecideTest, QueriesDoNotNeedBind) {
  auto d = decide(message(ClientType::kList, R"({"type":"list"})"), {"c1", "p", ""}, ctx());
  EXPECT_EQ(d.kind, Decision::Kind::kAppend);
  EXPECT_EQ(d.event->type, EventType::kQueryList);
}

TEST_F(DecideTest, SendRecordsSenderAndExpiryInTheEvent) {
  auto d = decide(message(ClientType::kSend, R"({"type":"send","to":"b","msg":{"k":1}})"), {"c1", "p", "alice"}, ctx());
  ASSERT_EQ(d.kind, Decision::Kind::kAppend);
  EXPECT_EQ(json::string(d.event->data, "from"), "alice");
  EXPECT_EQ(json::int64(d.event->data, "expiresAt"), 1500);
  EXPECT_EQ(json::stringify(d.event->data["msg"]), R"({"k":1})");
  EXPECT_EQ(d.event->conn, "c1");
  EXPECT_EQ(d.event->project, "p");
  EXPECT_EQ(d.event->ts, 1000);
}

TEST_F(DecideTest, RoomSendRecordsSenderMessageAndEchoButNoOffset) {
  auto d = decide(message(ClientType::kRoomSend, R"({"type":"room_send","roomId":"r","msg":[1]})"),
                  {"c1", "p", "alice"}, ctx());
  ASSERT_EQ(d.kind, Decision::Kind::kAppend);
  EXPECT_EQ(d.event->type, EventType::kRoomMessage);
  EXPECT_EQ(json::string(d.event->data, "roomId"), "r");
  EXPECT_EQ(json::string(d.event->data, "from"), "alice");
  EXPECT_EQ(json::stringify(d.event->data["msg"]), "[1]");
  EXPECT_FALSE(d.event->data["echo"].GetBool());
  EXPECT_FALSE(d.event->data.HasMember("offset"));  // given when applied, by log order
}

TEST_F(DecideTest, RoomHistoryNamingBothSinceAndBeforeIsInvalidAndNotLogged) {
  auto d = decide(message(ClientType::kRoomHistory,
                          R"({"type":"room_history","roomId":"r","before":5,"since":{"offset":1,"epoch":"e"}})"),
                  {"c1", "p", "alice"}, ctx());
  ASSERT_EQ(d.kind, Decision::Kind::kReply);
  EXPECT_NE(d.reply->find("invalid_message"), std::string::npos);
  auto one = decide(message(ClientType::kRoomHistory, R"({"type":"room_history","roomId":"r","before":5,"limit":3})"),
                    {"c1", "p", "alice"}, ctx());
  ASSERT_EQ(one.kind, Decision::Kind::kAppend);
  EXPECT_EQ(one.event->type, EventType::kQueryRoomHistory);
  EXPECT_EQ(json::int64(one.event->data, "before"), 5);
  EXPECT_EQ(json::int64(one.event->data, "limit"), 3);
}

TEST_F(DecideTest, RoomJoinKeepsItsSinceInTheEvent) {
  auto d =
      decide(message(ClientType::kRoomJoin, R"({"type":"room_join","roomId":"r","since":{"offset":4,"epoch":"e1"}})"),
             {"c1", "p", "alice"}, ctx());
  ASSERT_EQ(d.kind, Decision::Kind::kAppend);
  EXPECT_EQ(json::int64(d.event->data["since"], "offset"), 4);
  EXPECT_EQ(json::string(d.event->data["since"], "epoch"), "e1");
}

TEST_F(DecideTest, BindSetsTheUidTheConnectionActsAs) {
  auto d = decide(message(ClientType::kBind, R"({"type":"bind","uid":"alice"})"), {"c1", "p", ""}, ctx());
  EXPECT_EQ(d.boundUid, "alice");
}

TEST_F(DecideTest, BindingASecondUidIsRefused) {
  auto d = decide(message(ClientType::kBind, R"({"type":"bind","uid":"bob"})"), {"c1", "p", "alice"}, ctx());
  ASSERT_EQ(d.kind, Decision::Kind::kReply);
  EXPECT_NE(d.reply->find("already_bound"), std::string::npos);
}

TEST_F(DecideTest, MulticastOverTheLimitIsRefused) {
  auto d = decide(message(ClientType::kMulticast, R"({"type":"multicast","to":["a","b","c"],"msg":1})"),
                  {"c1", "p", "alice"}, ctx());
  ASSERT_EQ(d.kind, Decision::Kind::kReply);
  EXPECT_NE(d.reply->find("too_many_recipients"), std::string::npos);
}

TEST_F(DecideTest, PingIsAnsweredWithPongAndNotLogged) {
  auto d = decide(message(ClientType::kPing, R"({"type":"ping"})"), {"c1", "p", ""}, ctx());
  ASSERT_EQ(d.kind, Decision::Kind::kReply);
  EXPECT_EQ(*d.reply, R"({"type":"pong"})");
}

TEST_F(DecideTest, PongResetsTheHeartbeat) {
  auto d = decide(message(ClientType::kPong, R"({"type":"pong"})"), {"c1", "p", ""}, ctx());
  EXPECT_EQ(d.kind, Decision::Kind::kPongReceived);
}

TEST_F(DecideTest, EventIdsAreUniqueAndSortable) {
  auto a = decide(message(ClientType::kList, R"({"type":"list"})"), {"c1", "p", ""}, ctx());
  auto b = decide(message(ClientType::kList, R"({"type":"list"})"), {"c1", "p", ""}, ctx());
  EXPECT_LT(a.event->id, b.event->id);
  EXPECT_EQ(a.event->id.size(), 26u);
}

TEST_F(DecideTest, FiltersNeedNoBindAndRecordTheirOperation) {
  auto d = decide(message(ClientType::kUnsub, R"({"type":"unsub","events":["online"]})"), {"c1", "p", ""}, ctx());
  ASSERT_EQ(d.kind, Decision::Kind::kAppend);
  EXPECT_EQ(d.event->type, EventType::kConnFilter);
  EXPECT_EQ(json::string(d.event->data, "op"), "unsub");
  EXPECT_EQ(json::stringify(d.event->data["events"]), R"(["online"])");
  d = decide(message(ClientType::kSub, R"({"type":"sub","events":["online"]})"), {"c1", "p", ""}, ctx());
  EXPECT_EQ(json::string(d.event->data, "op"), "sub");
  d = decide(message(ClientType::kLsunsub, R"({"type":"lsunsub"})"), {"c1", "p", ""}, ctx());
  EXPECT_EQ(d.event->type, EventType::kConnFilter);
  EXPECT_EQ(json::string(d.event->data, "op"), "list");
}

TEST_F(DecideTest, AckNeedsBindAndRecordsTheIds) {
  const char* ack = R"({"type":"ack","ids":["01A","01B"]})";
  EXPECT_EQ(decide(message(ClientType::kAck, ack), {"c1", "p", ""}, ctx()).kind, Decision::Kind::kReply);
  auto d = decide(message(ClientType::kAck, ack), {"c1", "p", "bob"}, ctx());
  ASSERT_EQ(d.kind, Decision::Kind::kAppend);
  EXPECT_EQ(d.event->type, EventType::kMessageAck);
  EXPECT_EQ(json::stringify(d.event->data["ids"]), R"(["01A","01B"])");
}

TEST(EventCodec, EncodeThenDecodeKeepsEveryField) {
  IdGenerator ids;
  DecideContext c;
  c.node = "n1";
  c.nowMs = 42;
  c.ids = &ids;
  auto e = newEvent(EventType::kRoomJoin, "p", "c1", c);
  e->data.AddMember("roomId", "r1", e->alloc());
  auto decoded = Event::decode(e->encode());
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->encode(), e->encode());
  EXPECT_EQ(decoded->type, EventType::kRoomJoin);
}

TEST(EventCodec, GarbageIsAnErrorNotACrash) {
  EXPECT_FALSE(Event::decode("{").ok());
  EXPECT_FALSE(Event::decode(R"({"v":1,"type":"nope","data":{}})").ok());
  EXPECT_FALSE(Event::decode(R"({"v":2,"type":"uid.bind","data":{}})").ok());
  EXPECT_FALSE(Event::decode(R"({"v":1,"type":"uid.bind"})").ok());
}

}  // namespace
}  // namespace wsd
