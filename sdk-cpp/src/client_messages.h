// Encoding of client messages (docs/protocol.md, "Client messages") with the protocol's
// rules checked first, so a bad argument is refused locally instead of by the server.
// Pure functions; any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wsclient/types.h"

namespace wsclient::detail {

// Each returns the message's JSON text, or nullopt when an argument breaks a rule:
// uids and room ids are 1-128 characters, JSON payloads must parse, multicast needs a uid.
std::optional<std::string> encodeBind(std::string_view uid);
// A signed bind: `sig` must be 64 hex digits, `exp` >= 0.
std::optional<std::string> encodeSignedBind(std::string_view uid, std::int64_t exp, std::string_view sig);
// `type`: unsub or sub; `events`: 1-16 known kinds (online, offline, broadcast,
// room_member_joined, room_member_left).
std::optional<std::string> encodeFilter(std::string_view type, const std::vector<std::string>& events);
std::string encodeLsunsub();
// 1-1000 ids of 1-64 characters.
std::optional<std::string> encodeAck(const std::vector<std::string>& ids);
std::optional<std::string> encodeSend(std::string_view to, std::string_view msgJson);
std::optional<std::string> encodeMulticast(const std::vector<std::string>& to, std::string_view msgJson);
std::optional<std::string> encodeBroadcast(std::string_view msgJson);
std::optional<std::string> encodeOnline(std::string_view uid);
// `type`: room_create, room_join or room_leave.
std::optional<std::string> encodeRoom(std::string_view type, std::string_view roomId);
// `type`: room_create or room_join; `since` (offset 0 to 2^53-1, epoch up to 128 bytes)
// asks for the messages missed since that position.
std::optional<std::string> encodeRoomJoin(std::string_view type, std::string_view roomId,
                                          const std::optional<RoomPosition>& since);
// `msgJson` must parse; `echo` is written only when true (the server's default is false).
std::optional<std::string> encodeRoomSend(std::string_view roomId, std::string_view msgJson, bool echo);
// At most one of since and before (before >= 1); limit 0 (the server's default) to 1000.
std::optional<std::string> encodeRoomHistory(std::string_view roomId, const RoomHistoryOptions& options);
// `type`: webrtc_offer / webrtc_answer (field "sdp", an object) or webrtc_ice (field
// "candidate", an object or null).
std::optional<std::string> encodeSignal(std::string_view type, std::string_view roomId, std::string_view to,
                                        std::string_view payloadJson);
// sendRaw(): `json` must be an object with a non-empty string `type`; returned compacted.
std::optional<std::string> encodeRaw(std::string_view json);
std::string encodeList();
std::string encodePing();
std::string encodePong();

// `text` as a JSON string literal.
std::string quoteJson(std::string_view text);

}  // namespace wsclient::detail
