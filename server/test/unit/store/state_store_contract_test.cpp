// The state store contract: one suite that every StateStore implementation must pass.
// Built twice: into the unit tests for the in-memory store, and into the Redis tests
// (WSD_CONTRACT_REDIS), which ctest runs against a real redis-server, for RedisStore.
#include <gtest/gtest.h>

#include <memory>

#include "store/memory_store.h"
#ifdef WSD_CONTRACT_REDIS
#include "redis_round_trip_store.h"
#endif

namespace wsd::store {
namespace {

// Times in the suite are after this one (2100-01-01): stores may also expire stored
// messages by the wall clock (Redis keeps a TTL on each inbox), which must not fire here.
constexpr std::int64_t kT = 4102444800000;

// Every implementation, by the name the test output shows.
std::unique_ptr<StateStore> makeStore(const std::string& name) {
  if (name == "memory") return std::make_unique<MemoryStore>();
#ifdef WSD_CONTRACT_REDIS
  if (name == "redis") return RedisRoundTripStore::connect();
#endif
  return nullptr;
}

#ifdef WSD_CONTRACT_REDIS
const auto kStores = ::testing::Values("redis");
#else
const auto kStores = ::testing::Values("memory");
#endif

class StateStoreContract : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    store = makeStore(GetParam());
    ASSERT_NE(store, nullptr);
  }
  std::unique_ptr<StateStore> store;

  void openBound(const std::string& conn, const std::string& uid, const std::string& node = "n1") {
    store->openSession({conn, "p", node, "tok", {}, "ws", {}});
    if (!uid.empty()) store->bindSession(conn, uid);
  }
};

TEST_P(StateStoreContract, ProjectsAreListedByKey) {
  store->putProject({"b", "B", 1, {}});
  store->putProject({"a", "A", 2, {}});
  auto projects = store->projects();
  ASSERT_EQ(projects.size(), 2u);
  EXPECT_EQ(projects[0].key, "a");
  EXPECT_EQ(store->project("b")->name, "B");
  EXPECT_FALSE(store->project("c").has_value());
}

TEST_P(StateStoreContract, RemovingAProjectRemovesItsTokensAndInboxes) {
  store->putProject({"p", "P", 1, {}});
  store->putToken("p", {"tok", std::nullopt, 1});
  store->pushInbox("p", "u", {"id1", "a", "u", "\"m\"", kT + 1, kT + 100});
  store->removeProject("p");
  EXPECT_FALSE(store->token("p", "tok").has_value());
  EXPECT_EQ(store->inboxSize("p", "u"), 0u);
}

TEST_P(StateStoreContract, TokensKeepCreationOrderAndUpdateInPlace) {
  store->putProject({"p", "P", 1, {}});
  store->putToken("p", {"t1", std::nullopt, 1});
  store->putToken("p", {"t2", 50, 2});
  store->putToken("p", {"t1", 10, 1});
  auto tokens = store->tokens("p");
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[0].token, "t1");
  EXPECT_EQ(tokens[0].expiresAt, 10);
  EXPECT_TRUE(tokens[0].validAt(9));
  EXPECT_FALSE(tokens[0].validAt(10));
}

TEST_P(StateStoreContract, PresenceCountsSessionsPerUid) {
  openBound("c1", "alice");
  openBound("c2", "alice");
  openBound("c3", "");
  EXPECT_EQ(store->connsOfUid("p", "alice").size(), 2u);
  EXPECT_EQ(store->onlineUids("p"), std::vector<std::string>{"alice"});
  store->closeSession("c1");
  EXPECT_EQ(store->onlineUids("p"), std::vector<std::string>{"alice"});
  store->closeSession("c2");
  EXPECT_TRUE(store->onlineUids("p").empty());
  EXPECT_EQ(store->connsOfProject("p"), std::vector<std::string>{"c3"});
}

TEST_P(StateStoreContract, SessionsKeepEveryField) {
  store->openSession({"c1", "p", "n1", "tok", {}, "sse", {}});
  store->bindSession("c1", "alice");
  auto session = store->session("c1");
  ASSERT_TRUE(session.has_value());
  EXPECT_EQ(session->project, "p");
  EXPECT_EQ(session->node, "n1");
  EXPECT_EQ(session->token, "tok");
  EXPECT_EQ(session->uid, "alice");
  EXPECT_EQ(session->transport, "sse");
}

TEST_P(StateStoreContract, SessionsKeepTheirEventFilter) {
  openBound("c1", "alice");
  EXPECT_TRUE(store->session("c1")->unsubscribed.empty());
  store->setSessionFilter("c1", {"offline", "online"});
  EXPECT_EQ(store->session("c1")->unsubscribed, (std::vector<std::string>{"offline", "online"}));
  EXPECT_EQ(store->session("c1")->uid, "alice");
  store->setSessionFilter("c1", {});
  EXPECT_TRUE(store->session("c1")->unsubscribed.empty());
  store->setSessionFilter("gone", {"online"});  // not open: nothing happens
  EXPECT_FALSE(store->session("gone").has_value());
}

TEST_P(StateStoreContract, SessionsAreFoundByNodeAndToken) {
  openBound("c1", "a", "n1");
  openBound("c2", "b", "n2");
  EXPECT_EQ(store->connsOfNode("n2"), std::vector<std::string>{"c2"});
  EXPECT_EQ(store->connsOfToken("p", "tok").size(), 2u);
  EXPECT_TRUE(store->connsOfToken("p", "other").empty());
}

TEST_P(StateStoreContract, ClosingASessionLeavesItsRooms) {
  openBound("c1", "alice");
  openBound("c2", "bob");
  store->joinRoom("p", "r", "c1");
  store->joinRoom("p", "r", "c2");
  store->joinRoom("p", "r", "c2");  // twice is once
  EXPECT_EQ(store->roomConns("p", "r").size(), 2u);
  EXPECT_EQ(store->roomMemberUids("p", "r"), (std::vector<std::string>{"alice", "bob"}));
  store->closeSession("c1");
  EXPECT_EQ(store->roomMemberUids("p", "r"), std::vector<std::string>{"bob"});
  store->leaveRoom("p", "r", "c2");
  EXPECT_TRUE(store->roomConns("p", "r").empty());
  EXPECT_TRUE(store->roomsOfConn("c2").empty());
}

TEST_P(StateStoreContract, AcknowledgedMessagesLeaveTheInboxOthersStayInOrder) {
  store->pushInbox("p", "u", {"1", "a", "u", "\"one\"", kT + 1, kT + 100});
  store->pushInbox("p", "u", {"2", "a", "u", "\"two\"", kT + 2, kT + 100});
  store->pushInbox("p", "u", {"3", "a", "u", "\"three\"", kT + 3, kT + 100});
  EXPECT_EQ(store->removeFromInbox("p", "u", {"3", "unknown", "1"}), (std::vector<std::string>{"1", "3"}));
  auto left = store->inbox("p", "u");
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].id, "2");
  EXPECT_EQ(left[0].msgJson, "\"two\"");
  EXPECT_TRUE(store->removeFromInbox("p", "u", {"1"}).empty());  // twice is once
  EXPECT_EQ(store->removeFromInbox("p", "u", {"2"}), std::vector<std::string>{"2"});
  EXPECT_EQ(store->inboxSize("p", "u"), 0u);
  EXPECT_TRUE(store->inboxUids("p").empty());
  EXPECT_TRUE(store->removeFromInbox("p", "nobody", {"1"}).empty());
}

TEST_P(StateStoreContract, AnAcknowledgedMessageDoesNotDisturbExpiryOfTheOthers) {
  store->pushInbox("p", "u", {"1", "a", "u", "1", kT + 1, kT + 10});
  store->pushInbox("p", "u", {"2", "a", "u", "2", kT + 2, kT + 20});
  store->removeFromInbox("p", "u", {"1"});
  EXPECT_TRUE(store->expireInboxes("p", kT + 15).empty());  // 1 was acknowledged, 2 still lives
  EXPECT_EQ(store->inboxSize("p", "u"), 1u);
  EXPECT_EQ(store->expireInboxes("p", kT + 20), std::vector<std::string>{"u"});
  EXPECT_EQ(store->inboxSize("p", "u"), 0u);
}

TEST_P(StateStoreContract, InboxKeepsOrderAndIsTakenOnce) {
  store->pushInbox("p", "u", {"1", "a", "u", "1", kT + 1, kT + 100});
  store->pushInbox("p", "u", {"2", "a", "u", "2", kT + 2, kT + 100});
  EXPECT_EQ(store->inboxSize("p", "u"), 2u);
  auto taken = store->takeInbox("p", "u");
  ASSERT_EQ(taken.size(), 2u);
  EXPECT_EQ(taken[0].id, "1");
  EXPECT_EQ(taken[1].id, "2");
  EXPECT_TRUE(store->takeInbox("p", "u").empty());
}

TEST_P(StateStoreContract, ExpiredMessagesAreDroppedAtTheGivenTime) {
  store->pushInbox("p", "u", {"1", "a", "u", "1", kT + 1, kT + 10});
  store->pushInbox("p", "u", {"2", "a", "u", "2", kT + 2, kT + 20});
  store->expireInboxes("p", kT + 10);
  auto taken = store->takeInbox("p", "u");
  ASSERT_EQ(taken.size(), 1u);
  EXPECT_EQ(taken[0].id, "2");
}

TEST_P(StateStoreContract, ExpiryOnlyTouchesTheNamedProject) {
  store->pushInbox("p", "u", {"1", "a", "u", "1", kT + 1, kT + 10});
  store->pushInbox("q", "u", {"2", "a", "u", "2", kT + 1, kT + 10});
  EXPECT_EQ(store->expireInboxes("p", kT + 10), std::vector<std::string>{"u"});
  EXPECT_EQ(store->inboxSize("p", "u"), 0u);
  EXPECT_EQ(store->inboxSize("q", "u"), 1u);
}

TEST_P(StateStoreContract, InboxesCanBeListedWithoutTakingThem) {
  store->pushInbox("p", "bob", {"1", "a", "bob", "1", kT + 1, kT + 100});
  store->pushInbox("p", "amy", {"2", "a", "amy", "2", kT + 2, kT + 100});
  store->pushInbox("q", "cat", {"3", "a", "cat", "3", kT + 3, kT + 100});
  EXPECT_EQ(store->inboxUids("p"), (std::vector<std::string>{"amy", "bob"}));
  auto bobs = store->inbox("p", "bob");
  ASSERT_EQ(bobs.size(), 1u);
  EXPECT_EQ(bobs[0].msgJson, "1");
  EXPECT_EQ(store->inboxSize("p", "bob"), 1u);
}

TEST_P(StateStoreContract, MailWindowsAreKeptPerToken) {
  store->putProject({"p", "P", 1, {}});
  store->putToken("p", {"t1", std::nullopt, 1});
  store->putToken("p", {"t2", std::nullopt, 1});
  store->putMailWindow("p", "t1", {kT + 1, kT + 2});
  EXPECT_EQ(store->mailWindow("p", "t1"), (std::vector<std::int64_t>{kT + 1, kT + 2}));
  EXPECT_TRUE(store->mailWindow("p", "t2").empty());
  store->putMailWindow("p", "t1", {kT + 2});
  EXPECT_EQ(store->mailWindow("p", "t1"), (std::vector<std::int64_t>{kT + 2}));
  store->putMailWindow("p", "t1", {});
  EXPECT_TRUE(store->mailWindow("p", "t1").empty());
}

TEST_P(StateStoreContract, RemovingATokenOrItsProjectForgetsItsMailWindow) {
  store->putProject({"p", "P", 1, {}});
  store->putToken("p", {"t1", std::nullopt, 1});
  store->putToken("p", {"t2", std::nullopt, 1});
  store->putMailWindow("p", "t1", {kT + 1});
  store->putMailWindow("p", "t2", {kT + 1});
  store->removeToken("p", "t1");
  EXPECT_TRUE(store->mailWindow("p", "t1").empty());
  EXPECT_EQ(store->mailWindow("p", "t2").size(), 1u);
  store->removeProject("p");
  EXPECT_TRUE(store->mailWindow("p", "t2").empty());
}

TEST_P(StateStoreContract, WebhooksAreListedByIdAndReplacedInPlace) {
  store->putProject({"p", "P", 1, {}});
  store->putWebhook("p", {"wh_b", "http://b.example/hook", {"message"}, "s2", 2});
  store->putWebhook("p", {"wh_a", "https://a.example/", {"connect", "disconnect"}, "s1", 1});
  auto hooks = store->webhooks("p");
  ASSERT_EQ(hooks.size(), 2u);
  EXPECT_EQ(hooks[0].id, "wh_a");
  EXPECT_EQ(hooks[0].url, "https://a.example/");
  EXPECT_EQ(hooks[0].events, (std::vector<std::string>{"connect", "disconnect"}));
  EXPECT_EQ(hooks[0].secret, "s1");
  EXPECT_EQ(hooks[0].createdAt, 1);
  store->putWebhook("p", {"wh_a", "https://a.example/v2", {"online"}, "s1", 1});
  hooks = store->webhooks("p");
  ASSERT_EQ(hooks.size(), 2u);
  EXPECT_EQ(hooks[0].url, "https://a.example/v2");
  EXPECT_TRUE(store->webhooks("other").empty());
}

TEST_P(StateStoreContract, RemovingAWebhookOrItsProjectForgetsIt) {
  store->putProject({"p", "P", 1, {}});
  store->putWebhook("p", {"wh_a", "http://a.example/", {"message"}, "s1", 1});
  store->putWebhook("p", {"wh_b", "http://b.example/", {"message"}, "s2", 2});
  store->removeWebhook("p", "wh_a");
  ASSERT_EQ(store->webhooks("p").size(), 1u);
  EXPECT_EQ(store->webhooks("p")[0].id, "wh_b");
  store->removeProject("p");
  EXPECT_TRUE(store->webhooks("p").empty());
}

// ---- room histories ---------------------------------------------------------------------

namespace {
RoomMessage roomMessage(std::int64_t offset, std::int64_t ts, const std::string& msgJson = R"({"n":1})") {
  return {offset, "ev" + std::to_string(offset), "alice", msgJson, ts};
}
std::vector<std::int64_t> offsetsOf(const std::vector<RoomMessage>& messages) {
  std::vector<std::int64_t> offsets;
  for (const auto& m : messages) offsets.push_back(m.offset);
  return offsets;
}
}  // namespace

TEST_P(StateStoreContract, ARoomWithoutMessagesHasNoStream) {
  EXPECT_EQ(store->roomStream("p", "r").offset, 0);
  EXPECT_EQ(store->roomStream("p", "r").epoch, "");
  EXPECT_TRUE(store->roomMessages("p", "r").empty());
  EXPECT_TRUE(store->roomStreamIds("p").empty());
}

TEST_P(StateStoreContract, RoomMessagesKeepEveryFieldAndTheFirstEpoch) {
  store->appendRoomMessage("p", "r", "ev1", roomMessage(1, kT + 1, R"({"text":"hi","n":[1,2]})"), 10, 0);
  store->appendRoomMessage("p", "r", "ignored", roomMessage(2, kT + 2, R"("plain")"), 10, 0);
  auto stream = store->roomStream("p", "r");
  EXPECT_EQ(stream.offset, 2);
  EXPECT_EQ(stream.epoch, "ev1");
  auto messages = store->roomMessages("p", "r");
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].id, "ev1");
  EXPECT_EQ(messages[0].from, "alice");
  EXPECT_EQ(messages[0].msgJson, R"({"text":"hi","n":[1,2]})");
  EXPECT_EQ(messages[0].ts, kT + 1);
  EXPECT_EQ(messages[1].msgJson, R"("plain")");
}

TEST_P(StateStoreContract, RoomHistoriesKeepOnlyTheNewestAndDropTheOldButNotTheStream) {
  for (std::int64_t n = 1; n <= 6; ++n) store->appendRoomMessage("p", "r", "ev1", roomMessage(n, kT + n), 3, 0);
  EXPECT_EQ(offsetsOf(store->roomMessages("p", "r")), (std::vector<std::int64_t>{4, 5, 6}));
  store->appendRoomMessage("p", "r", "ev1", roomMessage(7, kT + 100), 3, kT + 6);
  EXPECT_EQ(offsetsOf(store->roomMessages("p", "r")), (std::vector<std::int64_t>{6, 7}));
  store->appendRoomMessage("p", "r", "ev1", roomMessage(8, kT + 200), 0, 0);
  EXPECT_TRUE(store->roomMessages("p", "r").empty());
  EXPECT_EQ(store->roomStream("p", "r").offset, 8);
  EXPECT_EQ(store->roomStream("p", "r").epoch, "ev1");
}

TEST_P(StateStoreContract, RoomHistoriesAreKeptPerProjectAndRoomAndGoWithTheProject) {
  store->putProject({"p", "P", 1, {}});
  store->appendRoomMessage("p", "b", "x1", roomMessage(1, kT + 1), 10, 0);
  store->appendRoomMessage("p", "a:b}c", "y1", roomMessage(1, kT + 2), 10, 0);
  store->appendRoomMessage("q", "a", "z1", roomMessage(1, kT + 3), 10, 0);
  EXPECT_EQ(store->roomStreamIds("p"), (std::vector<std::string>{"a:b}c", "b"}));
  EXPECT_EQ(store->roomStream("p", "a:b}c").epoch, "y1");
  store->removeProject("p");
  EXPECT_TRUE(store->roomStreamIds("p").empty());
  EXPECT_EQ(store->roomStream("p", "b").offset, 0);
  EXPECT_EQ(store->roomStream("q", "a").epoch, "z1");
}

TEST_P(StateStoreContract, AnIdleRoomsHistoryExpiresWithItsNewestMessageButItsStreamStays) {
  constexpr std::int64_t kTtl = 100;  // dropBeforeMs is each message's ts minus the TTL
  store->appendRoomMessage("p", "r", "ev1", roomMessage(1, kT + 1), 10, kT + 1 - kTtl);
  store->appendRoomMessage("p", "r", "ev1", roomMessage(2, kT + 50), 10, kT + 50 - kTtl);
  store->appendRoomMessage("p", "quiet", "ev9", roomMessage(1, kT + 10), 10, kT + 10 - kTtl);
  // The newest message of r is within the TTL until kT + 150: r keeps both, quiet goes.
  EXPECT_EQ(store->expireRoomHistories("p", kT + 149), std::vector<std::string>{"quiet"});
  EXPECT_EQ(offsetsOf(store->roomMessages("p", "r")), (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(store->expireRoomHistories("p", kT + 150), std::vector<std::string>{"r"});
  EXPECT_TRUE(store->roomMessages("p", "r").empty());
  EXPECT_TRUE(store->roomMessages("p", "quiet").empty());
  // The streams stay: offsets never repeat or go back.
  EXPECT_EQ(store->roomStream("p", "r").offset, 2);
  EXPECT_EQ(store->roomStream("p", "r").epoch, "ev1");
  EXPECT_EQ(store->roomStream("p", "quiet").epoch, "ev9");
  EXPECT_EQ(store->roomStreamIds("p"), (std::vector<std::string>{"quiet", "r"}));
  store->appendRoomMessage("p", "r", "other", roomMessage(3, kT + 300), 10, kT + 300 - kTtl);
  EXPECT_EQ(offsetsOf(store->roomMessages("p", "r")), (std::vector<std::int64_t>{3}));
  EXPECT_EQ(store->roomStream("p", "r").epoch, "ev1");
}

TEST_P(StateStoreContract, AnotherMessagePutsOffTheHistorysExpiry) {
  constexpr std::int64_t kTtl = 100;
  store->appendRoomMessage("p", "r", "ev1", roomMessage(1, kT + 1), 10, kT + 1 - kTtl);
  store->appendRoomMessage("p", "r", "ev1", roomMessage(2, kT + 90), 10, kT + 90 - kTtl);
  EXPECT_TRUE(store->expireRoomHistories("p", kT + 101).empty());  // 1's expiry was put off by 2
  EXPECT_EQ(offsetsOf(store->roomMessages("p", "r")), (std::vector<std::int64_t>{1, 2}));
  EXPECT_TRUE(store->expireRoomHistories("q", kT + 1000).empty());  // only the named project
  EXPECT_EQ(store->roomMessages("p", "r").size(), 2u);
}

TEST_P(StateStoreContract, ProjectSettingsAndSecretsAreKept) {
  ProjectRecord project{"p", "P", 1, {}};
  project.settings.signedBind = true;
  project.settings.allowedOrigins = {"https://app.example", "http://localhost:3000"};
  project.settings.maxConnections = 7;
  project.settings.offlineAtLeastOnce = true;
  project.settings.secrets = {{"new", 20, std::nullopt}, {"old", 10, 30}};
  store->putProject(project);
  auto back = store->project("p");
  ASSERT_TRUE(back.has_value());
  EXPECT_TRUE(back->settings.signedBind);
  EXPECT_EQ(back->settings.allowedOrigins, project.settings.allowedOrigins);
  EXPECT_EQ(back->settings.maxConnections, 7);
  EXPECT_TRUE(back->settings.offlineAtLeastOnce);
  ASSERT_EQ(back->settings.secrets.size(), 2u);
  EXPECT_EQ(back->settings.secrets[1].secret, "old");
  EXPECT_EQ(back->settings.secrets[1].validUntil, std::optional<std::int64_t>(30));
  EXPECT_FALSE(back->settings.secrets[0].validUntil.has_value());
}

#ifdef WSD_CONTRACT_REDIS
// Redis drops an idle room's history by the key's own expiry, with no event of the project
// coming to run expireRoomHistories; the stream HASH stays. (A history that passed its TTL
// long ago: the expiry is in the past as the batch is written.)
TEST(RedisRoomHistory, AnIdleHistoryKeyIsDroppedByRedisAndTheStreamStays) {
  auto store = RedisRoundTripStore::connect();
  ASSERT_NE(store, nullptr);
  store->appendRoomMessage("p", "r", "ev1", roomMessage(1, 1000), 10, 1000 - 100);
  EXPECT_TRUE(store->roomMessages("p", "r").empty());
  EXPECT_EQ(store->roomStream("p", "r").offset, 1);
  EXPECT_EQ(store->roomStream("p", "r").epoch, "ev1");
  // Within its TTL (kT is in 2100), the same history stays.
  store->appendRoomMessage("p", "s", "ev2", roomMessage(1, kT), 10, kT - 100);
  EXPECT_EQ(store->roomMessages("p", "s").size(), 1u);
}
#endif

INSTANTIATE_TEST_SUITE_P(Stores, StateStoreContract, kStores, [](const auto& info) { return info.param; });

}  // namespace
}  // namespace wsd::store
