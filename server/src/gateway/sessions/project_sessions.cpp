#include "gateway/sessions/project_sessions.h"

#include <bit>

namespace wsd {

std::size_t ProjectSessions::listOf(FilterMask kind) {
  if (kind == filter_kind::kNone) return kAll;
  return 1 + static_cast<std::size_t>(std::countr_zero(kind));
}

void ProjectSessions::add(Session& session) {
  insert(kAll, session);
  for (std::size_t bit = 0; bit < filter_kind::kCount; ++bit) {
    if (session.wants(static_cast<FilterMask>(1U << bit))) insert(1 + bit, session);
  }
}

void ProjectSessions::remove(Session& session) {
  erase(kAll, session);
  for (std::size_t bit = 0; bit < filter_kind::kCount; ++bit) {
    if (session.wants(static_cast<FilterMask>(1U << bit))) erase(1 + bit, session);
  }
}

void ProjectSessions::refilter(Session& session, FilterMask unsubscribed) {
  for (std::size_t bit = 0; bit < filter_kind::kCount; ++bit) {
    const auto kind = static_cast<FilterMask>(1U << bit);
    const bool wanted = session.wants(kind);
    const bool wants = (unsubscribed & kind) == 0;
    if (wanted && !wants) erase(1 + bit, session);
    if (!wanted && wants) insert(1 + bit, session);
  }
  session.unsubscribed_ = unsubscribed;
}

const std::vector<Session*>& ProjectSessions::reachedBy(FilterMask kind) const { return lists_[listOf(kind)]; }

void ProjectSessions::insert(std::size_t list, Session& session) {
  session.indexSlots_[list] = static_cast<std::uint32_t>(lists_[list].size());
  lists_[list].push_back(&session);
}

void ProjectSessions::erase(std::size_t list, Session& session) {
  auto& sessions = lists_[list];
  const std::uint32_t slot = session.indexSlots_[list];
  Session* last = sessions.back();
  sessions[slot] = last;
  last->indexSlots_[list] = slot;
  sessions.pop_back();
}

}  // namespace wsd
