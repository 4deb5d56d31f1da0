// Every messaging call of the API against a real wsd, on each transport: connect, bind,
// send (live and offline), multicast, broadcast, list, online, presence, errors, raw JSON.
#include "fixture.h"

namespace wsclient::test {
namespace {

using namespace std::chrono_literals;

class Messaging : public TransportTest {};

TEST_P(Messaging, ConnectReportsTheSessionAndItsTransport) {
  auto alice = newClient();
  ASSERT_TRUE(alice->connect());
  std::lock_guard lock(alice->recorder.mutex);
  const Connected& connected = alice->recorder.connected.at(0);
  EXPECT_FALSE(connected.connId.empty());
  EXPECT_EQ(connected.transport, GetParam());
  EXPECT_FALSE(connected.reconnected);
  EXPECT_EQ((*alice)->connId(), connected.connId);
  EXPECT_EQ((*alice)->transport(), GetParam());
  EXPECT_EQ((*alice)->state(), State::kConnected);
}

TEST_P(Messaging, BindIsConfirmedWithBindSuccess) {
  auto alice = newClient();
  ASSERT_TRUE(alice->connect());
  EXPECT_TRUE(alice->bind("alice"));
}

TEST_P(Messaging, SendDeliversADirectMessageAndAcknowledgesIt) {
  auto alice = bound("alice");
  auto bob = bound("bob");
  ASSERT_EQ((*alice)->send("bob", R"({"text":"hi","n":1})"), SendStatus::kAccepted);
  ASSERT_TRUE(bob->recorder.waitUntil([&] { return !bob->recorder.directs.empty(); }));
  ASSERT_TRUE(alice->recorder.waitUntil([&] { return !alice->recorder.sendSuccesses.empty(); }));
  std::scoped_lock lock(alice->recorder.mutex, bob->recorder.mutex);
  const Direct& got = bob->recorder.directs.at(0);
  EXPECT_EQ(got.from, "alice");
  EXPECT_EQ(got.to, "bob");
  EXPECT_EQ(got.msg, R"({"text":"hi","n":1})");
  EXPECT_FALSE(got.text.has_value());
  EXPECT_FALSE(got.offline);
  EXPECT_GT(got.timestamp, 0);
  const SendSuccess& ack = alice->recorder.sendSuccesses.at(0);
  EXPECT_FALSE(ack.multicast);
  EXPECT_EQ(ack.to, std::vector<std::string>{"bob"});
  EXPECT_TRUE(ack.offline.empty());
}

TEST_P(Messaging, SendToAnOfflineUidIsStoredAndArrivesOnItsBind) {
  auto alice = bound("alice");
  ASSERT_EQ((*alice)->send("carol", jsonString("while you were out")), SendStatus::kAccepted);
  ASSERT_TRUE(alice->recorder.waitUntil([&] { return !alice->recorder.sendSuccesses.empty(); }));
  {
    std::lock_guard lock(alice->recorder.mutex);
    EXPECT_EQ(alice->recorder.sendSuccesses.at(0).offline, std::vector<std::string>{"carol"});
  }
  auto carol = bound("carol");
  ASSERT_TRUE(carol->recorder.waitUntil([&] { return !carol->recorder.directs.empty(); }));
  std::lock_guard lock(carol->recorder.mutex);
  const Direct& got = carol->recorder.directs.at(0);
  EXPECT_TRUE(got.offline);
  EXPECT_EQ(got.text, std::optional<std::string>("while you were out"));
}

TEST_P(Messaging, MulticastReachesLiveRecipientsAndStoresForOthers) {
  auto alice = bound("alice");
  auto bob = bound("bob");
  ASSERT_EQ((*alice)->multicast({"bob", "carol"}, "42"), SendStatus::kAccepted);
  ASSERT_TRUE(bob->recorder.waitUntil([&] { return !bob->recorder.directs.empty(); }));
  ASSERT_TRUE(alice->recorder.waitUntil([&] { return !alice->recorder.sendSuccesses.empty(); }));
  std::scoped_lock lock(alice->recorder.mutex, bob->recorder.mutex);
  EXPECT_EQ(bob->recorder.directs.at(0).msg, "42");
  EXPECT_EQ(bob->recorder.directs.at(0).to, "bob");
  const SendSuccess& ack = alice->recorder.sendSuccesses.at(0);
  EXPECT_TRUE(ack.multicast);
  EXPECT_EQ(ack.to, std::vector<std::string>{"bob"});
  EXPECT_EQ(ack.offline, std::vector<std::string>{"carol"});
}

TEST_P(Messaging, BroadcastReachesEveryConnectionTheSendersToo) {
  auto alice = bound("alice");
  auto bob = bound("bob");
  ASSERT_EQ((*alice)->broadcast(jsonString("hello all")), SendStatus::kAccepted);
  for (TestClient* c : {alice.get(), bob.get()}) {
    ASSERT_TRUE(c->recorder.waitUntil([c] { return !c->recorder.broadcasts.empty(); }));
    std::lock_guard lock(c->recorder.mutex);
    EXPECT_EQ(c->recorder.broadcasts.at(0).from, "alice");
    EXPECT_EQ(c->recorder.broadcasts.at(0).text, std::optional<std::string>("hello all"));
  }
}

TEST_P(Messaging, ListAnswersAFutureAndACallbackWithTheOnlineUids) {
  auto alice = bound("alice");
  auto bob = bound("bob");
  auto future = (*alice)->list();
  std::promise<Result<ListResult>> viaCallback;
  (*bob)->list([&](const Result<ListResult>& r) { viaCallback.set_value(r); });
  ASSERT_EQ(future.wait_for(kPatience), std::future_status::ready);
  const Result<ListResult> listed = future.get();
  ASSERT_TRUE(listed.ok()) << listed.status().message;
  EXPECT_EQ(listed.value().uids, (std::vector<std::string>{"alice", "bob"}));
  auto second = viaCallback.get_future();
  ASSERT_EQ(second.wait_for(kPatience), std::future_status::ready);
  EXPECT_EQ(second.get().value().uids, (std::vector<std::string>{"alice", "bob"}));
}

TEST_P(Messaging, OnlineAnswersEachQueryWithItsOwnUid) {
  auto alice = bound("alice");
  auto bob = bound("bob");
  std::promise<Result<OnlineResult>> viaCallback;
  (*alice)->online("nobody", [&](const Result<OnlineResult>& r) { viaCallback.set_value(r); });
  auto aboutNobody = viaCallback.get_future();
  auto aboutBob = (*alice)->online("bob");
  ASSERT_EQ(aboutBob.wait_for(kPatience), std::future_status::ready);
  ASSERT_EQ(aboutNobody.wait_for(kPatience), std::future_status::ready);
  const auto bobResult = aboutBob.get();
  const auto nobodyResult = aboutNobody.get();
  ASSERT_TRUE(bobResult.ok() && nobodyResult.ok());
  EXPECT_EQ(bobResult.value().uid, "bob");
  EXPECT_TRUE(bobResult.value().online);
  EXPECT_EQ(nobodyResult.value().uid, "nobody");
  EXPECT_FALSE(nobodyResult.value().online);
}

TEST_P(Messaging, PresenceReportsAUidComingAndGoing) {
  auto watcher = newClient();
  ASSERT_TRUE(watcher->connect());
  // bob uses WebSocket whatever the watcher uses, so his leaving is seen at once.
  TestClient bob(clientOptions(server->url(), tenant, TransportKind::kWebSocket));
  ASSERT_TRUE(bob.start("bob"));
  bob.client.reset();
  ASSERT_TRUE(watcher->recorder.waitUntil([&] { return watcher->recorder.presences.size() >= 2; })) << server->log();
  std::lock_guard lock(watcher->recorder.mutex);
  EXPECT_EQ(watcher->recorder.presences[0].uid, "bob");
  EXPECT_TRUE(watcher->recorder.presences[0].online);
  EXPECT_FALSE(watcher->recorder.presences[1].online);
  EXPECT_GT(watcher->recorder.presences[1].timestamp, 0);
}

TEST_P(Messaging, ServerErrorsArriveAsTypedEvents) {
  auto alice = newClient();
  ASSERT_TRUE(alice->connect());
  ASSERT_EQ((*alice)->send("bob", "1"), SendStatus::kAccepted);  // not bound yet
  ASSERT_TRUE(alice->recorder.waitUntil([&] { return !alice->recorder.errors.empty(); }));
  std::lock_guard lock(alice->recorder.mutex);
  EXPECT_EQ(alice->recorder.errors.at(0).code, ErrorCode::kNotBound);
  EXPECT_EQ(alice->recorder.errors.at(0).codeText, "not_bound");
  EXPECT_FALSE(alice->recorder.errors.at(0).msg.empty());
}

TEST_P(Messaging, RawMessagesGoOutAndEveryMessageComesBackRaw) {
  auto alice = newClient();
  ASSERT_TRUE(alice->connect());
  ASSERT_EQ((*alice)->sendRaw(R"({"type":"ping","extra":[1,2]})"), SendStatus::kAccepted);
  ASSERT_TRUE(alice->recorder.waitUntil([&] { return !alice->recorder.heartbeats.empty(); }));
  std::lock_guard lock(alice->recorder.mutex);
  EXPECT_FALSE(alice->recorder.heartbeats.at(0).ping);  // wsd answered pong
  ASSERT_GE(alice->recorder.raw.size(), 2U);
  EXPECT_EQ(alice->recorder.raw.at(0).type, "connected");
  EXPECT_NE(alice->recorder.raw.at(0).json.find("connId"), std::string::npos);
  EXPECT_EQ(alice->recorder.raw.back().type, "pong");
}

TEST_P(Messaging, MessagesQueuedBeforeConnectLeaveOnceTheSessionIsUp) {
  auto bob = bound("bob");
  auto alice = newClient();
  ASSERT_EQ((*alice)->bind("alice"), SendStatus::kAccepted);
  ASSERT_EQ((*alice)->send("bob", "7"), SendStatus::kAccepted);
  EXPECT_EQ((*alice)->queued(), 2U);
  ASSERT_TRUE(alice->connect());
  ASSERT_TRUE(bob->recorder.waitUntil([&] { return !bob->recorder.directs.empty(); }));
  std::lock_guard lock(bob->recorder.mutex);
  EXPECT_EQ(bob->recorder.directs.at(0).from, "alice");
}

WSCLIENT_ALL_TRANSPORTS(Messaging);

}  // namespace
}  // namespace wsclient::test
