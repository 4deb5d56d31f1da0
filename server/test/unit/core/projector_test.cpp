// The projector's rules, event by event, over the in-memory store.
#include "core/projector.h"

#include <gtest/gtest.h>

#include "core/decide.h"
#include "core/json.h"
#include "store/memory_store.h"

namespace wsd {
namespace {

class ProjectorTest : public ::testing::Test {
 protected:
  store::MemoryStore state;
  Projector projector{state, ProjectorLimits{3, 2}};
  IdGenerator ids;
  std::int64_t now = 1'700'000'000'000;

  std::shared_ptr<Event> event(EventType type, const std::string& conn, const std::string& project = "p") {
    DecideContext ctx;
    ctx.node = "n1";
    ctx.nowMs = ++now;
    ctx.ids = &ids;
    return newEvent(type, project, conn, ctx);
  }
  static void put(Event& e, const char* key, const std::string& value) {
    e.data.AddMember(rapidjson::StringRef(key), rapidjson::Value(value.c_str(), e.alloc()), e.alloc());
  }
  bool recording = false;
  std::vector<std::string> log;  // every applied event, encoded, when recording
  Effects apply(const std::shared_ptr<Event>& e) {
    if (recording) log.push_back(e->encode());
    return projector.apply(*e);
  }

  void createProjectWithToken() {
    auto p = event(EventType::kProjectCreate, "");
    put(*p, "key", "p");
    put(*p, "name", "P");
    apply(p);
    auto t = event(EventType::kTokenIssue, "");
    put(*t, "token", "tok");
    t->data.AddMember("expiresAt", rapidjson::Value(), t->alloc());
    apply(t);
  }
  Effects open(const std::string& conn, const std::string& node = "n1") {
    auto e = event(EventType::kConnOpen, conn);
    e->node = node;
    put(*e, "token", "tok");
    return apply(e);
  }
  Effects bind(const std::string& conn, const std::string& uid) {
    auto e = event(EventType::kUidBind, conn);
    put(*e, "uid", uid);
    return apply(e);
  }
  Effects send(const std::string& conn, const std::string& from, const std::string& to, const std::string& msg,
               std::int64_t ttl = 1000) {
    auto e = event(EventType::kMessageDirect, conn);
    put(*e, "from", from);
    put(*e, "to", to);
    put(*e, "msg", msg);
    e->data.AddMember("expiresAt", e->ts + ttl, e->alloc());
    return apply(e);
  }
  Effects close(const std::string& conn) { return apply(event(EventType::kConnClose, conn)); }
  Effects room(EventType type, const std::string& conn, const std::string& roomId) {
    auto e = event(type, conn);
    put(*e, "roomId", roomId);
    return apply(e);
  }

  // A mail.request of `token` at `ts`, under a limit of `max` per `windowMs`.
  Effects mailRequest(std::int64_t ts, std::int64_t max, std::int64_t windowMs, const std::string& token = "tok") {
    auto e = event(EventType::kMailRequest, "");
    e->ts = ts;
    put(*e, "token", token);
    e->data.AddMember("max", max, e->alloc());
    e->data.AddMember("windowMs", windowMs, e->alloc());
    return apply(e);
  }

  static std::vector<std::string> messagesTo(const Effects& fx, const std::string& conn) {
    std::vector<std::string> out;
    for (const auto& d : fx.deliveries) {
      if (d.to == Delivery::To::kConn && d.target == conn) out.push_back(*d.message);
    }
    return out;
  }
  static std::string typeOf(const std::string& message) {
    rapidjson::Document doc;
    json::parse(doc, message);
    return json::string(doc, "type").value_or("");
  }
};

TEST_F(ProjectorTest, DuplicateProjectIsRejected) {
  createProjectWithToken();
  auto again = event(EventType::kProjectCreate, "");
  put(*again, "key", "p");
  auto fx = apply(again);
  ASSERT_TRUE(fx.rejection.has_value());
  EXPECT_EQ(fx.rejection->code, "project_exists");
}

TEST_F(ProjectorTest, ConnOpenAnswersConnected) {
  createProjectWithToken();
  auto fx = open("c1");
  auto messages = messagesTo(fx, "c1");
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(typeOf(messages[0]), "connected");
}

TEST_F(ProjectorTest, MessageToOnlineUidIsDeliveredLive) {
  createProjectWithToken();
  open("a");
  open("b");
  bind("a", "alice");
  bind("b", "bob");
  auto fx = send("a", "alice", "bob", "hi");
  ASSERT_EQ(messagesTo(fx, "b").size(), 1u);
  EXPECT_EQ(typeOf(messagesTo(fx, "b")[0]), "direct");
  ASSERT_EQ(messagesTo(fx, "a").size(), 1u);
  EXPECT_EQ(messagesTo(fx, "a")[0].find("offline"), std::string::npos);
}

TEST_F(ProjectorTest, MessageAppliedBeforeBindIsStoredAndDeliveredRightAfterBindSuccess) {
  createProjectWithToken();
  open("a");
  bind("a", "alice");
  open("b");
  auto stored = send("a", "alice", "bob", "first");
  EXPECT_NE(messagesTo(stored, "a")[0].find("\"offline\":true"), std::string::npos);
  send("a", "alice", "bob", "second");
  auto fx = bind("b", "bob");
  auto messages = messagesTo(fx, "b");
  ASSERT_EQ(messages.size(), 3u);
  EXPECT_EQ(typeOf(messages[0]), "bind_success");
  EXPECT_NE(messages[1].find("first"), std::string::npos);
  EXPECT_NE(messages[2].find("second"), std::string::npos);
  EXPECT_EQ(state.inboxSize("p", "bob"), 0u);
}

TEST_F(ProjectorTest, StoredMessagesAreDeliveredOnlyOnce) {
  createProjectWithToken();
  open("a");
  bind("a", "alice");
  send("a", "alice", "bob", "once");
  open("b1");
  EXPECT_EQ(messagesTo(bind("b1", "bob"), "b1").size(), 2u);
  open("b2");
  EXPECT_EQ(messagesTo(bind("b2", "bob"), "b2").size(), 1u);  // bind_success only
}

TEST_F(ProjectorTest, ExpiredStoredMessagesNeverArrive) {
  createProjectWithToken();
  open("a");
  bind("a", "alice");
  send("a", "alice", "bob", "short-lived", /*ttl=*/1);
  now += 10;
  open("b");
  EXPECT_EQ(messagesTo(bind("b", "bob"), "b").size(), 1u);
}

TEST_F(ProjectorTest, FullInboxRefusesWithInboxFull) {
  createProjectWithToken();
  open("a");
  bind("a", "alice");
  for (int i = 0; i < 3; ++i) send("a", "alice", "bob", "m");
  auto fx = send("a", "alice", "bob", "one too many");
  EXPECT_NE(messagesTo(fx, "a")[0].find("inbox_full"), std::string::npos);
}

TEST_F(ProjectorTest, PresenceFiresOnlyOnTransitions) {
  createProjectWithToken();
  open("a1");
  auto first = bind("a1", "alice");
  ASSERT_EQ(first.deliveries.back().to, Delivery::To::kProject);
  EXPECT_EQ(typeOf(*first.deliveries.back().message), "online");
  open("a2");
  auto second = bind("a2", "alice");
  for (const auto& d : second.deliveries) EXPECT_NE(d.to, Delivery::To::kProject);
  auto closeOne = close("a1");
  EXPECT_TRUE(closeOne.deliveries.empty());
  auto closeLast = close("a2");
  ASSERT_EQ(closeLast.deliveries.size(), 1u);
  EXPECT_EQ(typeOf(*closeLast.deliveries[0].message), "offline");
}

TEST_F(ProjectorTest, NodeStartEndsTheSessionsTheNodeHadBefore) {
  createProjectWithToken();
  open("a", "n1");
  bind("a", "alice");
  open("b", "n2");
  bind("b", "bob");
  auto restart = event(EventType::kNodeStart, "", "p");
  restart->node = "n1";
  apply(restart);
  EXPECT_EQ(state.onlineUids("p"), std::vector<std::string>{"bob"});
}

TEST_F(ProjectorTest, NodeDownEndsThatGatewaysSessionsAndAsksItToClose) {
  createProjectWithToken();
  open("a", "n1");
  bind("a", "alice");
  open("b", "n2");
  bind("b", "bob");
  auto down = event(EventType::kNodeDown, "", "p");
  put(*down, "node", "n2");
  auto fx = apply(down);
  EXPECT_EQ(state.onlineUids("p"), std::vector<std::string>{"alice"});
  ASSERT_EQ(fx.closes.size(), 1u);
  EXPECT_EQ(fx.closes[0].conn, "b");
  ASSERT_FALSE(fx.deliveries.empty());
  EXPECT_EQ(typeOf(*fx.deliveries.back().message), "offline");
}

TEST_F(ProjectorTest, NodeEventsOnlyTouchTheProjectTheyAreKeyedBy) {
  createProjectWithToken();
  open("a", "n1");
  bind("a", "alice");
  auto down = event(EventType::kNodeDown, "", "other");
  put(*down, "node", "n1");
  auto fx = apply(down);
  EXPECT_EQ(state.onlineUids("p"), std::vector<std::string>{"alice"});
  EXPECT_TRUE(fx.closes.empty());
}

TEST_F(ProjectorTest, NodeDownWithoutAProjectForgetsTheNode) {
  auto alive = event(EventType::kNodeAlive, "", "");
  alive->node = "n7";
  apply(alive);
  auto down = event(EventType::kNodeDown, "", "");
  put(*down, "node", "n7");
  apply(down);
  EXPECT_TRUE(state.nodes().empty());
}

TEST_F(ProjectorTest, NodeAliveRecordsWhenEachGatewayWasLastSeen) {
  auto alive = event(EventType::kNodeAlive, "", "");
  alive->node = "n7";
  apply(alive);
  auto nodes = state.nodes();
  ASSERT_EQ(nodes.size(), 1u);
  EXPECT_EQ(nodes[0].first, "n7");
  EXPECT_EQ(nodes[0].second, alive->ts);
}

TEST_F(ProjectorTest, RevokingATokenClosesItsConnections) {
  createProjectWithToken();
  open("a");
  auto revoke = event(EventType::kTokenRevoke, "");
  put(*revoke, "token", "tok");
  auto fx = apply(revoke);
  ASSERT_EQ(fx.closes.size(), 1u);
  EXPECT_EQ(fx.closes[0].conn, "a");
  EXPECT_EQ(fx.closes[0].code, 1008);
}

TEST_F(ProjectorTest, SignalToUidOutsideTheRoomIsAnError) {
  createProjectWithToken();
  open("a");
  bind("a", "alice");
  open("b");
  bind("b", "bob");
  room(EventType::kRoomJoin, "a", "r1");
  auto offer = event(EventType::kSignalOffer, "a");
  put(*offer, "roomId", "r1");
  put(*offer, "to", "bob");
  offer->data.AddMember("sdp", rapidjson::Value(rapidjson::kObjectType), offer->alloc());
  auto fx = apply(offer);
  EXPECT_NE(messagesTo(fx, "a")[0].find("target_not_in_room"), std::string::npos);
  room(EventType::kRoomJoin, "b", "r1");
  fx = apply(offer);
  ASSERT_EQ(messagesTo(fx, "b").size(), 1u);
  EXPECT_NE(messagesTo(fx, "b")[0].find("\"from\":\"alice\""), std::string::npos);
}

TEST_F(ProjectorTest, RoomLimitPerConnectionIsEnforced) {
  createProjectWithToken();
  open("a");
  bind("a", "alice");
  room(EventType::kRoomJoin, "a", "r1");
  room(EventType::kRoomJoin, "a", "r2");
  auto fx = room(EventType::kRoomJoin, "a", "r3");
  EXPECT_NE(messagesTo(fx, "a")[0].find("too_many_rooms"), std::string::npos);
}

TEST_F(ProjectorTest, ReplayingTheLogIntoAnEmptyStoreGivesTheSameState) {
  recording = true;
  createProjectWithToken();
  open("a");
  bind("a", "alice");
  send("a", "alice", "bob", "stored");
  open("c");
  bind("c", "carol");
  room(EventType::kRoomJoin, "c", "r1");
  close("a");
  store::MemoryStore copy;
  Projector replayer(copy, ProjectorLimits{3, 2});
  for (const auto& bytes : log) replayer.apply(*Event::decode(bytes));  // through the log format
  EXPECT_EQ(copy.onlineUids("p"), state.onlineUids("p"));
  EXPECT_EQ(copy.inboxSize("p", "bob"), 1u);
  EXPECT_EQ(copy.roomMemberUids("p", "r1"), state.roomMemberUids("p", "r1"));
  EXPECT_EQ(copy.tokens("p").size(), 1u);
}

TEST_F(ProjectorTest, AProjectorThatSkipsDeliveriesKeepsTheSameStateAndDeliversNothing) {
  recording = true;
  createProjectWithToken();
  open("a");
  bind("a", "alice");
  send("a", "alice", "bob", "stored");  // offline: kept in bob's inbox
  open("b");
  bind("b", "bob");  // delivers it, and empties the inbox
  send("b", "bob", "alice", "live");
  send("a", "alice", "carol", "for later");
  store::MemoryStore copy;
  Projector replayer(copy, ProjectorLimits{3, 2}, Projector::Deliveries::kSkip);
  for (const auto& bytes : log) {
    auto fx = replayer.apply(*Event::decode(bytes));
    EXPECT_TRUE(fx.deliveries.empty());
  }
  EXPECT_EQ(copy.onlineUids("p"), state.onlineUids("p"));
  EXPECT_EQ(copy.inboxSize("p", "bob"), 0u);
  EXPECT_EQ(copy.inboxSize("p", "carol"), 1u);
  EXPECT_EQ(copy.inboxSize("p", "carol"), state.inboxSize("p", "carol"));
}

TEST_F(ProjectorTest, MailRequestsBeyondTheLimitInOneWindowAreRefused) {
  createProjectWithToken();
  const std::int64_t t0 = now;
  for (int i = 1; i <= 3; ++i) {
    auto fx = mailRequest(t0 + i, 3, 60000);
    ASSERT_TRUE(fx.mail.has_value());
    EXPECT_TRUE(fx.mail->accepted);
    EXPECT_EQ(fx.mail->count, i);
    EXPECT_EQ(fx.mail->max, 3);
  }
  auto refused = mailRequest(t0 + 10, 3, 60000);
  ASSERT_TRUE(refused.mail.has_value());
  EXPECT_FALSE(refused.mail->accepted);
  EXPECT_EQ(refused.mail->count, 3);
  EXPECT_EQ(refused.mail->retryAfterMs, 60000 - 9);  // when the first leaves the window
}

TEST_F(ProjectorTest, MailWindowSlidesWithTheRequestsOwnTime) {
  createProjectWithToken();
  const std::int64_t t0 = now;
  EXPECT_TRUE(mailRequest(t0, 2, 1000).mail->accepted);
  EXPECT_TRUE(mailRequest(t0 + 500, 2, 1000).mail->accepted);
  EXPECT_FALSE(mailRequest(t0 + 999, 2, 1000).mail->accepted);
  auto later = mailRequest(t0 + 1000, 2, 1000);  // the first is out of the window now
  EXPECT_TRUE(later.mail->accepted);
  EXPECT_EQ(later.mail->count, 2);
  EXPECT_EQ(state.mailWindow("p", "tok"), (std::vector<std::int64_t>{t0 + 500, t0 + 1000}));
}

TEST_F(ProjectorTest, RefusedMailDoesNotCountAgainstTheLimit) {
  createProjectWithToken();
  const std::int64_t t0 = now;
  EXPECT_TRUE(mailRequest(t0, 1, 1000).mail->accepted);
  for (int i = 1; i <= 5; ++i) EXPECT_FALSE(mailRequest(t0 + i, 1, 1000).mail->accepted);
  EXPECT_TRUE(mailRequest(t0 + 1000, 1, 1000).mail->accepted);
}

TEST_F(ProjectorTest, MailLimitIsPerToken) {
  createProjectWithToken();
  auto t = event(EventType::kTokenIssue, "");
  put(*t, "token", "other");
  t->data.AddMember("expiresAt", rapidjson::Value(), t->alloc());
  apply(t);
  EXPECT_TRUE(mailRequest(now, 1, 60000).mail->accepted);
  EXPECT_FALSE(mailRequest(now + 1, 1, 60000).mail->accepted);
  EXPECT_TRUE(mailRequest(now + 2, 1, 60000, "other").mail->accepted);
}

TEST_F(ProjectorTest, MailRequestWithARevokedTokenIsRejectedWithoutADecision) {
  createProjectWithToken();
  auto revoke = event(EventType::kTokenRevoke, "");
  put(*revoke, "token", "tok");
  apply(revoke);
  auto fx = mailRequest(now + 1, 10, 60000);
  EXPECT_FALSE(fx.mail.has_value());
  ASSERT_TRUE(fx.rejection.has_value());
  EXPECT_EQ(fx.rejection->code, "invalid_token");
}

TEST_F(ProjectorTest, ReplayingMailRequestsDecidesTheSameAgain) {
  recording = true;
  createProjectWithToken();
  std::vector<bool> live;
  for (int i = 0; i < 6; ++i) live.push_back(mailRequest(now + i * 300, 3, 1000).mail->accepted);
  store::MemoryStore copy;
  Projector replayer(copy, ProjectorLimits{3, 2});
  std::vector<bool> replayed;
  for (const auto& bytes : log) {
    auto fx = replayer.apply(*Event::decode(bytes));
    if (fx.mail) replayed.push_back(fx.mail->accepted);
  }
  EXPECT_EQ(replayed, live);
  EXPECT_EQ(copy.mailWindow("p", "tok"), state.mailWindow("p", "tok"));
}

TEST_F(ProjectorTest, ProjectUpdateChangesTheNamedSettings) {
  createProjectWithToken();
  auto e = event(EventType::kProjectUpdate, "");
  rapidjson::Document patch;
  json::parse(patch, R"({"signedBind":true,"maxConnections":10})");
  e->data.AddMember("settings", rapidjson::Value(patch, e->alloc()), e->alloc());
  EXPECT_FALSE(apply(e).rejection.has_value());
  EXPECT_TRUE(state.project("p")->settings.signedBind);
  EXPECT_EQ(state.project("p")->settings.maxConnections, 10);
}

TEST_F(ProjectorTest, ARotatedSecretKeepsThePreviousOneForItsGraceOnly) {
  createProjectWithToken();
  auto rotate = [&](const std::string& secret, std::int64_t graceMs) {
    auto e = event(EventType::kProjectSecret, "");
    put(*e, "secret", secret);
    e->data.AddMember("previousValidUntil", e->ts + graceMs, e->alloc());
    return apply(e);
  };
  rotate("first", 0);
  const std::int64_t second = now + 1;
  rotate("second", 5000);
  auto settings = state.project("p")->settings;
  EXPECT_TRUE(settings.secretValidAt("second", second + 10'000));
  EXPECT_TRUE(settings.secretValidAt("first", second + 4999));
  EXPECT_FALSE(settings.secretValidAt("first", second + 5000));
  rotate("third", 0);
  settings = state.project("p")->settings;
  EXPECT_FALSE(settings.secretValidAt("second", now));
  EXPECT_FALSE(settings.secretValidAt("first", now));
  EXPECT_EQ(settings.secrets.size(), 1u);
}

TEST_F(ProjectorTest, SettingsOfAMissingProjectAreRefused) {
  auto e = event(EventType::kProjectSecret, "", "nope");
  put(*e, "secret", "x");
  auto fx = apply(e);
  ASSERT_TRUE(fx.rejection.has_value());
  EXPECT_EQ(fx.rejection->code, "project_not_found");
}

// A query the log could not take (a full disk) is still answered, from the state as it
// stands, and changes nothing: not even the expiry of an inbox that apply() would drop.
TEST_F(ProjectorTest, AQueryTheLogCouldNotTakeIsAnsweredFromTheStateWithoutChangingIt) {
  createProjectWithToken();
  open("c1");
  bind("c1", "alice");
  send("c1", "alice", "bob", "hi", 1);  // stored for bob, expiring 1 ms later
  auto query = event(EventType::kQueryList, "c1");
  query->ts += 10'000;
  auto answer = projector.answerUnlogged(*query);
  ASSERT_TRUE(answer.has_value());
  ASSERT_TRUE(answer->query.has_value());
  EXPECT_EQ(answer->query->uids, std::vector<std::string>{"alice"});
  ASSERT_EQ(answer->deliveries.size(), 1u);
  EXPECT_EQ(typeOf(*answer->deliveries[0].message), "list");
  EXPECT_EQ(state.inboxSize("p", "bob"), 1u);
  EXPECT_FALSE(projector.answerUnlogged(*event(EventType::kUidBind, "c1")).has_value());  // not a read
}

}  // namespace
}  // namespace wsd
