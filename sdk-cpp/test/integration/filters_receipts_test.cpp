// Event filters, delivery receipts and signed binds through the SDK against a real wsd, on
// each transport: unsub/sub/listUnsubscribed, ack with at-least-once redelivery, repeats
// dropped by id and the filter set again after a reconnect, and a signed bind.
//
// A filtered notice is checked against a later direct message (wsd delivers in log order):
// once that marker is in, a notice that did not come before it does not come.
#include <openssl/hmac.h>

#include <cstdio>

#include "fixture.h"

namespace wsclient::test {
namespace {

using namespace std::chrono_literals;

template <typename T>
Result<T> await(std::future<Result<T>> future) {
  if (future.wait_for(kPatience) != std::future_status::ready) return Status{ErrorCode::kTimeout, "no answer"};
  return future.get();
}

std::string hmacHex(const std::string& key, const std::string& text) {
  unsigned char digest[32];
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(text.data()),
       text.size(), digest, &size);
  std::string hex;
  char byte[3];
  for (unsigned int i = 0; i < size; ++i) {
    std::snprintf(byte, sizeof byte, "%02x", digest[i]);
    hex += byte;
  }
  return hex;
}

class FiltersReceipts : public TransportTest {
 protected:
  int markers = 0;
  // `from` sends a direct message to `to` (bound as `toUid`) and waits until it arrived.
  bool marker(TestClient& from, TestClient& to, const std::string& toUid) {
    const std::string text = "marker-" + std::to_string(++markers);
    if ((*from).send(toUid, jsonString(text)) != SendStatus::kAccepted) return false;
    return to.recorder.waitUntil([&] {
      for (const auto& d : to.recorder.directs) {
        if (d.text == text) return true;
      }
      return false;
    });
  }
  // alice stores one message per text for the absent `uid`; their ids, in order.
  std::vector<std::string> storeFor(TestClient& alice, const std::string& uid, const std::vector<std::string>& texts) {
    std::vector<std::string> ids;
    for (const auto& text : texts) {
      const std::size_t before = [&] {
        std::lock_guard lock(alice.recorder.mutex);
        return alice.recorder.sendSuccesses.size();
      }();
      EXPECT_EQ((*alice).send(uid, jsonString(text)), SendStatus::kAccepted);
      EXPECT_TRUE(alice.recorder.waitUntil([&] { return alice.recorder.sendSuccesses.size() > before; }));
      std::lock_guard lock(alice.recorder.mutex);
      ids.push_back(alice.recorder.sendSuccesses.back().id);
    }
    return ids;
  }
  std::vector<std::string> directIds(TestClient& client) {
    std::lock_guard lock(client.recorder.mutex);
    std::vector<std::string> ids;
    for (const auto& d : client.recorder.directs) {
      if (d.offline) ids.push_back(d.id);
    }
    return ids;
  }
};

TEST_P(FiltersReceipts, UnsubStopsPresenceSubRestoresItListUnsubscribedListsIt) {
  auto watcher = bound("watcher");
  auto unsub = await((*watcher)->unsub({"online", "offline"}));
  ASSERT_TRUE(unsub.ok()) << unsub.status().message;
  EXPECT_EQ(unsub.value().events, (std::vector<std::string>{"offline", "online"}));
  EXPECT_EQ(unsub.value().kind, FilterResult::Kind::kUnsub);
  auto friendClient = bound("friend");
  ASSERT_TRUE(marker(*friendClient, *watcher, "watcher"));
  {
    std::lock_guard lock(watcher->recorder.mutex);
    EXPECT_TRUE(watcher->recorder.presences.empty());
  }
  auto listed = await((*watcher)->listUnsubscribed());
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed.value().events, (std::vector<std::string>{"offline", "online"}));
  auto sub = await((*watcher)->sub({"online"}));
  ASSERT_TRUE(sub.ok());
  EXPECT_EQ(sub.value().events, std::vector<std::string>{"offline"});
  auto late = bound("late");
  EXPECT_TRUE(watcher->recorder.waitUntil(
      [&] { return !watcher->recorder.presences.empty() && watcher->recorder.presences.back().uid == "late"; }));
  EXPECT_FALSE(await((*watcher)->unsub({"direct"})).ok());  // not a kind: refused locally
}

TEST_P(FiltersReceipts, AckRemovesStoredMessagesAndAtLeastOnceRedeliversTheRest) {
  ASSERT_TRUE(server->updateProject(tenant.project, R"({"offlineDelivery":"at_least_once"})")) << server->error();
  auto alice = bound("alice");
  auto ids = storeFor(*alice, "bob", {"one", "two"});
  Options manual = options();
  manual.ackMode = AckMode::kManual;
  {
    TestClient bob(manual);
    ASSERT_TRUE(bob.start("bob"));
    ASSERT_TRUE(bob.recorder.waitUntil([&] { return bob.recorder.directs.size() >= 2; }));
    EXPECT_EQ(directIds(bob), ids);
    auto acked = await(bob->ack({ids[0], "never-stored"}));
    ASSERT_TRUE(acked.ok()) << acked.status().message;
    EXPECT_EQ(acked.value().ids, std::vector<std::string>{ids[0]});
  }
  TestClient again(manual);
  ASSERT_TRUE(again.start("bob"));
  ASSERT_TRUE(again.recorder.waitUntil([&] { return !again.recorder.directs.empty(); }));
  EXPECT_EQ(directIds(again), std::vector<std::string>{ids[1]});
}

TEST_P(FiltersReceipts, AutoAckAcknowledgesWhatTheAppWasGiven) {
  ASSERT_TRUE(server->updateProject(tenant.project, R"({"offlineDelivery":"at_least_once"})")) << server->error();
  auto alice = bound("alice");
  auto ids = storeFor(*alice, "carol", {"kept until acked"});
  {
    TestClient carol(options());
    ASSERT_TRUE(carol.start("carol"));
    ASSERT_TRUE(carol.recorder.waitUntil([&] { return !carol.recorder.acks.empty(); }));
    std::lock_guard lock(carol.recorder.mutex);
    EXPECT_EQ(carol.recorder.acks.at(0).ids, ids);
  }
  auto later = bound("carol");
  ASSERT_TRUE(marker(*alice, *later, "carol"));
  EXPECT_TRUE(directIds(*later).empty());
}

TEST_P(FiltersReceipts, AfterARestartRepeatsAreDroppedAndTheFilterIsSetAgain) {
  ASSERT_TRUE(server->updateProject(tenant.project, R"({"offlineDelivery":"at_least_once"})")) << server->error();
  auto alice = bound("alice");
  auto ids = storeFor(*alice, "dave", {"once for the app"});
  Options manual = options();
  manual.ackMode = AckMode::kManual;
  TestClient dave(manual);
  ASSERT_TRUE(dave.start("dave"));
  ASSERT_TRUE(dave.recorder.waitUntil([&] { return !dave.recorder.directs.empty(); }));
  ASSERT_TRUE(await(dave->unsub({"broadcast"})).ok());

  ASSERT_TRUE(server->restart()) << server->error();
  ASSERT_TRUE(dave.recorder.waitUntil([&] { return dave.recorder.binds.size() >= 2; })) << dave.recorder.summary();
  auto listed = await(dave->listUnsubscribed());
  ASSERT_TRUE(listed.ok()) << listed.status().message;
  EXPECT_EQ(listed.value().events, std::vector<std::string>{"broadcast"});
  auto alice2 = bound("alice2");
  ASSERT_TRUE(marker(*alice2, dave, "dave"));
  EXPECT_EQ(directIds(dave), ids);  // the redelivery after the re-bind was dropped...
  {
    std::lock_guard lock(dave.recorder.mutex);  // ...though it did arrive (onMessage sees all)
    std::size_t arrived = 0;
    for (const auto& m : dave.recorder.raw) arrived += m.type == "direct" && m.json.find(ids[0]) != std::string::npos;
    EXPECT_EQ(arrived, 2u);
  }
  auto acked = await(dave->ack(ids));
  ASSERT_TRUE(acked.ok());
  EXPECT_EQ(acked.value().ids, ids);
}

TEST_P(FiltersReceipts, ASignedBindIsAdmittedWhereTheProjectRequiresOne) {
  const std::string secret = server->rotateSecret(tenant.project);
  ASSERT_FALSE(secret.empty()) << server->error();
  ASSERT_TRUE(server->updateProject(tenant.project, R"({"signedBind":true})")) << server->error();
  const std::int64_t exp =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count() +
      600;
  auto unsigned_ = newClient();
  ASSERT_TRUE(unsigned_->connect());
  ASSERT_EQ((**unsigned_).bind("erin"), SendStatus::kAccepted);
  ASSERT_TRUE(unsigned_->recorder.waitUntil([&] { return !unsigned_->recorder.errors.empty(); }));
  {
    std::lock_guard lock(unsigned_->recorder.mutex);
    EXPECT_EQ(unsigned_->recorder.errors.at(0).codeText, "bind_signature_required");
  }
  auto signedClient = newClient();
  ASSERT_TRUE(signedClient->connect());
  ASSERT_EQ((**signedClient).bind("erin", BindSignature{exp, hmacHex(secret, "erin:" + std::to_string(exp))}),
            SendStatus::kAccepted);
  ASSERT_TRUE(signedClient->recorder.waitUntil([&] { return !signedClient->recorder.binds.empty(); }))
      << signedClient->recorder.summary();
  EXPECT_EQ((**signedClient).bind("erin", BindSignature{exp, "not hex"}), SendStatus::kInvalidArgument);
}

WSCLIENT_ALL_TRANSPORTS(FiltersReceipts);

}  // namespace
}  // namespace wsclient::test
