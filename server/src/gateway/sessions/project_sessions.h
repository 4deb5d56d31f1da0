// The sessions of one project, indexed by the notices they want.
//
// A project-wide notice of a filterable kind (online, offline, broadcast, room member
// joined or left) visits only the sessions that want that kind, not every session of
// the project: in a big project whose clients unsubscribed from presence, a bind's
// `online` notice costs nothing per unsubscribed session, so opening N connections costs
// O(N), not O(N²).
//
// Invariant: a session is in the list of kind K exactly when it does not filter K out,
// and in the list every delivery of kNone reaches (all) always. refilter() is the only
// writer of a session's filter once it is indexed.
//
// Threads: gateway thread only.
#pragma once

#include <array>
#include <cstddef>
#include <vector>

#include "core/event_filter.h"
#include "gateway/sessions/session.h"
#include "gateway/sessions/session_list.h"

namespace wsd {

class ProjectSessions {
 public:
  ProjectSessions();

  void add(Session& session);
  void remove(Session& session);
  // The session's client now filters out `unsubscribed`.
  void refilter(Session& session, FilterMask unsubscribed);
  // The sessions a delivery of `kind` may reach: all of them for kNone, else those that
  // want it (for a mask of several kinds, those wanting the first; check wants()).
  const std::vector<Session*>& reachedBy(FilterMask kind) const;
  std::size_t size() const { return all_.size(); }
  bool empty() const { return all_.size() == 0; }

 private:
  SessionList& wanting(unsigned bit) { return wanting_[bit]; }

  SessionList all_{session_lists::kProject};
  std::array<SessionList, filter_kind::kCount> wanting_;
};

}  // namespace wsd
