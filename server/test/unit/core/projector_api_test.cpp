// The projector's side of the server API: outcomes a caller with no connection reads
// (Effects::sent, Effects::query) and conn.kick, over the in-memory store.
#include <gtest/gtest.h>

#include "core/api_call.h"
#include "core/json.h"
#include "core/projector.h"
#include "store/memory_store.h"

namespace wsd {
namespace {

class ProjectorApiTest : public ::testing::Test {
 protected:
  store::MemoryStore state;
  Projector projector{state, ProjectorLimits{1, 4}};  // one stored message per uid
  IdGenerator ids;
  std::int64_t now = 1'700'000'000'000;

  DecideContext ctx() {
    DecideContext c;
    c.node = "n1";
    c.nowMs = ++now;
    c.ids = &ids;
    return c;
  }
  Effects client(EventType type, const std::string& conn, const char* key = nullptr, const std::string& value = "",
                 const std::string& project = "p") {
    auto e = newEvent(type, project, conn, ctx());
    if (key != nullptr)
      e->data.AddMember(rapidjson::StringRef(key), rapidjson::Value(value.c_str(), e->alloc()), e->alloc());
    return projector.apply(*e);
  }
  void project(const std::string& key) {
    auto p = newEvent(EventType::kProjectCreate, key, "", ctx());
    p->data.AddMember("key", rapidjson::Value(key.c_str(), p->alloc()), p->alloc());
    projector.apply(*p);
    auto t = newEvent(EventType::kTokenIssue, key, "", ctx());
    t->data.AddMember("token", "tok", t->alloc());
    t->data.AddMember("expiresAt", rapidjson::Value(), t->alloc());
    projector.apply(*t);
  }
  void connect(const std::string& conn, const std::string& uid, const std::string& project = "p") {
    client(EventType::kConnOpen, conn, "token", "tok", project);
    client(EventType::kUidBind, conn, "uid", uid, project);
  }
  Effects api(ApiCall call, const char* body) {
    rapidjson::Document args;
    json::parse(args, body);
    auto e = apiEvent(call, "p", args, ctx());
    EXPECT_TRUE(e.ok());
    return projector.apply(**e);
  }
  static bool delivers(const Effects& fx, const std::string& conn, std::string_view needle) {
    for (const auto& d : fx.deliveries) {
      if ((d.to == Delivery::To::kProject || d.target == conn) && d.message->find(needle) != std::string::npos)
        return true;
    }
    return false;
  }

  void SetUp() override {
    project("p");
    project("q");
  }
};

using Names = std::vector<std::string>;

TEST_F(ProjectorApiTest, SendSaysWhetherTheUidWasOnlineStoredOrItsInboxFull) {
  connect("c1", "bob");
  auto live = api(ApiCall::kSend, R"({"to":"bob","msg":"hi"})");
  ASSERT_TRUE(live.sent);
  EXPECT_EQ(live.sent->delivered, Names{"bob"});
  EXPECT_TRUE(delivers(live, "c1", R"("from":"@server")"));

  auto stored = api(ApiCall::kSend, R"({"to":"carol","msg":"hi"})");
  EXPECT_EQ(stored.sent->stored, Names{"carol"});
  auto full = api(ApiCall::kSend, R"({"to":"carol","msg":"again"})");
  EXPECT_EQ(full.sent->failed, Names{"carol"});
  EXPECT_TRUE(full.sent->delivered.empty() && full.sent->stored.empty());
}

TEST_F(ProjectorApiTest, MulticastListsEachDistinctRecipientOnce) {
  connect("c1", "a");
  api(ApiCall::kSend, R"({"to":"full","msg":1})");
  auto fx = api(ApiCall::kMulticast, R"({"to":["a","ghost","a","full"],"msg":"x"})");
  ASSERT_TRUE(fx.sent);
  EXPECT_EQ(fx.sent->delivered, Names{"a"});
  EXPECT_EQ(fx.sent->stored, Names{"ghost"});
  EXPECT_EQ(fx.sent->failed, Names{"full"});
}

TEST_F(ProjectorApiTest, KickingAUidEndsEachOfItsSessionsAndClosesThem) {
  connect("a1", "alice");
  connect("a2", "alice");
  connect("b1", "bob");
  client(EventType::kRoomCreate, "b1", "roomId", "r");
  client(EventType::kRoomJoin, "a1", "roomId", "r");
  auto fx = api(ApiCall::kKick, R"({"uid":"alice","reason":"banned"})");
  ASSERT_EQ(fx.closes.size(), 2u);
  for (const auto& order : fx.closes) {
    EXPECT_EQ(order.code, kKickCloseCode);
    EXPECT_EQ(order.reason, "banned");
  }
  EXPECT_TRUE(delivers(fx, "b1", R"("type":"room_member_left")"));
  EXPECT_TRUE(delivers(fx, "b1", R"("type":"offline","uid":"alice")"));
  // At the kick's place in the log alice is gone: a message after it is stored.
  EXPECT_TRUE(state.connsOfUid("p", "alice").empty());
  EXPECT_EQ(api(ApiCall::kSend, R"({"to":"alice","msg":"x"})").sent->stored, Names{"alice"});
  EXPECT_EQ(api(ApiCall::kRoom, R"({"roomId":"r"})").query->uids, Names{"bob"});
  // The connections' own conn.close events come later and change nothing.
  EXPECT_TRUE(client(EventType::kConnClose, "a1").deliveries.empty());
}

TEST_F(ProjectorApiTest, KickingAConnectionEndsItAloneAndNeverOneOfAnotherProject) {
  connect("a1", "alice");
  connect("a2", "alice");
  connect("q1", "alice", "q");
  auto fx = api(ApiCall::kKick, R"({"conn":"a1"})");
  ASSERT_EQ(fx.closes.size(), 1u);
  EXPECT_EQ(fx.closes[0].conn, "a1");
  EXPECT_EQ(fx.closes[0].reason, "kicked");
  EXPECT_FALSE(delivers(fx, "a2", R"("type":"offline")"));  // alice still has a2
  EXPECT_TRUE(api(ApiCall::kKick, R"({"conn":"q1"})").closes.empty());
  EXPECT_TRUE(api(ApiCall::kKick, R"({"conn":"nope"})").closes.empty());
  EXPECT_EQ(state.connsOfUid("q", "alice"), Names{"q1"});
}

TEST_F(ProjectorApiTest, QueriesAnswerFromTheProjections) {
  connect("c1", "zed");
  connect("c2", "amy");
  client(EventType::kRoomCreate, "c1", "roomId", "r");
  client(EventType::kRoomJoin, "c2", "roomId", "r");
  EXPECT_TRUE(api(ApiCall::kOnline, R"({"uid":"zed"})").query->online);
  EXPECT_FALSE(api(ApiCall::kOnline, R"({"uid":"nobody"})").query->online);
  EXPECT_EQ(api(ApiCall::kList, "{}").query->uids, (Names{"amy", "zed"}));
  EXPECT_EQ(api(ApiCall::kRoom, R"({"roomId":"r"})").query->uids, (Names{"amy", "zed"}));
  EXPECT_TRUE(api(ApiCall::kRoom, R"({"roomId":"none"})").query->uids.empty());
}

}  // namespace
}  // namespace wsd
