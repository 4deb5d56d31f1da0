// The server API's routing, credentials and answers: the parts with no network.
#include "gateway/routes/server_api_routes.h"

#include <gtest/gtest.h>

#include "core/json.h"

namespace wsd {
namespace {

Event event(const char* data) {
  Event e;
  e.id = "01ID";
  json::parse(e.data, data);
  return e;
}

rapidjson::Document body(const HttpResponse& response) {
  rapidjson::Document doc;
  json::parse(doc, response.body);
  return doc;
}

TEST(ServerApiRoutes, TheRoomOfARoomSendPathIsOneNonEmptySegment) {
  EXPECT_EQ(roomIdInPath("/api/rooms/lobby/send"), "lobby");
  EXPECT_EQ(roomIdInPath("/api/rooms//send"), "");
  EXPECT_EQ(roomIdInPath("/api/rooms/a/b/send"), "");
  EXPECT_EQ(roomIdInPath("/api/rooms/send"), "");
  EXPECT_EQ(roomIdInPath("/api/room"), "");
}

TEST(ServerApiRoutes, SendIsAnsweredLikeSendSuccessAndAFullInboxIs409) {
  Effects fx;
  fx.sent = SendOutcome{{}, {"bob"}, {}};
  auto ok = serverApiAnswer(ApiCall::kSend, event(R"({"to":"bob"})"), fx);
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, R"({"status":"success","id":"01ID","to":"bob","offline":true})");
  fx.sent = SendOutcome{{}, {}, {"bob"}};
  auto full = serverApiAnswer(ApiCall::kSend, event(R"({"to":"bob"})"), fx);
  EXPECT_EQ(full.status, 409);
  EXPECT_EQ(json::string(body(full), "code"), "inbox_full");
}

TEST(ServerApiRoutes, RoomSendIsAnsweredWithItsPlaceInTheRoomsStream) {
  Effects fx;
  fx.roomSent = RoomSendOutcome{7, "01EPOCH"};
  auto answer = serverApiAnswer(ApiCall::kRoomSend, event(R"({"roomId":"r","from":"@server","msg":1})"), fx);
  EXPECT_EQ(answer.status, 200);
  auto b = body(answer);
  EXPECT_EQ(json::int64(b, "offset"), 7);
  EXPECT_EQ(json::string(b, "epoch"), "01EPOCH");
  EXPECT_EQ(json::string(b, "id"), "01ID");
}

TEST(ServerApiRoutes, MulticastKickAndQueriesAnswerFromTheEffects) {
  Effects fx;
  fx.sent = SendOutcome{{"a"}, {"b"}, {"c"}};
  EXPECT_EQ(serverApiAnswer(ApiCall::kMulticast, event("{}"), fx).body,
            R"({"status":"success","id":"01ID","delivered":["a"],"stored":["b"],"failed":["c"]})");
  EXPECT_EQ(serverApiAnswer(ApiCall::kBroadcast, event("{}"), fx).body, R"({"status":"success","id":"01ID"})");

  Effects kick;
  kick.close({"c1", "c2"}, 4001, "kicked");
  EXPECT_EQ(serverApiAnswer(ApiCall::kKick, event("{}"), kick).body, R"({"status":"success","closed":["c1","c2"]})");

  Effects query;
  query.query = QueryOutcome{true, {"amy", "zed"}};
  EXPECT_EQ(serverApiAnswer(ApiCall::kOnline, event(R"({"uid":"amy"})"), query).body,
            R"({"status":"success","uid":"amy","online":true})");
  EXPECT_EQ(serverApiAnswer(ApiCall::kList, event("{}"), query).body, R"({"status":"success","uids":["amy","zed"]})");
  EXPECT_EQ(serverApiAnswer(ApiCall::kRoom, event(R"({"roomId":"r"})"), query).body,
            R"({"status":"success","roomId":"r","members":["amy","zed"]})");
}

}  // namespace
}  // namespace wsd
