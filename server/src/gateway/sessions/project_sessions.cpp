#include "gateway/sessions/project_sessions.h"

#include <bit>
#include <utility>

namespace wsd {
namespace {

template <std::size_t... Bits>
std::array<SessionList, sizeof...(Bits)> wantingLists(std::index_sequence<Bits...>) {
  return {SessionList(session_lists::kWantingKind + Bits)...};
}

FilterMask kindOf(unsigned bit) { return static_cast<FilterMask>(1U << bit); }

}  // namespace

ProjectSessions::ProjectSessions() : wanting_(wantingLists(std::make_index_sequence<filter_kind::kCount>{})) {}

void ProjectSessions::add(Session& session) {
  all_.insert(session);
  for (unsigned bit = 0; bit < filter_kind::kCount; ++bit) {
    if (session.wants(kindOf(bit))) wanting(bit).insert(session);
  }
}

void ProjectSessions::remove(Session& session) {
  all_.erase(session);
  for (unsigned bit = 0; bit < filter_kind::kCount; ++bit) wanting(bit).erase(session);
}

void ProjectSessions::refilter(Session& session, FilterMask unsubscribed) {
  for (unsigned bit = 0; bit < filter_kind::kCount; ++bit) {
    if ((unsubscribed & kindOf(bit)) == 0) {
      wanting(bit).insert(session);
    } else {
      wanting(bit).erase(session);
    }
  }
  session.unsubscribed_ = unsubscribed;
}

const std::vector<Session*>& ProjectSessions::reachedBy(FilterMask kind) const {
  if (kind == filter_kind::kNone) return all_.sessions();
  return wanting_[static_cast<unsigned>(std::countr_zero(kind))].sessions();
}

}  // namespace wsd
