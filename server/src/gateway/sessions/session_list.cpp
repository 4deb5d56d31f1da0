#include "gateway/sessions/session_list.h"

namespace wsd {

void SessionList::insert(Session& session) {
  if (contains(session)) return;
  session.listSlots_[kind_] = static_cast<std::uint32_t>(sessions_.size());
  sessions_.push_back(&session);
}

void SessionList::erase(Session& session) {
  if (!contains(session)) return;
  const std::uint32_t slot = session.listSlots_[kind_];
  Session* last = sessions_.back();
  sessions_[slot] = last;
  last->listSlots_[kind_] = slot;
  sessions_.pop_back();
  session.listSlots_[kind_] = session_lists::kNotListed;
}

bool SessionList::contains(const Session& session) const {
  return session.listSlots_[kind_] != session_lists::kNotListed;
}

}  // namespace wsd
