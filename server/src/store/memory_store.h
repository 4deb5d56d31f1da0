// The embedded state store: the projections held in this process's memory, rebuilt from
// the event log at start-up. Costs are stated per method where they are not O(1).
//
// Threads: not thread-safe; owned by the gateway thread, which applies events and reads.
#pragma once

#include <deque>
#include <map>
#include <queue>
#include <unordered_map>

#include "store/state_store.h"

namespace wsd::store {

class MemoryStore final : public StateStore {
 public:
  std::optional<ProjectRecord> project(std::string_view key) const override;
  std::vector<ProjectRecord> projects() const override;
  void putProject(const ProjectRecord& project) override;
  void removeProject(std::string_view key) override;
  std::optional<TokenRecord> token(std::string_view project, std::string_view token) const override;
  std::vector<TokenRecord> tokens(std::string_view project) const override;
  void putToken(std::string_view project, const TokenRecord& token) override;
  void removeToken(std::string_view project, std::string_view token) override;

  std::optional<SessionRecord> session(std::string_view conn) const override;
  void openSession(const SessionRecord& session) override;
  void bindSession(std::string_view conn, std::string_view uid) override;
  void closeSession(std::string_view conn) override;
  void setSessionFilter(std::string_view conn, std::vector<std::string> unsubscribed) override;
  std::vector<std::string> connsOfUid(std::string_view project, std::string_view uid) const override;
  // O(all sessions): used once per node start.
  std::vector<std::string> connsOfNode(std::string_view node) const override;
  // O(sessions of the project): used on revocation.
  std::vector<std::string> connsOfToken(std::string_view project, std::string_view token) const override;
  std::vector<std::string> connsOfProject(std::string_view project) const override;
  std::vector<std::string> onlineUids(std::string_view project) const override;

  void joinRoom(std::string_view project, std::string_view room, std::string_view conn) override;
  void leaveRoom(std::string_view project, std::string_view room, std::string_view conn) override;
  std::vector<std::string> roomsOfConn(std::string_view conn) const override;
  std::vector<std::string> roomConns(std::string_view project, std::string_view room) const override;
  std::vector<std::string> roomMemberUids(std::string_view project, std::string_view room) const override;

  RoomStream roomStream(std::string_view project, std::string_view room) const override;
  // O(messages dropped), amortized: trimming pops from the front.
  void appendRoomMessage(std::string_view project, std::string_view room, std::string_view epoch,
                         const RoomMessage& message, std::size_t keep, std::int64_t dropBeforeMs) override;
  // O(retained messages): a copy, at most the project's roomHistorySize.
  std::vector<RoomMessage> roomMessages(std::string_view project, std::string_view room) const override;
  std::vector<std::string> roomStreamIds(std::string_view project) const override;
  // O(log rooms) per room whose history expires; a refreshed history leaves a stale queue
  // entry behind, skipped when it comes up.
  std::vector<std::string> expireRoomHistories(std::string_view project, std::int64_t nowMs) override;
  // When the room's retained messages all pass the TTL (0: none retained, or not known).
  std::int64_t roomHistoryExpiresAt(std::string_view project, std::string_view room) const;
  // Loading from Redis: sets the stream and its retained messages as they were stored, and
  // when they expire (`expiresAt`, 0: not known).
  void loadRoomHistory(std::string_view project, std::string_view room, RoomStream stream,
                       std::vector<RoomMessage> messages, std::int64_t expiresAt = 0);

  void nodeSeen(std::string_view node, std::int64_t atMs) override;
  void forgetNode(std::string_view node) override;
  std::vector<std::pair<std::string, std::int64_t>> nodes() const override;

  void pushInbox(std::string_view project, std::string_view uid, const StoredMessage& message) override;
  std::size_t inboxSize(std::string_view project, std::string_view uid) const override;
  std::vector<StoredMessage> takeInbox(std::string_view project, std::string_view uid) override;
  // O(log n) per expired message, plus a scan of each inbox that holds one.
  std::vector<std::string> expireInboxes(std::string_view project, std::int64_t nowMs) override;
  std::vector<std::string> inboxUids(std::string_view project) const override;
  std::vector<StoredMessage> inbox(std::string_view project, std::string_view uid) const override;
  // O(inbox length x ids): both are small (the inbox is capped, an ack names a few ids).
  std::vector<std::string> removeFromInbox(std::string_view project, std::string_view uid,
                                           const std::vector<std::string>& ids) override;

  std::vector<std::int64_t> mailWindow(std::string_view project, std::string_view token) const override;
  void putMailWindow(std::string_view project, std::string_view token, std::vector<std::int64_t> requestedAt) override;
  // The tokens of the project that have a mail window, sorted.
  std::vector<std::string> mailWindowTokens(std::string_view project) const;

  std::vector<WebhookRecord> webhooks(std::string_view project) const override;
  void putWebhook(std::string_view project, const WebhookRecord& hook) override;
  void removeWebhook(std::string_view project, std::string_view id) override;

 private:
  struct ProjectData {
    ProjectRecord record;
    std::vector<TokenRecord> tokens;  // in creation order; few per project
  };
  struct SessionData {
    SessionRecord record;
    std::vector<std::string> rooms;  // in join order
  };
  // What lives as long as a project has sessions, independent of the project record.
  struct LiveProject {
    std::map<std::string, std::vector<std::string>, std::less<>> presence;  // uid -> conns
    std::map<std::string, SessionData*, std::less<>> conns;
    std::map<std::string, std::vector<std::string>, std::less<>> rooms;  // room -> conns
  };
  struct Expiry {
    std::int64_t at;
    std::string name;  // the inbox's uid, or the room whose history expires
    bool operator>(const Expiry& other) const { return at > other.at; }
  };
  using ExpiryQueue = std::priority_queue<Expiry, std::vector<Expiry>, std::greater<>>;
  using InboxKey = std::pair<std::string, std::string>;  // project, uid
  struct RoomHistory {
    RoomStream stream;
    std::deque<RoomMessage> retained;  // oldest first
    std::int64_t expiresAt = 0;        // when the newest retained message passes the TTL; 0: not known (loaded)
  };

  LiveProject& live(std::string_view project);
  const LiveProject* findLive(std::string_view project) const;
  void dropLiveIfEmpty(std::string_view project);

  std::map<std::string, ProjectData, std::less<>> projects_;
  std::unordered_map<std::string, SessionData> sessions_;
  std::map<std::string, LiveProject, std::less<>> live_;
  std::map<InboxKey, std::deque<StoredMessage>> inboxes_;
  std::map<std::pair<std::string, std::string>, RoomHistory> roomHistories_;              // project, room
  std::map<std::string, std::int64_t, std::less<>> nodes_;                                // node -> last seen
  std::map<std::string, ExpiryQueue, std::less<>> expiries_;                              // by project
  std::map<std::string, ExpiryQueue, std::less<>> roomExpiries_;                          // by project
  std::map<std::pair<std::string, std::string>, std::vector<std::int64_t>> mailWindows_;  // project, token
  std::map<std::pair<std::string, std::string>, WebhookRecord> webhooks_;                 // project, id
};

}  // namespace wsd::store
