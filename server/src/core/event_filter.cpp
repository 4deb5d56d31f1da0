#include "core/event_filter.h"

#include <algorithm>
#include <array>
#include <utility>

namespace wsd {
namespace {

// Sorted by name, so filterNames() lists in the order replies promise.
constexpr std::array<std::pair<std::string_view, FilterMask>, 5> kKinds{{
    {"broadcast", filter_kind::kBroadcast},
    {"offline", filter_kind::kOffline},
    {"online", filter_kind::kOnline},
    {"room_member_joined", filter_kind::kRoomMemberJoined},
    {"room_member_left", filter_kind::kRoomMemberLeft},
}};

}  // namespace

std::optional<FilterMask> filterKindFromName(std::string_view name) {
  for (const auto& [n, kind] : kKinds) {
    if (n == name) return kind;
  }
  return std::nullopt;
}

std::vector<std::string> filterNames(FilterMask mask) {
  std::vector<std::string> names;
  for (const auto& [name, kind] : kKinds) {
    if ((mask & kind) != 0) names.emplace_back(name);
  }
  return names;
}

FilterMask filterMask(const std::vector<std::string>& names) {
  FilterMask mask = filter_kind::kNone;
  for (const auto& name : names) mask |= filterKindFromName(name).value_or(filter_kind::kNone);
  return mask;
}

}  // namespace wsd
