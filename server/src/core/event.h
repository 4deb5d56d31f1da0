// The event: one record of the log, the only way state changes. Every client and admin
// action becomes exactly one event (heartbeat frames excepted); projections are pure
// functions of the ordered events (see docs/architecture.md).
//
// Envelope (schemas/events/envelope.json): v, id, ts, project, node, conn, type, data,
// and in a chained log seq and prev, and in a Kafka topic the chain they belong to
// (core/log_chain.h).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/json.h"
#include "core/result.h"

namespace wsd {

enum class EventType {
  kNodeStart,
  kNodeAlive,
  kNodeDown,
  kNodeApplied,  // a gateway applied an admin change (gateway/cluster/change_acks.h)
  kProjectCreate,
  kProjectDelete,
  kProjectUpdate,  // admin changed the project's settings (store/project_settings.h)
  kProjectSecret,  // admin issued a new server secret; the previous one may stay valid a while
  kTokenIssue,
  kTokenRevoke,
  kTokenUpdate,
  kConnOpen,
  kConnClose,
  kConnFilter,  // sub / unsub / lsunsub: the connection's event filter, changed or listed
  kConnKick,    // the server API closes a uid's connections, or one connection
  kUidBind,
  kMessageDirect,
  kMessageMulticast,
  kMessageBroadcast,
  kMessageAck,          // a client acknowledged stored messages by id
  kMessageUndelivered,  // a gateway ended a session over its output budget with this direct message unwritten
  kQueryList,
  kQueryOnline,
  kQueryRoom,  // the server API asks who is in a room
  kRoomCreate,
  kRoomJoin,
  kRoomLeave,
  kRoomMessage,       // a message to a room's members, kept in the room's history (offset given when applied)
  kQueryRoomHistory,  // a member asks for a page of a room's retained messages
  kSignalOffer,
  kSignalAnswer,
  kSignalIce,
  kMailRequest,   // a gateway took a POST /mail; applying it decides against the rate limit
  kMailAccepted,  // the mailer's record of an accepting decision: it will send
  kMailRejected,  // the mailer's record of a refusing decision: nothing is sent
  kMailSent,      // the relay took the mail
  kMailFailed,    // the relay refused it, or could not be reached
  // Webhooks (webhook/dispatcher.h): admin adds and removes endpoints; the dispatcher
  // records each delivery's outcome (2xx, or every attempt failed).
  kWebhookAdd,
  kWebhookRemove,
  kWebhookDelivered,
  kWebhookFailed,
  kLogCheckpoint,           // the log vouches for its chain so far (core/log_chain.h)
  kLogPartitionCheckpoint,  // a projector vouches for a Kafka partition's order so far (core/partition_fold.h)
};

std::string_view eventTypeName(EventType type);
std::optional<EventType> eventTypeFromName(std::string_view name);

struct Event {
  static constexpr int kVersion = 1;

  std::string id;       // unique and sortable by time (core/ids.h)
  std::int64_t ts = 0;  // ms since the epoch, taken once when the action was decided
  std::string project;  // key of the project; empty for node events
  std::string node;     // the gateway that decided it
  std::string conn;     // the acting connection; empty for admin and node events
  EventType type = EventType::kNodeStart;
  json::Document data{rapidjson::kObjectType};  // type-specific fields
  // Its link in the log's chain (core/log_chain.h) as read back: -1 and empty when the
  // record carries none. The log writes them (encodeLinked), not the event's maker.
  std::int64_t seq = -1;
  std::string prev;
  // In a Kafka topic, which producer's chain the record belongs to (several write into one
  // partition); empty in the embedded log, whose one chain is the log itself.
  std::string chain;

  std::string encode() const;
  // The record of this event in a chained log: at `seq`, after a record hashing to `prev`.
  std::string encodeLinked(std::int64_t seq, std::string_view prev) const;
  // The same in the chain named `chain` (empty: as above).
  std::string encodeLinked(std::string_view chain, std::int64_t seq, std::string_view prev) const;
  static Result<Event> decode(std::string_view bytes);

  // Convenience for the data object: the allocator to add members with.
  rapidjson::Document::AllocatorType& alloc() { return data.GetAllocator(); }
};

using EventPtr = std::shared_ptr<const Event>;

// Adds `name`: `value` (copied) to the event's data; `name` must outlive the event (a literal).
void addString(Event& e, const char* name, std::string_view value);

}  // namespace wsd
