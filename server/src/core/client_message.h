// Client messages: the JSON a client sends over any transport, parsed and checked against
// schemas/client/<type>.json before anything else looks at it.
#pragma once

#include <optional>
#include <string_view>

#include "core/json.h"
#include "core/result.h"
#include "core/schema_registry.h"

namespace wsd {

enum class ClientType {
  kBind,
  kSend,
  kMulticast,
  kBroadcast,
  kList,
  kOnline,
  kPong,
  kPing,
  kRoomCreate,
  kRoomJoin,
  kRoomLeave,
  kWebrtcOffer,
  kWebrtcAnswer,
  kWebrtcIce,
  kSub,  // event filters (core/event_filter.h)
  kUnsub,
  kLsunsub,
  kAck,          // delivery receipts for stored messages
  kRoomSend,     // a message to a room's members, kept in its history
  kRoomHistory,  // a page of a room's retained messages
};
// How many ClientTypes there are: counters indexed by type have this many slots.
inline constexpr std::size_t kClientTypeCount = static_cast<std::size_t>(ClientType::kRoomHistory) + 1;

std::string_view clientTypeName(ClientType type);
std::optional<ClientType> clientTypeFromName(std::string_view name);

struct ClientMessage {
  ClientType type = ClientType::kPing;
  json::Document body;  // the whole message, valid against its schema
};

// Errors: invalid_json, unknown_type, invalid_message (docs/protocol.md#errors).
Result<ClientMessage> parseClientMessage(std::string_view text, const SchemaRegistry& schemas);

}  // namespace wsd
