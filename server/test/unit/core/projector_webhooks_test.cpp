// The projector's part in webhooks: webhook.add / webhook.remove keep a project's
// endpoints, and Effects::changes tell observers what presence and rooms did.
#include <gtest/gtest.h>

#include "core/decide.h"
#include "core/json.h"
#include "core/projector.h"
#include "store/memory_store.h"

namespace wsd {
namespace {

using Kind = Change::Kind;

class ProjectorWebhooksTest : public ::testing::Test {
 protected:
  store::MemoryStore state;
  Projector projector{state, ProjectorLimits{10, 2}};
  IdGenerator ids;
  std::int64_t now = 1'700'000'000'000;

  std::shared_ptr<Event> event(EventType type, const std::string& conn = "") {
    DecideContext ctx;
    ctx.node = "n1";
    ctx.nowMs = ++now;
    ctx.ids = &ids;
    return newEvent(type, "p", conn, ctx);
  }
  static void put(Event& e, const char* key, const std::string& value) {
    e.data.AddMember(rapidjson::StringRef(key), rapidjson::Value(value.c_str(), e.alloc()), e.alloc());
  }
  Effects apply(const std::shared_ptr<Event>& e) { return projector.apply(*e); }

  void SetUp() override {
    auto p = event(EventType::kProjectCreate);
    put(*p, "key", "p");
    apply(p);
    auto t = event(EventType::kTokenIssue);
    put(*t, "token", "tok");
    t->data.AddMember("expiresAt", rapidjson::Value(), t->alloc());
    apply(t);
  }
  Effects addHook(const std::string& id, std::vector<std::string> events) {
    auto e = event(EventType::kWebhookAdd);
    put(*e, "id", id);
    put(*e, "url", "http://example.com/" + id);
    rapidjson::Value list(rapidjson::kArrayType);
    for (const auto& name : events) list.PushBack(rapidjson::Value(name.c_str(), e->alloc()), e->alloc());
    e->data.AddMember("events", list, e->alloc());
    put(*e, "secret", "s-" + id);
    e->data.AddMember("createdAt", 42, e->alloc());
    return apply(e);
  }
  Effects removeHook(const std::string& id) {
    auto e = event(EventType::kWebhookRemove);
    put(*e, "id", id);
    return apply(e);
  }
  Effects open(const std::string& conn) {
    auto e = event(EventType::kConnOpen, conn);
    put(*e, "token", "tok");
    return apply(e);
  }
  Effects bind(const std::string& conn, const std::string& uid) {
    auto e = event(EventType::kUidBind, conn);
    put(*e, "uid", uid);
    return apply(e);
  }
  Effects room(EventType type, const std::string& conn, const std::string& roomId) {
    auto e = event(type, conn);
    put(*e, "roomId", roomId);
    return apply(e);
  }
  Effects close(const std::string& conn) { return apply(event(EventType::kConnClose, conn)); }
};

std::vector<std::string> describe(const Effects& fx) {
  std::vector<std::string> out;
  for (const auto& c : fx.changes) {
    static const char* kNames[] = {"online", "offline", "disconnect", "room_create", "room_join", "room_leave"};
    out.push_back(std::string(kNames[static_cast<int>(c.kind)]) + ":" + c.uid + ":" + c.conn + ":" + c.room);
  }
  return out;
}

TEST_F(ProjectorWebhooksTest, AddedWebhooksAreKeptWithSortedEventsAndRemovedById) {
  EXPECT_FALSE(addHook("wh_1", {"message", "connect", "message"}).rejection);
  auto hooks = state.webhooks("p");
  ASSERT_EQ(hooks.size(), 1u);
  EXPECT_EQ(hooks[0].url, "http://example.com/wh_1");
  EXPECT_EQ(hooks[0].events, (std::vector<std::string>{"connect", "message"}));
  EXPECT_EQ(hooks[0].secret, "s-wh_1");
  EXPECT_EQ(hooks[0].createdAt, 42);
  EXPECT_FALSE(removeHook("wh_1").rejection);
  EXPECT_TRUE(state.webhooks("p").empty());
}

TEST_F(ProjectorWebhooksTest, RemovingAnUnknownWebhookIsRejected) {
  auto fx = removeHook("wh_nope");
  ASSERT_TRUE(fx.rejection);
  EXPECT_EQ(fx.rejection->code, "webhook_not_found");
}

TEST_F(ProjectorWebhooksTest, AddingToAnUnknownProjectIsRejected) {
  auto e = event(EventType::kWebhookAdd);
  e->project = "nope";
  put(*e, "id", "wh_1");
  auto fx = apply(e);
  ASSERT_TRUE(fx.rejection);
  EXPECT_EQ(fx.rejection->code, "project_not_found");
  EXPECT_TRUE(state.webhooks("nope").empty());
}

TEST_F(ProjectorWebhooksTest, DeletingTheProjectDeletesItsWebhooks) {
  addHook("wh_1", {"connect"});
  auto e = event(EventType::kProjectDelete);
  put(*e, "key", "p");
  apply(e);
  EXPECT_TRUE(state.webhooks("p").empty());
}

TEST_F(ProjectorWebhooksTest, PresenceChangesOnlyOnTransitions) {
  open("c1");
  open("c2");
  EXPECT_EQ(describe(bind("c1", "alice")), std::vector<std::string>{"online:alice::"});
  EXPECT_TRUE(describe(bind("c2", "alice")).empty()) << "a second session is no transition";
  EXPECT_EQ(describe(close("c1")), std::vector<std::string>{"disconnect:alice:c1:"});
  EXPECT_EQ(describe(close("c2")), (std::vector<std::string>{"disconnect:alice:c2:", "offline:alice::"}));
}

TEST_F(ProjectorWebhooksTest, RoomChangesNameTheActionAndASessionsEndLeavesItsRooms) {
  open("c1");
  bind("c1", "alice");
  EXPECT_EQ(describe(room(EventType::kRoomCreate, "c1", "r1")), std::vector<std::string>{"room_create:alice:c1:r1"});
  EXPECT_TRUE(describe(room(EventType::kRoomJoin, "c1", "r1")).empty()) << "already in it";
  EXPECT_EQ(describe(room(EventType::kRoomJoin, "c1", "r2")), std::vector<std::string>{"room_join:alice:c1:r2"});
  EXPECT_EQ(describe(room(EventType::kRoomLeave, "c1", "r2")), std::vector<std::string>{"room_leave:alice:c1:r2"});
  EXPECT_TRUE(describe(room(EventType::kRoomLeave, "c1", "r2")).empty()) << "not in it: an error, no change";
  EXPECT_EQ(describe(close("c1")),
            (std::vector<std::string>{"room_leave:alice:c1:r1", "disconnect:alice:c1:", "offline:alice::"}));
}

TEST_F(ProjectorWebhooksTest, AnUnboundSessionEndsWithADisconnectOnly) {
  open("c1");
  EXPECT_EQ(describe(close("c1")), std::vector<std::string>{"disconnect::c1:"});
  EXPECT_TRUE(describe(close("c1")).empty()) << "closing twice changes nothing";
}

}  // namespace
}  // namespace wsd
