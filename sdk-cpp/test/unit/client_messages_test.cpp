// Client message encoding (client_messages.h): shapes of docs/protocol.md, escaping, and
// the rules checked before anything is queued.
#include "client_messages.h"

#include <gtest/gtest.h>

namespace wsclient::detail {
namespace {

TEST(ClientMessages, EncodeEveryClientMessage) {
  EXPECT_EQ(encodeBind("user_1"), R"({"type":"bind","uid":"user_1"})");
  EXPECT_EQ(encodeSend("user_2", R"( {"a": [1, 2]} )"), R"({"type":"send","to":"user_2","msg":{"a":[1,2]}})");
  EXPECT_EQ(encodeMulticast({"u1", "u2"}, "\"Hi\""), R"({"type":"multicast","to":["u1","u2"],"msg":"Hi"})");
  EXPECT_EQ(encodeBroadcast("null"), R"({"type":"broadcast","msg":null})");
  EXPECT_EQ(encodeList(), R"({"type":"list"})");
  EXPECT_EQ(encodeOnline("user_1"), R"({"type":"online","uid":"user_1"})");
  EXPECT_EQ(encodeRoom("room_join", "r1"), R"({"type":"room_join","roomId":"r1"})");
  EXPECT_EQ(encodeSignal("webrtc_offer", "r1", "u2", R"({"type":"offer"})"),
            R"({"type":"webrtc_offer","roomId":"r1","to":"u2","sdp":{"type":"offer"}})");
  EXPECT_EQ(encodeSignal("webrtc_ice", "r1", "u2", "null"),
            R"({"type":"webrtc_ice","roomId":"r1","to":"u2","candidate":null})");
  EXPECT_EQ(encodePong(), R"({"type":"pong"})");
}

TEST(ClientMessages, EncodeRoomMessagesHistoryAndJoinsFromAPosition) {
  EXPECT_EQ(encodeRoomSend("r", R"({"t":1})", false), R"({"type":"room_send","roomId":"r","msg":{"t":1}})");
  EXPECT_EQ(encodeRoomSend("r", "1", true), R"({"type":"room_send","roomId":"r","msg":1,"echo":true})");
  EXPECT_EQ(encodeRoomJoin("room_join", "r", RoomPosition{4, "E"}),
            R"({"type":"room_join","roomId":"r","since":{"offset":4,"epoch":"E"}})");
  EXPECT_EQ(encodeRoomJoin("room_create", "r", std::nullopt), R"({"type":"room_create","roomId":"r"})");
  EXPECT_EQ(encodeRoomHistory("r", RoomHistoryOptions{}), R"({"type":"room_history","roomId":"r"})");
  EXPECT_EQ(encodeRoomHistory("r", RoomHistoryOptions{std::nullopt, 9, 5}),
            R"({"type":"room_history","roomId":"r","before":9,"limit":5})");
  EXPECT_EQ(encodeRoomHistory("r", RoomHistoryOptions{RoomPosition{0, ""}, std::nullopt, 0}),
            R"({"type":"room_history","roomId":"r","since":{"offset":0,"epoch":""}})");
}

TEST(ClientMessages, RefuseRoomCallsThatBreakTheRules) {
  EXPECT_FALSE(encodeRoomSend("", "1", false));
  EXPECT_FALSE(encodeRoomSend("r", "{not json", false));
  EXPECT_FALSE(encodeRoomJoin("room_join", "r", RoomPosition{-1, "E"}));
  EXPECT_FALSE(encodeRoomJoin("room_join", "r", RoomPosition{1, std::string(129, 'e')}));
  EXPECT_FALSE(encodeRoomHistory("r", RoomHistoryOptions{RoomPosition{0, ""}, 3, 0}));  // both bounds
  EXPECT_FALSE(encodeRoomHistory("r", RoomHistoryOptions{std::nullopt, 0, 0}));
  EXPECT_FALSE(encodeRoomHistory("r", RoomHistoryOptions{std::nullopt, std::nullopt, 1001}));
}

TEST(ClientMessages, EscapeStrings) {
  EXPECT_EQ(quoteJson("say \"hi\"\n"), R"("say \"hi\"\n")");
  EXPECT_EQ(encodeBind("a\"b"), R"({"type":"bind","uid":"a\"b"})");
}

TEST(ClientMessages, CountUidLengthInCharactersNotBytes) {
  std::string uid;
  for (int i = 0; i < 128; ++i) uid += "é";  // 256 bytes, 128 characters
  EXPECT_TRUE(encodeBind(uid));
  EXPECT_FALSE(encodeBind(uid + "é"));
}

TEST(ClientMessages, RefuseWhatBreaksTheRules) {
  EXPECT_FALSE(encodeSend("u", "{"));
  EXPECT_FALSE(encodeSignal("webrtc_answer", "r", "u", "null"));  // sdp must be an object
  EXPECT_FALSE(encodeRaw(R"({"type":""})"));
  EXPECT_EQ(encodeRaw(R"( {"type":"x", "y": 1} )"), R"({"type":"x","y":1})");
}

}  // namespace
}  // namespace wsclient::detail
