// Which occurrences an applied event causes, and the payload each is posted as.
#include "webhook/hook_events.h"

#include <gtest/gtest.h>

#include "core/json.h"

namespace wsd::webhook {
namespace {

Event event(EventType type, const std::string& conn = "c1") {
  Event e;
  e.id = "01JD0000000000000000000000";
  e.ts = 1'767'225'600'000;
  e.project = "p";
  e.node = "n1";
  e.conn = conn;
  e.type = type;
  return e;
}

void put(Event& e, const char* key, const std::string& value) {
  e.data.AddMember(rapidjson::StringRef(key), rapidjson::Value(value.c_str(), e.alloc()), e.alloc());
}

rapidjson::Document parsed(const std::string& text) {
  rapidjson::Document doc;
  EXPECT_TRUE(json::parse(doc, text)) << text;
  return doc;
}

std::vector<std::string> typesOf(const std::vector<Occurrence>& occurrences) {
  std::vector<std::string> types;
  for (const auto& o : occurrences) types.push_back(o.type);
  return types;
}

TEST(HookEvents, ARoomMessageThatReachedItsRoomIsAMessageOfKindRoomARefusedOneIsNothing) {
  auto e = event(EventType::kRoomMessage);
  put(e, "roomId", "lobby");
  put(e, "from", "alice");
  put(e, "msg", "hi");
  Effects refused;
  EXPECT_TRUE(occurrencesOf(e, refused).empty());
  Effects sent;
  sent.roomSent = RoomSendOutcome{3, "01EPOCH"};
  auto occurrences = occurrencesOf(e, sent);
  ASSERT_EQ(typesOf(occurrences), std::vector<std::string>{"message"});
  auto data = parsed(occurrences[0].data);
  EXPECT_EQ(json::string(data, "kind"), "room");
  EXPECT_EQ(json::string(data, "roomId"), "lobby");
  EXPECT_EQ(json::int64(data, "offset"), 3);
  EXPECT_EQ(json::string(data, "epoch"), "01EPOCH");
  EXPECT_EQ(json::string(data, "from"), "alice");
}

TEST(HookEvents, ConnOpenIsAConnect) {
  auto e = event(EventType::kConnOpen);
  put(e, "transport", "sse");
  put(e, "mode", "long");
  put(e, "token", "secret-token");
  auto occurrences = occurrencesOf(e, {});
  ASSERT_EQ(typesOf(occurrences), std::vector<std::string>{"connect"});
  auto data = parsed(occurrences[0].data);
  EXPECT_EQ(json::string(data, "conn"), "c1");
  EXPECT_EQ(json::string(data, "transport"), "sse");
  EXPECT_EQ(json::string(data, "node"), "n1");
  EXPECT_FALSE(data.HasMember("token")) << "the token is not the receiver's business";
}

TEST(HookEvents, EachMessageKindIsAMessageWithItsMsgAsJson) {
  for (auto [type, kind] :
       {std::pair{EventType::kMessageDirect, "direct"}, std::pair{EventType::kMessageMulticast, "multicast"},
        std::pair{EventType::kMessageBroadcast, "broadcast"}}) {
    auto e = event(type);
    put(e, "from", "alice");
    rapidjson::Value msg(rapidjson::kObjectType);
    msg.AddMember("text", "hi", e.alloc());
    e.data.AddMember("msg", msg, e.alloc());
    auto occurrences = occurrencesOf(e, {});
    ASSERT_EQ(typesOf(occurrences), std::vector<std::string>{"message"});
    auto data = parsed(occurrences[0].data);
    EXPECT_EQ(json::string(data, "kind"), kind);
    EXPECT_EQ(json::string(data, "from"), "alice");
    EXPECT_EQ(json::string(data["msg"], "text"), "hi");
  }
}

TEST(HookEvents, ChangesBecomeOccurrencesInTheirOrder) {
  auto e = event(EventType::kConnClose);
  e.data.AddMember("code", 1000, e.alloc());
  put(e, "reason", "bye");
  Effects fx;
  fx.changes = {{Change::Kind::kRoomLeave, "alice", "c1", "r1"},
                {Change::Kind::kDisconnect, "alice", "c1", {}},
                {Change::Kind::kOffline, "alice", {}, {}}};
  auto occurrences = occurrencesOf(e, fx);
  EXPECT_EQ(typesOf(occurrences), (std::vector<std::string>{"room", "disconnect", "offline"}));
  auto room = parsed(occurrences[0].data);
  EXPECT_EQ(json::string(room, "action"), "leave");
  EXPECT_EQ(json::string(room, "roomId"), "r1");
  auto disconnect = parsed(occurrences[1].data);
  EXPECT_EQ(json::string(disconnect, "reason"), "bye");
  EXPECT_EQ(json::int64(disconnect, "code"), 1000);
  EXPECT_EQ(json::string(parsed(occurrences[2].data), "uid"), "alice");
}

TEST(HookEvents, ASessionEndedWithItsNodeSaysWhichEventEndedIt) {
  auto e = event(EventType::kNodeDown, "");
  Effects fx;
  fx.changes = {{Change::Kind::kDisconnect, "", "c9", {}}};
  auto occurrences = occurrencesOf(e, fx);
  ASSERT_EQ(occurrences.size(), 1u);
  EXPECT_EQ(json::string(parsed(occurrences[0].data), "reason"), "node.down");
}

TEST(HookEvents, RecordsOfDeliveriesAndRejectedEventsCauseNothing) {
  EXPECT_TRUE(occurrencesOf(event(EventType::kWebhookDelivered, ""), {}).empty());
  EXPECT_TRUE(occurrencesOf(event(EventType::kWebhookFailed, ""), {}).empty());
  EXPECT_TRUE(occurrencesOf(event(EventType::kQueryList), {}).empty());
  Effects rejected;
  rejected.rejection = makeError("project_not_found", "no");
  EXPECT_TRUE(occurrencesOf(event(EventType::kConnOpen), rejected).empty());
}

TEST(HookEvents, ThePayloadCarriesTheEventsIdAndTime) {
  auto e = event(EventType::kConnOpen);
  auto body = parsed(payload(e, {"online", R"({"uid":"bob"})"}));
  EXPECT_EQ(json::string(body, "id"), e.id);
  EXPECT_EQ(json::string(body, "type"), "online");
  EXPECT_EQ(json::string(body, "project"), "p");
  EXPECT_EQ(json::int64(body, "ts"), e.ts);
  EXPECT_EQ(json::string(body["data"], "uid"), "bob");
}

TEST(HookEvents, OnlyTheSixNamesAreHookEvents) {
  for (auto name : {"connect", "disconnect", "online", "offline", "message", "room"}) EXPECT_TRUE(isHookEvent(name));
  for (auto name : {"", "conn.open", "webhook.delivered", "Message"}) EXPECT_FALSE(isHookEvent(name));
}

}  // namespace
}  // namespace wsd::webhook
