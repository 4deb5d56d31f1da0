// Client event filters: the kinds of project-wide and room notices a connection may
// unsubscribe from (`unsub`, `sub`, `lsunsub`; docs/protocol.md, "Event filters"), so a
// client in a big project is not flooded with presence. Direct messages, replies and
// signaling are never filtered.
//
// A filter is a bit set: the projector keeps it with the session (as names, in the
// store) and hands it to the gateway holding the connection, which tests each delivery's
// kind against it (one AND per delivery, on the hot path of a project fan-out).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wsd {

using FilterMask = std::uint8_t;

// The filterable kinds, named as the server messages they stop.
namespace filter_kind {
inline constexpr FilterMask kNone = 0;  // a delivery no filter can stop
inline constexpr FilterMask kOnline = 1 << 0;
inline constexpr FilterMask kOffline = 1 << 1;
inline constexpr FilterMask kBroadcast = 1 << 2;
inline constexpr FilterMask kRoomMemberJoined = 1 << 3;
inline constexpr FilterMask kRoomMemberLeft = 1 << 4;
// How many kinds there are: bits 0 to kCount - 1.
inline constexpr unsigned kCount = 5;
}  // namespace filter_kind

// The kind named `name` ("online", "room_member_left", ...), or nullopt.
std::optional<FilterMask> filterKindFromName(std::string_view name);
// The names of the kinds in `mask`, sorted (the order every reply lists them in).
std::vector<std::string> filterNames(FilterMask mask);
// The mask of `names`; unknown names are ignored (the schema refuses them before).
FilterMask filterMask(const std::vector<std::string>& names);

}  // namespace wsd
