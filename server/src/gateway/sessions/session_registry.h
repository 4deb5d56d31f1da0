// The sessions this gateway holds, by connId and by project. Owns them: a session lives
// from its handshake until remove() (its connection is gone for good).
//
// Removal is deferred (as Envoy's deferredDelete): a removed session is marked ended and
// kept until collectGarbage(), which the server calls when a libwebsockets callback is
// done. So a session may end itself in the middle of a fan-out or a tick without any
// caller holding a dangling pointer.
//
// Threads: gateway thread only.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/string_hash.h"
#include "gateway/net/pending_writes.h"
#include "gateway/sessions/output_budget.h"
#include "gateway/sessions/project_sessions.h"
#include "gateway/sessions/session.h"
#include "gateway/sessions/session_list.h"

namespace wsd {

class SessionRegistry {
 public:
  Session* add(std::unique_ptr<Session> session);
  Session* find(std::string_view conn) const;
  // Forgets the session and destroys it; `conn` may be a reference into it.
  void remove(const std::string& conn);
  // Sessions ended over their output budget, between their conn.close being appended
  // and being applied. Until it is applied, the projections still count such a session
  // as live and address direct messages to it, even after it left the registry (its
  // client went away, or a shared polling session handed out its `closed`): those must
  // be kept for its uid (OutputBudget::spill), not dropped. With Kafka the window spans
  // a round trip to the broker.
  void noteLeaving(const std::string& conn, const std::string& project) { leaving_.emplace(conn, project); }
  // The project of such a session, or null.
  const std::string* leavingProject(std::string_view conn) const;
  // Its conn.close was applied (or failed to reach the log): nothing more is addressed to it.
  void closeApplied(const std::string& conn) { leaving_.erase(conn); }

  // Visits the live sessions of `project` that a delivery of `kind` may reach (all of
  // them for filter_kind::kNone, else those that want it): O(those sessions), not
  // O(sessions of the project). `visit` may end sessions.
  template <typename Visit>
  void forEachReached(std::string_view project, FilterMask kind, Visit&& visit) const {
    auto it = byProject_.find(project);
    if (it == byProject_.end()) return;
    // A snapshot: sending may end sessions, which leave the lists.
    const std::vector<Session*> snapshot = it->second.reachedBy(kind);
    for (Session* s : snapshot) {
      if (!s->ended) visit(*s);
    }
  }
  // The session's client now filters out `unsubscribed` (its conn.filter was applied).
  void refilter(Session& session, FilterMask unsubscribed);
  // Visits the live sessions that need the tick (Session::needsTicks): O(those), not
  // O(sessions held). A session stops being visited once it needs the tick no more, and
  // comes back when something it must be ticked for happens. `visit` may end sessions.
  template <typename Visit>
  void forEachTicking(Visit&& visit) {
    const std::vector<Session*> snapshot = ticking_.sessions();
    for (Session* s : snapshot) {
      if (s->ended) continue;
      visit(*s);
      if (!s->ended && !s->needsTicks()) ticking_.erase(*s);
    }
  }
  std::size_t tickingCount() const { return ticking_.size(); }
  void forEach(const std::function<void(Session&)>& visit) const;
  std::size_t size() const { return byConn_.size(); }
  std::size_t countInProject(std::string_view project) const;
  // Sessions held now, and opened since start, with `transport` (for /metrics). O(1).
  std::size_t liveCount(Transport transport) const { return live_[static_cast<std::size_t>(transport)]; }
  std::uint64_t openedCount(Transport transport) const { return opened_[static_cast<std::size_t>(transport)]; }
  std::uint64_t openedCount() const { return opened_[0] + opened_[1] + opened_[2]; }
  // Sessions added from now on count the messages sent to them into `counter`.
  void countSentInto(metrics::IndexedCounter* counter) { sentCounter_ = counter; }
  // Frees the sessions removed since the last call.
  void collectGarbage() { graveyard_.clear(); }
  // The WebSocket sessions with messages to write when the current callback is done.
  PendingWrites& pendingWrites() { return pendingWrites_; }
  // The bytes every session holds for its client, and their bounds.
  OutputBudget& output() { return output_; }
  const OutputBudget& output() const { return output_; }

 private:
  PendingWrites pendingWrites_;  // first: outlives the sessions, which leave it as they go
  OutputBudget output_{*this};   // likewise: sessions give their bytes back as they go
  SessionList ticking_{session_lists::kTicking};
  std::vector<std::unique_ptr<Session>> graveyard_;
  StringMap<std::unique_ptr<Session>> byConn_;
  StringMap<ProjectSessions> byProject_;
  StringMap<std::string> leaving_;     // conn → project; few, and briefly
  std::array<std::size_t, 3> live_{};  // by Transport
  std::array<std::uint64_t, 3> opened_{};
  metrics::IndexedCounter* sentCounter_ = nullptr;
};

}  // namespace wsd
