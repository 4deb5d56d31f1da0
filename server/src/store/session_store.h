// The sessions-and-presence projection: every open connection of every gateway, what it
// is bound to and filters out, and so who is online. One of the state store's projections
// (state_store.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wsd::store {

struct SessionRecord {
  std::string conn;
  std::string project;
  std::string node;       // the gateway holding the connection
  std::string token;      // the token it connected with
  std::string uid;        // empty until bound
  std::string transport;  // ws, sse or poll
  // The event kinds the client unsubscribed from (core/event_filter.h), sorted; empty:
  // it receives everything.
  std::vector<std::string> unsubscribed;
};

class SessionStore {
 public:
  virtual ~SessionStore() = default;

  virtual std::optional<SessionRecord> session(std::string_view conn) const = 0;
  virtual void openSession(const SessionRecord& session) = 0;
  // Binds the session to `uid` (it must be open and unbound).
  virtual void bindSession(std::string_view conn, std::string_view uid) = 0;
  // Removes the session, its presence and its room memberships.
  virtual void closeSession(std::string_view conn) = 0;
  // Replaces the session's event filter (`unsubscribed`, sorted); no-op if it is not open.
  virtual void setSessionFilter(std::string_view conn, std::vector<std::string> unsubscribed) = 0;
  virtual std::vector<std::string> connsOfUid(std::string_view project, std::string_view uid) const = 0;
  virtual std::vector<std::string> connsOfNode(std::string_view node) const = 0;
  virtual std::vector<std::string> connsOfToken(std::string_view project, std::string_view token) const = 0;
  virtual std::vector<std::string> connsOfProject(std::string_view project) const = 0;
  virtual std::vector<std::string> onlineUids(std::string_view project) const = 0;  // sorted
};

}  // namespace wsd::store
