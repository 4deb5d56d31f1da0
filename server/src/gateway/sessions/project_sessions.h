// The sessions of one project, indexed by the notices they want.
//
// A project-wide notice of a filterable kind (online, offline, broadcast, room member
// joined or left) visits only the sessions that want that kind, not every session of
// the project: in a big project whose clients unsubscribed from presence, a bind's
// `online` notice costs nothing per unsubscribed session, so opening N connections costs
// O(N), not O(N²). Each list is a vector; a session knows its place in each (its slots),
// so adding, removing and refiltering are O(1) (swap with the last).
//
// Invariant: a session is in the list of kind K exactly when it does not filter K out,
// and in the list of every delivery kNone reaches (all) always. refilter() is the only
// writer of a session's filter once it is indexed.
//
// Threads: gateway thread only.
#pragma once

#include <array>
#include <cstddef>
#include <vector>

#include "core/event_filter.h"
#include "gateway/sessions/session.h"

namespace wsd {

class ProjectSessions {
 public:
  void add(Session& session);
  void remove(Session& session);
  // The session's client now filters out `unsubscribed`.
  void refilter(Session& session, FilterMask unsubscribed);
  // The sessions a delivery of `kind` may reach: all of them for kNone, else those that
  // want it (for a mask of several kinds, those wanting the first; check wants()).
  const std::vector<Session*>& reachedBy(FilterMask kind) const;
  std::size_t size() const { return lists_[kAll].size(); }
  bool empty() const { return lists_[kAll].empty(); }

 private:
  static constexpr std::size_t kAll = 0;
  // The list of kind bit `bit` is lists_[1 + bit].
  static std::size_t listOf(FilterMask kind);
  void insert(std::size_t list, Session& session);
  void erase(std::size_t list, Session& session);

  std::array<std::vector<Session*>, 1 + filter_kind::kCount> lists_;
};

}  // namespace wsd
