// The server API's calls become events: what each records, and what is refused before
// anything is logged.
#include "core/api_call.h"

#include <gtest/gtest.h>

#include "core/json.h"

namespace wsd {
namespace {

class ApiCallTest : public ::testing::Test {
 protected:
  IdGenerator ids;
  rapidjson::Document args;

  DecideContext ctx() {
    DecideContext c;
    c.node = "n1";
    c.nowMs = 1000;
    c.offlineTtlMs = 500;
    c.multicastMax = 2;
    c.ids = &ids;
    return c;
  }
  Result<std::shared_ptr<Event>> make(ApiCall call, const char* body) {
    json::parse(args, body);
    return apiEvent(call, "p", args, ctx());
  }
  static std::string text(const Event& e, const char* name) { return json::string(e.data, name).value_or("<absent>"); }
};

TEST_F(ApiCallTest, SendIsAMessageDirectFromTheServerWithNoConnection) {
  auto e = make(ApiCall::kSend, R"({"to":"bob","msg":{"a":1}})");
  ASSERT_TRUE(e.ok());
  const Event& event = **e;
  EXPECT_EQ(event.type, EventType::kMessageDirect);
  EXPECT_EQ(event.project, "p");
  EXPECT_EQ(event.conn, "");
  EXPECT_EQ(text(event, "from"), "@server");
  EXPECT_EQ(text(event, "to"), "bob");
  EXPECT_EQ(json::stringify(*json::member(event.data, "msg")), R"({"a":1})");
  EXPECT_EQ(json::int64(event.data, "expiresAt"), 1500);  // now + the offline TTL, decided once
  EXPECT_EQ(text(event, "via"), "api");
}

TEST_F(ApiCallTest, AGivenSenderIsKept) {
  auto e = make(ApiCall::kMulticast, R"({"to":["a","b"],"msg":"x","from":"billing"})");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ((*e)->type, EventType::kMessageMulticast);
  EXPECT_EQ(text(**e, "from"), "billing");
  EXPECT_EQ(json::member((*e)->data, "to")->Size(), 2u);
}

TEST_F(ApiCallTest, MulticastOverTheLimitIsRefusedAsForAClient) {
  auto e = make(ApiCall::kMulticast, R"({"to":["a","b","c"],"msg":"x"})");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().code, "too_many_recipients");
}

TEST_F(ApiCallTest, BroadcastRecordsNoRecipientsAndNoExpiry) {
  auto e = make(ApiCall::kBroadcast, R"({"msg":"hi"})");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ((*e)->type, EventType::kMessageBroadcast);
  EXPECT_EQ(json::member((*e)->data, "to"), nullptr);
  EXPECT_EQ(json::member((*e)->data, "expiresAt"), nullptr);
}

TEST_F(ApiCallTest, KickRecordsTheCloseCodeAndTheDefaultReason) {
  auto e = make(ApiCall::kKick, R"({"uid":"alice"})");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ((*e)->type, EventType::kConnKick);
  EXPECT_EQ(text(**e, "uid"), "alice");
  EXPECT_EQ(json::member((*e)->data, "conn"), nullptr);
  EXPECT_EQ(json::int64((*e)->data, "code"), kKickCloseCode);
  EXPECT_EQ(text(**e, "reason"), "kicked");
  auto withReason = make(ApiCall::kKick, R"({"conn":"c1","reason":"banned"})");
  EXPECT_EQ(text(**withReason, "conn"), "c1");
  EXPECT_EQ(text(**withReason, "reason"), "banned");
}

TEST_F(ApiCallTest, QueriesNeedTheirArgument) {
  EXPECT_EQ(make(ApiCall::kOnline, "{}").error().code, "bad_request");
  EXPECT_EQ(make(ApiCall::kRoom, R"({"roomId":""})").error().code, "bad_request");
  EXPECT_EQ(make(ApiCall::kRoom, ("{\"roomId\":\"" + std::string(129, 'r') + "\"}").c_str()).error().code,
            "bad_request");
  auto online = make(ApiCall::kOnline, R"({"uid":"bob"})");
  ASSERT_TRUE(online.ok());
  EXPECT_EQ((*online)->type, EventType::kQueryOnline);
  auto room = make(ApiCall::kRoom, R"({"roomId":"r1"})");
  EXPECT_EQ((*room)->type, EventType::kQueryRoom);
  EXPECT_EQ(text(**room, "roomId"), "r1");
  auto list = make(ApiCall::kList, "{}");
  EXPECT_EQ((*list)->type, EventType::kQueryList);
}

TEST_F(ApiCallTest, OnlyQueriesAreGetsAndOnlyTheOthersHaveABodySchema) {
  for (ApiCall call : {ApiCall::kOnline, ApiCall::kList, ApiCall::kRoom}) {
    EXPECT_TRUE(apiCallIsQuery(call));
    EXPECT_TRUE(apiRequestSchema(call).empty());
  }
  for (ApiCall call : {ApiCall::kSend, ApiCall::kMulticast, ApiCall::kBroadcast, ApiCall::kKick}) {
    EXPECT_FALSE(apiCallIsQuery(call));
    EXPECT_EQ(apiRequestSchema(call), "http/api_" + std::string(apiCallName(call)) + "_request");
  }
}

}  // namespace
}  // namespace wsd
