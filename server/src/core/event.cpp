#include "core/event.h"

#include "core/enum_names.h"
#include "core/json.h"

namespace wsd {
namespace {

constexpr EnumNames<EventType, 43> kNames({{
    {EventType::kNodeStart, "node.start"},
    {EventType::kNodeAlive, "node.alive"},
    {EventType::kNodeDown, "node.down"},
    {EventType::kNodeApplied, "node.applied"},
    {EventType::kProjectCreate, "project.create"},
    {EventType::kProjectDelete, "project.delete"},
    {EventType::kProjectUpdate, "project.update"},
    {EventType::kProjectSecret, "project.secret"},
    {EventType::kTokenIssue, "token.issue"},
    {EventType::kTokenRevoke, "token.revoke"},
    {EventType::kTokenUpdate, "token.update"},
    {EventType::kConnOpen, "conn.open"},
    {EventType::kConnClose, "conn.close"},
    {EventType::kConnFilter, "conn.filter"},
    {EventType::kConnKick, "conn.kick"},
    {EventType::kUidBind, "uid.bind"},
    {EventType::kMessageDirect, "message.direct"},
    {EventType::kMessageMulticast, "message.multicast"},
    {EventType::kMessageBroadcast, "message.broadcast"},
    {EventType::kMessageAck, "message.ack"},
    {EventType::kMessageUndelivered, "message.undelivered"},
    {EventType::kQueryList, "query.list"},
    {EventType::kQueryOnline, "query.online"},
    {EventType::kQueryRoom, "query.room"},
    {EventType::kRoomCreate, "room.create"},
    {EventType::kRoomJoin, "room.join"},
    {EventType::kRoomLeave, "room.leave"},
    {EventType::kRoomMessage, "room.message"},
    {EventType::kQueryRoomHistory, "query.room_history"},
    {EventType::kSignalOffer, "signal.offer"},
    {EventType::kSignalAnswer, "signal.answer"},
    {EventType::kSignalIce, "signal.ice"},
    {EventType::kMailRequest, "mail.request"},
    {EventType::kMailAccepted, "mail.accepted"},
    {EventType::kMailRejected, "mail.rejected"},
    {EventType::kMailSent, "mail.sent"},
    {EventType::kMailFailed, "mail.failed"},
    {EventType::kWebhookAdd, "webhook.add"},
    {EventType::kWebhookRemove, "webhook.remove"},
    {EventType::kWebhookDelivered, "webhook.delivered"},
    {EventType::kWebhookFailed, "webhook.failed"},
    {EventType::kLogCheckpoint, "log.checkpoint"},
    {EventType::kLogPartitionCheckpoint, "log.partition_checkpoint"},
}});

struct Link {
  std::string_view chain;  // empty: the log's one chain
  std::int64_t seq;
  std::string_view prev;
};

std::string encodeEvent(const Event& e, const Link* link) {
  rapidjson::StringBuffer buffer;
  json::Writer w(buffer);
  w.StartObject();
  json::field(w, "v", Event::kVersion);
  json::field(w, "id", e.id);
  json::field(w, "ts", e.ts);
  json::field(w, "project", e.project);
  json::field(w, "node", e.node);
  json::field(w, "conn", e.conn);
  json::field(w, "type", eventTypeName(e.type));
  if (link != nullptr) {
    if (!link->chain.empty()) json::field(w, "chain", link->chain);
    json::field(w, "seq", link->seq);
    json::field(w, "prev", link->prev);
  }
  json::key(w, "data");
  json::value(w, e.data);
  w.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace

std::string_view eventTypeName(EventType type) { return kNames.name(type); }

std::optional<EventType> eventTypeFromName(std::string_view name) { return kNames.parse(name); }

std::string Event::encode() const { return encodeEvent(*this, nullptr); }

std::string Event::encodeLinked(std::int64_t seq, std::string_view prev) const { return encodeLinked({}, seq, prev); }

std::string Event::encodeLinked(std::string_view chain, std::int64_t seq, std::string_view prev) const {
  const Link link{chain, seq, prev};
  return encodeEvent(*this, &link);
}

Result<Event> Event::decode(std::string_view bytes) {
  Event event;
  // Parsed into the event's own document, whose root then becomes the data object: the
  // data is not copied (what else the envelope held stays in the document's pool).
  json::Document& doc = event.data;
  if (!json::parseWritten(doc, bytes) || !doc.IsObject()) {
    return makeError("event_corrupt", "event is not a JSON object");
  }
  auto version = json::int64(doc, "v");
  if (!version || *version != kVersion) {
    return makeError("event_version", "unsupported event version");
  }
  auto typeName = json::string(doc, "type");
  auto type = typeName ? eventTypeFromName(*typeName) : std::nullopt;
  if (!type) return makeError("event_type", "unknown event type");
  event.type = *type;
  event.id = json::string(doc, "id").value_or("");
  event.ts = json::int64(doc, "ts").value_or(0);
  event.project = json::string(doc, "project").value_or("");
  event.node = json::string(doc, "node").value_or("");
  event.conn = json::string(doc, "conn").value_or("");
  event.seq = json::int64(doc, "seq").value_or(-1);
  event.prev = json::string(doc, "prev").value_or("");
  event.chain = json::string(doc, "chain").value_or("");
  auto it = doc.FindMember("data");
  if (it == doc.MemberEnd() || !it->value.IsObject()) {
    return makeError("event_corrupt", "event has no data object");
  }
  rapidjson::Value data(std::move(it->value));  // leaves null in the envelope's member
  static_cast<rapidjson::Value&>(doc) = std::move(data);
  return event;
}

void addString(Event& e, const char* name, std::string_view value) {
  e.data.AddMember(rapidjson::StringRef(name),
                   rapidjson::Value(value.data(), static_cast<rapidjson::SizeType>(value.size()), e.alloc()),
                   e.alloc());
}

}  // namespace wsd
