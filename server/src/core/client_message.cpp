#include "core/client_message.h"

#include <string>
#include <utility>

#include "core/enum_names.h"
#include "core/error_codes.h"
#include "core/json.h"

namespace wsd {
namespace {

constexpr EnumNames<ClientType, kClientTypeCount> kNames({{
    {ClientType::kBind, "bind"},
    {ClientType::kSend, "send"},
    {ClientType::kMulticast, "multicast"},
    {ClientType::kBroadcast, "broadcast"},
    {ClientType::kList, "list"},
    {ClientType::kOnline, "online"},
    {ClientType::kPong, "pong"},
    {ClientType::kPing, "ping"},
    {ClientType::kRoomCreate, "room_create"},
    {ClientType::kRoomJoin, "room_join"},
    {ClientType::kRoomLeave, "room_leave"},
    {ClientType::kWebrtcOffer, "webrtc_offer"},
    {ClientType::kWebrtcAnswer, "webrtc_answer"},
    {ClientType::kWebrtcIce, "webrtc_ice"},
    {ClientType::kSub, "sub"},
    {ClientType::kUnsub, "unsub"},
    {ClientType::kLsunsub, "lsunsub"},
    {ClientType::kAck, "ack"},
    {ClientType::kRoomSend, "room_send"},
    {ClientType::kRoomHistory, "room_history"},
}});

}  // namespace

std::string_view clientTypeName(ClientType type) { return kNames.name(type); }

std::optional<ClientType> clientTypeFromName(std::string_view name) { return kNames.parse(name); }

Result<ClientMessage> parseClientMessage(std::string_view text, const SchemaRegistry& schemas) {
  ClientMessage message;
  if (!json::parse(message.body, text)) {
    return makeError(error_codes::kInvalidJson.name,
                     "message is not valid JSON (error at byte " + std::to_string(message.body.GetErrorOffset()) + ")");
  }
  if (!message.body.IsObject()) return makeError(error_codes::kInvalidJson.name, "message must be a JSON object");
  auto typeName = json::string(message.body, "type");
  if (!typeName) return makeError(error_codes::kUnknownType.name, "message has no string field 'type'");
  auto type = clientTypeFromName(*typeName);
  if (!type) return makeError(error_codes::kUnknownType.name, "unknown message type '" + *typeName + "'");
  message.type = *type;
  if (auto problem = schemas.check("client/" + *typeName, message.body)) {
    return makeError(error_codes::kInvalidMessage.name, *typeName + ": " + *problem);
  }
  return message;
}

}  // namespace wsd
