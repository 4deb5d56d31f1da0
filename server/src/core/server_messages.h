// Server messages: every JSON message the server sends to a client, rendered once per
// event (a fan-out shares the rendered text). Shapes are schemas/server/<type>.json.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace wsd::server_message {

using Text = std::shared_ptr<const std::string>;

// `secret` (SSE and polling sessions only, core/session_secret.h) goes to the session's own
// client in this message and nowhere else; empty leaves the field out.
Text connected(std::string_view connId, std::string_view secret = {});
Text bindSuccess(std::string_view uid);
struct DirectFields {
  std::string_view id, from, to;
  const rapidjson::Value* msg;
  std::int64_t timestamp;
  bool offline;  // delivered from the offline inbox
};
Text direct(const DirectFields& fields);
Text directFromJson(const DirectFields& fields, std::string_view msgJson);
Text broadcast(std::string_view id, std::string_view from, const rapidjson::Value& msg, std::int64_t timestamp);
Text sendSuccess(std::string_view id, std::string_view to, bool offline);
Text multicastSuccess(std::string_view id, const std::vector<std::string>& delivered,
                      const std::vector<std::string>& stored, const std::vector<std::string>& failed);
Text onlineResult(std::string_view uid, bool online);
Text list(const std::vector<std::string>& uids);
Text presence(bool online, std::string_view uid, std::int64_t timestamp);
Text ping();
Text pong();
Text error(std::string_view code, std::string_view msg);
Text room(std::string_view type, std::string_view roomId, const std::vector<std::string>* members);
// room_joined / room_created: the members, where the room's message stream stands, and,
// for a join that named `since`, whether the missed messages follow in full.
struct RoomJoinFields {
  std::string_view type;  // room_joined or room_created
  std::string_view roomId;
  const std::vector<std::string>& members;
  std::int64_t offset;
  std::string_view epoch;
  const bool* recovered;    // null: the join named no `since`
  std::string_view reason;  // not recovered: why (epoch_changed, history_trimmed, unknown_offset)
};
Text roomJoined(const RoomJoinFields& fields);
// A message of a room's stream (`msgJson` is the client's msg as JSON text).
struct RoomMessageFields {
  std::string_view roomId, from, msgJson;
  std::int64_t offset;
  std::string_view epoch, id;
  std::int64_t timestamp;
};
Text roomMessage(const RoomMessageFields& fields);
Text roomSendSuccess(std::string_view roomId, std::int64_t offset, std::string_view epoch, std::string_view id);
// room_history: `messages` rendered as room_message objects, ascending by offset.
Text roomHistory(std::string_view roomId, std::string_view epoch, std::int64_t offset,
                 const std::vector<RoomMessageFields>& messages, bool hasMore);
Text roomMember(bool joined, std::string_view roomId, std::string_view uid);
// webrtc_offer / webrtc_answer / webrtc_ice: `payloadKey` is "sdp" or "candidate".
Text signal(std::string_view type, std::string_view roomId, std::string_view from, std::string_view to,
            std::string_view payloadKey, const rapidjson::Value& payload);
Text closed(int code, std::string_view reason);
// sub_success / unsub_success / lsunsub: `events` is every kind now unsubscribed, sorted.
Text filterEvents(std::string_view type, const std::vector<std::string>& events);
// ack_success: the acknowledged ids that were stored and are now removed.
Text ackSuccess(const std::vector<std::string>& ids);

}  // namespace wsd::server_message
