// A set of sessions kept in a vector, so visiting it is a walk of contiguous pointers and
// adding or removing one is O(1): each session keeps its own place in each kind of list
// (Session::listSlots_), and removal moves the last session into the hole.
//
// Invariant: session.listSlots_[kind_] is the session's index in sessions_ while it is
// listed, and session_lists::kNotListed otherwise.
//
// Threads: gateway thread only.
#pragma once

#include <cstddef>
#include <vector>

#include "gateway/sessions/session.h"

namespace wsd {

class SessionList {
 public:
  // `kind` names the slot the sessions keep for this list (session_lists in session.h).
  explicit SessionList(std::size_t kind) : kind_(kind) {}

  // Both are no-ops when the session already is (or is not) listed.
  void insert(Session& session);
  void erase(Session& session);
  bool contains(const Session& session) const;
  const std::vector<Session*>& sessions() const { return sessions_; }
  std::size_t size() const { return sessions_.size(); }

 private:
  std::size_t kind_;
  std::vector<Session*> sessions_;
};

}  // namespace wsd
