// Server message decoding (server_messages.h): every type of docs/protocol.md, and
// untrusted input that must not throw.
#include "server_messages.h"

#include <gtest/gtest.h>

namespace wsclient::detail {
namespace {

template <typename Event>
Event as(const std::string& json) {
  Decoded d = decodeServerMessage(json);
  const Event* event = std::get_if<Event>(&d.event);
  EXPECT_NE(event, nullptr) << json;
  return event != nullptr ? *event : Event{};
}

TEST(ServerMessages, DecodeRoomMessagesHistoryAndRecovery) {
  const auto message = as<RoomMessage>(
      R"({"type":"room_message","roomId":"lobby","from":"u1","msg":"hi","offset":42,"epoch":"E","id":"I","timestamp":7})");
  EXPECT_EQ(message.roomId, "lobby");
  EXPECT_EQ(message.text, "hi");
  EXPECT_EQ(message.offset, 42);
  EXPECT_EQ(message.epoch, "E");
  const auto sent =
      as<RoomSendResult>(R"({"type":"room_send_success","roomId":"lobby","offset":3,"epoch":"E","id":"I"})");
  EXPECT_EQ(sent.offset, 3);
  EXPECT_EQ(sent.id, "I");
  const auto trimmed = as<RoomEvent>(
      R"({"type":"room_joined","roomId":"lobby","members":["u1"],"offset":9,"epoch":"E","recovered":false,"reason":"history_trimmed"})");
  EXPECT_EQ(trimmed.offset, 9);
  EXPECT_EQ(trimmed.recovered, std::optional<bool>(false));
  EXPECT_EQ(trimmed.reason, RoomRecoveryReason::kHistoryTrimmed);
  const auto plain = as<RoomEvent>(R"({"type":"room_created","roomId":"r","members":["u1"],"offset":0,"epoch":""})");
  EXPECT_FALSE(plain.recovered.has_value());
  const auto page = as<RoomHistoryPage>(
      R"({"type":"room_history","roomId":"lobby","epoch":"E","offset":42,"hasMore":true,)"
      R"("messages":[{"type":"room_message","roomId":"lobby","from":"u2","msg":{"a":1},"offset":41,"epoch":"E","id":"J","timestamp":1}]})");
  ASSERT_EQ(page.messages.size(), 1U);
  EXPECT_EQ(page.messages[0].msg, R"({"a":1})");
  EXPECT_EQ(page.messages[0].offset, 41);
  EXPECT_TRUE(page.hasMore);
  EXPECT_EQ(page.offset, 42);
}

TEST(ServerMessages, DecodeSessionAndMessaging) {
  EXPECT_EQ(as<Connected>(R"({"type":"connected","connId":"c1"})").connId, "c1");
  EXPECT_EQ(as<BindSuccess>(R"({"type":"bind_success","uid":"u1"})").uid, "u1");
  const auto d =
      as<Direct>(R"({"type":"direct","from":"a","to":"b","msg":"hi","id":"e1","timestamp":5,"offline":true})");
  EXPECT_EQ(d.from, "a");
  EXPECT_EQ(d.msg, "\"hi\"");
  EXPECT_EQ(d.text, std::optional<std::string>("hi"));
  EXPECT_EQ(d.id, "e1");
  EXPECT_EQ(d.timestamp, 5);
  EXPECT_TRUE(d.offline);
  const auto b = as<Broadcast>(R"({"type":"broadcast","msg":{"k":[1]},"timestamp":7,"from":"a"})");
  EXPECT_EQ(b.msg, R"({"k":[1]})");
  EXPECT_FALSE(b.text);
  const auto one = as<SendSuccess>(R"({"type":"send_success","to":"u2","offline":true})");
  EXPECT_FALSE(one.multicast);
  EXPECT_EQ(one.offline, std::vector<std::string>{"u2"});
  const auto many = as<SendSuccess>(R"({"type":"send_success","to":["u2"],"offline":["u3"]})");
  EXPECT_TRUE(many.multicast);
  EXPECT_EQ(many.to, std::vector<std::string>{"u2"});
  EXPECT_EQ(many.offline, std::vector<std::string>{"u3"});
}

TEST(ServerMessages, DecodeQueriesPresenceAndHeartbeats) {
  EXPECT_TRUE(as<OnlineResult>(R"({"type":"online_result","uid":"u1","online":true})").online);
  EXPECT_EQ(as<ListResult>(R"({"type":"list","uids":["u1","u2"]})").uids, (std::vector<std::string>{"u1", "u2"}));
  EXPECT_TRUE(as<Presence>(R"({"type":"online","uid":"u1","timestamp":1})").online);
  EXPECT_FALSE(as<Presence>(R"({"type":"offline","uid":"u1","timestamp":1})").online);
  EXPECT_TRUE(as<Heartbeat>(R"({"type":"ping"})").ping);
  EXPECT_FALSE(as<Heartbeat>(R"({"type":"pong"})").ping);
}

TEST(ServerMessages, DecodeErrorsWithKnownAndUnknownCodes) {
  const auto known = as<ServerError>(R"({"type":"error","code":"inbox_full","msg":"full"})");
  EXPECT_EQ(known.code, ErrorCode::kInboxFull);
  EXPECT_EQ(known.msg, "full");
  const auto seed = as<ServerError>(R"({"type":"error","msg":"no code, as in the seed"})");
  EXPECT_EQ(seed.code, ErrorCode::kUnknown);
  EXPECT_EQ(as<ServerError>(R"({"type":"error","code":"brand_new","msg":""})").codeText, "brand_new");
}

TEST(ServerMessages, DecodeRoomsAndSignals) {
  const auto joined = as<RoomEvent>(R"({"type":"room_joined","roomId":"r","members":["a","b"]})");
  EXPECT_EQ(joined.kind, RoomEvent::Kind::kJoined);
  EXPECT_EQ(joined.members.size(), 2U);
  EXPECT_EQ(as<RoomEvent>(R"({"type":"room_member_left","roomId":"r","uid":"b"})").uid, "b");
  EXPECT_EQ(as<RoomEvent>(R"({"type":"room_created","roomId":"r","members":[]})").kind, RoomEvent::Kind::kCreated);
  EXPECT_EQ(as<RoomEvent>(R"({"type":"room_left","roomId":"r"})").kind, RoomEvent::Kind::kLeft);
  EXPECT_EQ(as<RoomEvent>(R"({"type":"room_member_joined","roomId":"r","uid":"c"})").kind,
            RoomEvent::Kind::kMemberJoined);
  const auto offer = as<Signal>(R"({"type":"webrtc_offer","roomId":"r","to":"b","from":"a","sdp":{"type":"offer"}})");
  EXPECT_EQ(offer.payload, R"({"type":"offer"})");
  EXPECT_EQ(as<Signal>(R"({"type":"webrtc_answer","roomId":"r","sdp":{}})").kind, Signal::Kind::kAnswer);
  EXPECT_EQ(as<Signal>(R"({"type":"webrtc_ice","roomId":"r","candidate":null})").payload, "null");
  const auto closed = as<ClosedNotice>(R"({"type":"closed","code":1008,"reason":"token_revoked"})");
  EXPECT_EQ(closed.code, 1008);
  EXPECT_EQ(closed.reason, "token_revoked");
}

TEST(ServerMessages, UntrustedInputDecodesAsEmptyValues) {
  for (const char* junk : {"", "not json", "[]", "42", R"({"type":1})", R"({"type":"new_kind"})"}) {
    EXPECT_TRUE(std::holds_alternative<std::monostate>(decodeServerMessage(junk).event)) << junk;
  }
  EXPECT_EQ(decodeServerMessage(R"({"type":"new_kind"})").type, "new_kind");
  const auto d = as<Direct>(R"({"type":"direct","from":7,"timestamp":"soon","offline":"yes"})");
  EXPECT_EQ(d.from, "");
  EXPECT_EQ(d.timestamp, 0);
  EXPECT_FALSE(d.offline);
  EXPECT_EQ(d.msg, "null");
}

TEST(ServerMessages, DecodeHttpErrorBodies) {
  const HttpError e = decodeHttpError(R"({"status":"error","code":"invalid_token","msg":"no"})");
  EXPECT_EQ(e.code, ErrorCode::kInvalidToken);
  EXPECT_EQ(e.msg, "no");
  EXPECT_EQ(decodeHttpError("Forbidden").code, ErrorCode::kNone);
}

}  // namespace
}  // namespace wsclient::detail
