// A StateStore for the contract suite that proves the Redis representation: every change
// goes through RedisStore to a real Redis (as one epoch-checked batch, as the projector
// writes it), and the working copy is then thrown away and loaded back from Redis, so
// every read the suite makes sees only what survived the round trip.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>

#include "store/redis_batch.h"
#include "store/redis_snapshot.h"
#include "store/redis_store.h"

namespace wsd::store {

class RedisRoundTripStore final : public StateStore {
 public:
  // Connects to $WSD_TEST_REDIS and empties that database.
  static std::unique_ptr<RedisRoundTripStore> connect() {
    const char* url = std::getenv("WSD_TEST_REDIS");
    if (url == nullptr) {
      ADD_FAILURE() << "WSD_TEST_REDIS is not set (ctest starts a Redis for these tests)";
      return nullptr;
    }
    auto address = parseRedisUrl(url);
    if (!address.ok()) {
      ADD_FAILURE() << address.error().message;
      return nullptr;
    }
    auto redis = RedisSync::connect(*address);
    if (!redis.ok()) {
      ADD_FAILURE() << redis.error().message;
      return nullptr;
    }
    std::unique_ptr<RedisRoundTripStore> store(new RedisRoundTripStore(std::move(redis.value())));
    EXPECT_TRUE(store->redis_->command({"FLUSHDB"}).ok());
    auto epoch = claimEpoch(*store->redis_);
    EXPECT_TRUE(epoch.ok());
    store->epoch_ = epoch.ok() ? *epoch : "";
    return store;
  }

  std::optional<ProjectRecord> project(std::string_view key) const override { return current_.project(key); }
  std::vector<ProjectRecord> projects() const override { return current_.projects(); }
  void putProject(const ProjectRecord& project) override {
    change([&] { current_.putProject(project); });
  }
  void removeProject(std::string_view key) override {
    change([&] { current_.removeProject(key); });
  }
  std::optional<TokenRecord> token(std::string_view project, std::string_view token) const override {
    return current_.token(project, token);
  }
  std::vector<TokenRecord> tokens(std::string_view project) const override { return current_.tokens(project); }
  void putToken(std::string_view project, const TokenRecord& token) override {
    change([&] { current_.putToken(project, token); });
  }
  void removeToken(std::string_view project, std::string_view token) override {
    change([&] { current_.removeToken(project, token); });
  }
  std::optional<SessionRecord> session(std::string_view conn) const override { return current_.session(conn); }
  void openSession(const SessionRecord& session) override {
    change([&] { current_.openSession(session); });
  }
  void bindSession(std::string_view conn, std::string_view uid) override {
    change([&] { current_.bindSession(conn, uid); });
  }
  void closeSession(std::string_view conn) override {
    change([&] { current_.closeSession(conn); });
  }
  void setSessionFilter(std::string_view conn, std::vector<std::string> unsubscribed) override {
    change([&] { current_.setSessionFilter(conn, std::move(unsubscribed)); });
  }
  std::vector<std::string> connsOfUid(std::string_view project, std::string_view uid) const override {
    return current_.connsOfUid(project, uid);
  }
  std::vector<std::string> connsOfNode(std::string_view node) const override { return current_.connsOfNode(node); }
  std::vector<std::string> connsOfToken(std::string_view project, std::string_view token) const override {
    return current_.connsOfToken(project, token);
  }
  std::vector<std::string> connsOfProject(std::string_view project) const override {
    return current_.connsOfProject(project);
  }
  std::vector<std::string> onlineUids(std::string_view project) const override { return current_.onlineUids(project); }
  void joinRoom(std::string_view project, std::string_view room, std::string_view conn) override {
    change([&] { current_.joinRoom(project, room, conn); });
  }
  void leaveRoom(std::string_view project, std::string_view room, std::string_view conn) override {
    change([&] { current_.leaveRoom(project, room, conn); });
  }
  std::vector<std::string> roomsOfConn(std::string_view conn) const override { return current_.roomsOfConn(conn); }
  std::vector<std::string> roomConns(std::string_view project, std::string_view room) const override {
    return current_.roomConns(project, room);
  }
  std::vector<std::string> roomMemberUids(std::string_view project, std::string_view room) const override {
    return current_.roomMemberUids(project, room);
  }
  void nodeSeen(std::string_view node, std::int64_t atMs) override {
    change([&] { current_.nodeSeen(node, atMs); });
  }
  void forgetNode(std::string_view node) override {
    change([&] { current_.forgetNode(node); });
  }
  std::vector<std::pair<std::string, std::int64_t>> nodes() const override { return current_.nodes(); }
  void pushInbox(std::string_view project, std::string_view uid, const StoredMessage& message) override {
    change([&] { current_.pushInbox(project, uid, message); });
  }
  std::size_t inboxSize(std::string_view project, std::string_view uid) const override {
    return current_.inboxSize(project, uid);
  }
  std::vector<StoredMessage> takeInbox(std::string_view project, std::string_view uid) override {
    std::vector<StoredMessage> taken;
    change([&] { taken = current_.takeInbox(project, uid); });
    return taken;
  }
  std::vector<std::string> expireInboxes(std::string_view project, std::int64_t nowMs) override {
    std::vector<std::string> changed;
    change([&] { changed = current_.expireInboxes(project, nowMs); });
    return changed;
  }
  std::vector<std::string> expireRoomHistories(std::string_view project, std::int64_t nowMs) override {
    std::vector<std::string> changed;
    change([&] { changed = current_.expireRoomHistories(project, nowMs); });
    return changed;
  }
  std::vector<std::string> inboxUids(std::string_view project) const override { return current_.inboxUids(project); }
  std::vector<StoredMessage> inbox(std::string_view project, std::string_view uid) const override {
    return current_.inbox(project, uid);
  }
  RoomStream roomStream(std::string_view project, std::string_view room) const override {
    return current_.roomStream(project, room);
  }
  void appendRoomMessage(std::string_view project, std::string_view room, std::string_view epoch,
                         const RoomMessage& message, std::size_t keep, std::int64_t dropBeforeMs) override {
    change([&] { current_.appendRoomMessage(project, room, epoch, message, keep, dropBeforeMs); });
  }
  std::vector<RoomMessage> roomMessages(std::string_view project, std::string_view room) const override {
    return current_.roomMessages(project, room);
  }
  std::vector<std::string> roomStreamIds(std::string_view project) const override {
    return current_.roomStreamIds(project);
  }
  std::vector<std::string> removeFromInbox(std::string_view project, std::string_view uid,
                                           const std::vector<std::string>& ids) override {
    std::vector<std::string> removed;
    change([&] { removed = current_.removeFromInbox(project, uid, ids); });
    return removed;
  }
  std::vector<std::int64_t> mailWindow(std::string_view project, std::string_view token) const override {
    return current_.mailWindow(project, token);
  }
  void putMailWindow(std::string_view project, std::string_view token, std::vector<std::int64_t> requestedAt) override {
    change([&] { current_.putMailWindow(project, token, std::move(requestedAt)); });
  }
  std::vector<WebhookRecord> webhooks(std::string_view project) const override { return current_.webhooks(project); }
  void putWebhook(std::string_view project, const WebhookRecord& hook) override {
    change([&] { current_.putWebhook(project, hook); });
  }
  void removeWebhook(std::string_view project, std::string_view id) override {
    change([&] { current_.removeWebhook(project, id); });
  }

 private:
  explicit RedisRoundTripStore(std::unique_ptr<RedisSync> redis) : redis_(std::move(redis)) {}

  template <typename Change>
  void change(Change apply) {
    apply();
    auto written = redis_->command(batchScriptCall(epoch_, current_.takeChanges()));
    ASSERT_TRUE(written.ok()) << written.error().message;
    auto loaded = loadProjections(*redis_, current_.workingCopyForLoading());
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  }

  std::unique_ptr<RedisSync> redis_;
  std::string epoch_;
  RedisStore current_;
};

}  // namespace wsd::store
