// The offline-inbox projection: messages kept for uids that were not online, until they
// bind, acknowledge them, or the messages expire. One of the state store's projections
// (state_store.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace wsd::store {

struct StoredMessage {
  std::string id;
  std::string from;
  std::string to;
  std::string msgJson;  // the client's `msg`, as JSON text
  std::int64_t ts = 0;
  std::int64_t expiresAt = 0;
};

class InboxStore {
 public:
  virtual ~InboxStore() = default;

  virtual void pushInbox(std::string_view project, std::string_view uid, const StoredMessage& message) = 0;
  virtual std::size_t inboxSize(std::string_view project, std::string_view uid) const = 0;
  // Removes and returns the uid's stored messages in the order they were pushed.
  virtual std::vector<StoredMessage> takeInbox(std::string_view project, std::string_view uid) = 0;
  // Drops the project's stored messages with expiresAt <= nowMs (`now` is an event's ts);
  // returns the uids whose inboxes changed.
  virtual std::vector<std::string> expireInboxes(std::string_view project, std::int64_t nowMs) = 0;
  // Every uid of the project with stored messages, sorted.
  virtual std::vector<std::string> inboxUids(std::string_view project) const = 0;
  // The uid's stored messages, oldest first, without removing them.
  virtual std::vector<StoredMessage> inbox(std::string_view project, std::string_view uid) const = 0;
  // Removes the uid's stored messages whose id is in `ids` (acknowledged by the client);
  // returns the ids removed, in inbox order. Ids not stored are ignored.
  virtual std::vector<std::string> removeFromInbox(std::string_view project, std::string_view uid,
                                                   const std::vector<std::string>& ids) = 0;
};

}  // namespace wsd::store
