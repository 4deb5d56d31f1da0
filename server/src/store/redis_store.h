// The Redis state store, write-behind. The projector reads and writes a working copy in
// memory (a MemoryStore); every change also marks what it touched, and takeChanges()
// turns the marks into the Redis commands that make Redis equal the working copy for
// those keys. The caller writes them in one atomic batch together with the log offsets
// of the events that caused them (see RedisProjectionWriter), so Redis only ever holds
// the state after a whole number of events.
//
// Why write-behind: applying an event reads several projections (sessions, presence,
// rooms); reading them from Redis would cost round trips per event, while a batch of
// writes costs one. The working copy is loaded from Redis when the projector starts.
//
// Threads: one, the projector's.
#pragma once

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "store/memory_store.h"

namespace wsd::store {

using RedisCommand = std::vector<std::string>;

class RedisStore final : public StateStore {
 public:
  // Replaces the working copy (loading from Redis); no changes are marked.
  MemoryStore& workingCopyForLoading();
  // The commands for everything changed since the last call, and forgets the marks.
  std::vector<RedisCommand> takeChanges();
  bool hasChanges() const;

  std::optional<ProjectRecord> project(std::string_view key) const override { return memory_.project(key); }
  std::vector<ProjectRecord> projects() const override { return memory_.projects(); }
  void putProject(const ProjectRecord& project) override;
  void removeProject(std::string_view key) override;
  std::optional<TokenRecord> token(std::string_view project, std::string_view token) const override {
    return memory_.token(project, token);
  }
  std::vector<TokenRecord> tokens(std::string_view project) const override { return memory_.tokens(project); }
  void putToken(std::string_view project, const TokenRecord& token) override;
  void removeToken(std::string_view project, std::string_view token) override;

  std::optional<SessionRecord> session(std::string_view conn) const override { return memory_.session(conn); }
  void openSession(const SessionRecord& session) override;
  void bindSession(std::string_view conn, std::string_view uid) override;
  void closeSession(std::string_view conn) override;
  void setSessionFilter(std::string_view conn, std::vector<std::string> unsubscribed) override;
  std::vector<std::string> connsOfUid(std::string_view project, std::string_view uid) const override {
    return memory_.connsOfUid(project, uid);
  }
  std::vector<std::string> connsOfNode(std::string_view node) const override { return memory_.connsOfNode(node); }
  std::vector<std::string> connsOfToken(std::string_view project, std::string_view token) const override {
    return memory_.connsOfToken(project, token);
  }
  std::vector<std::string> connsOfProject(std::string_view project) const override {
    return memory_.connsOfProject(project);
  }
  std::vector<std::string> onlineUids(std::string_view project) const override { return memory_.onlineUids(project); }

  void joinRoom(std::string_view project, std::string_view room, std::string_view conn) override;
  void leaveRoom(std::string_view project, std::string_view room, std::string_view conn) override;
  std::vector<std::string> roomsOfConn(std::string_view conn) const override { return memory_.roomsOfConn(conn); }
  std::vector<std::string> roomConns(std::string_view project, std::string_view room) const override {
    return memory_.roomConns(project, room);
  }
  std::vector<std::string> roomMemberUids(std::string_view project, std::string_view room) const override {
    return memory_.roomMemberUids(project, room);
  }

  RoomStream roomStream(std::string_view project, std::string_view room) const override {
    return memory_.roomStream(project, room);
  }
  void appendRoomMessage(std::string_view project, std::string_view room, std::string_view epoch,
                         const RoomMessage& message, std::size_t keep, std::int64_t dropBeforeMs) override;
  std::vector<RoomMessage> roomMessages(std::string_view project, std::string_view room) const override {
    return memory_.roomMessages(project, room);
  }
  std::vector<std::string> roomStreamIds(std::string_view project) const override {
    return memory_.roomStreamIds(project);
  }

  void nodeSeen(std::string_view node, std::int64_t atMs) override;
  void forgetNode(std::string_view node) override;
  std::vector<std::pair<std::string, std::int64_t>> nodes() const override { return memory_.nodes(); }

  void pushInbox(std::string_view project, std::string_view uid, const StoredMessage& message) override;
  std::size_t inboxSize(std::string_view project, std::string_view uid) const override {
    return memory_.inboxSize(project, uid);
  }
  std::vector<StoredMessage> takeInbox(std::string_view project, std::string_view uid) override;
  std::vector<std::string> expireInboxes(std::string_view project, std::int64_t nowMs) override;
  std::vector<std::string> expireRoomHistories(std::string_view project, std::int64_t nowMs) override;
  std::vector<std::string> inboxUids(std::string_view project) const override { return memory_.inboxUids(project); }
  std::vector<StoredMessage> inbox(std::string_view project, std::string_view uid) const override {
    return memory_.inbox(project, uid);
  }
  std::vector<std::string> removeFromInbox(std::string_view project, std::string_view uid,
                                           const std::vector<std::string>& ids) override;

  std::vector<std::int64_t> mailWindow(std::string_view project, std::string_view token) const override {
    return memory_.mailWindow(project, token);
  }
  void putMailWindow(std::string_view project, std::string_view token, std::vector<std::int64_t> requestedAt) override;

  std::vector<WebhookRecord> webhooks(std::string_view project) const override { return memory_.webhooks(project); }
  void putWebhook(std::string_view project, const WebhookRecord& hook) override;
  void removeWebhook(std::string_view project, std::string_view id) override;

 private:
  using Scoped = std::pair<std::string, std::string>;  // project, member
  // An inbox is either appended to (RPUSH the new tail) or rewritten whole.
  struct InboxChange {
    bool rewrite = false;
    std::size_t appended = 0;
  };

  void markSession(std::string_view conn);  // the session, its presence and its rooms
  void markRewrite(std::string_view project, std::string_view uid);
  void emitRoomHistory(const Scoped& room, std::size_t appended, std::vector<RedisCommand>& out) const;
  void emitInbox(const Scoped& inbox, const InboxChange& change, std::vector<RedisCommand>& out) const;

  MemoryStore memory_;
  std::set<std::string> projects_;
  std::set<std::string> tokenSets_;  // by project
  std::set<Scoped> sessions_;        // project, conn
  std::set<Scoped> presence_;        // project, uid
  std::set<Scoped> rooms_;           // project, room
  std::set<std::string> nodes_;
  std::map<Scoped, InboxChange> inboxes_;  // project, uid
  std::set<Scoped> mailWindows_;           // project, token
  std::set<Scoped> webhooks_;              // project, id
  // Room histories only grow at the tail and shrink at the head: RPUSH what was appended,
  // LTRIM to what is retained. Project removal deletes them (roomHistoriesGone_).
  std::map<Scoped, std::size_t> roomHistories_;  // project, room -> messages appended
  std::set<Scoped> roomHistoriesGone_;           // project, room
};

}  // namespace wsd::store
