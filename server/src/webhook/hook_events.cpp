#include "webhook/hook_events.h"

#include <algorithm>
#include <functional>

#include "core/json.h"

namespace wsd::webhook {
namespace {

std::string object(const std::function<void(json::Writer&)>& fill) {
  rapidjson::StringBuffer buffer;
  json::Writer w(buffer);
  w.StartObject();
  fill(w);
  w.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

void copyField(json::Writer& w, const Event& e, const char* name) {
  if (const auto* v = json::member(e.data, name)) {
    json::key(w, name);
    json::value(w, *v);
  }
}

Occurrence connect(const Event& e) {
  return {"connect", object([&](json::Writer& w) {
            json::field(w, "conn", e.conn);
            copyField(w, e, "transport");
            copyField(w, e, "mode");
            json::field(w, "node", e.node);
          })};
}

Occurrence message(const Event& e, std::string_view kind) {
  return {"message", object([&](json::Writer& w) {
            json::field(w, "kind", kind);
            copyField(w, e, "from");
            copyField(w, e, "to");
            copyField(w, e, "msg");
            json::field(w, "conn", e.conn);
            copyField(w, e, "via");  // "api": the server API sent it (conn is empty)
          })};
}

// A room.message that reached its room: `roomId`, and its place in the room's stream.
Occurrence roomMessage(const Event& e, const RoomSendOutcome& sent) {
  return {"message", object([&](json::Writer& w) {
            json::field(w, "kind", "room");
            copyField(w, e, "from");
            copyField(w, e, "roomId");
            copyField(w, e, "msg");
            json::field(w, "offset", sent.offset);
            json::field(w, "epoch", sent.epoch);
            json::field(w, "conn", e.conn);
            copyField(w, e, "via");
          })};
}

// A session ends by its own conn.close, or by an event that ends several (conn.kick of the
// server API, node.start, node.down): the reason is the event's own when it gives one
// (with its close code), else the event's type.
Occurrence disconnect(const Event& e, const Change& c) {
  return {"disconnect", object([&](json::Writer& w) {
            json::field(w, "conn", c.conn);
            json::field(w, "uid", c.uid);
            json::field(w, "reason", json::string(e.data, "reason").value_or(std::string(eventTypeName(e.type))));
            copyField(w, e, "code");
          })};
}

Occurrence presence(const Change& c) {
  return {c.kind == Change::Kind::kOnline ? "online" : "offline",
          object([&](json::Writer& w) { json::field(w, "uid", c.uid); })};
}

Occurrence room(const Change& c) {
  const char* action = c.kind == Change::Kind::kRoomCreate ? "create"
                       : c.kind == Change::Kind::kRoomJoin ? "join"
                                                           : "leave";
  return {"room", object([&](json::Writer& w) {
            json::field(w, "action", action);
            json::field(w, "roomId", c.room);
            json::field(w, "uid", c.uid);
            json::field(w, "conn", c.conn);
          })};
}

}  // namespace

bool isHookEvent(std::string_view name) {
  return std::find(kHookEvents.begin(), kHookEvents.end(), name) != kHookEvents.end();
}

std::vector<Occurrence> occurrencesOf(const Event& event, const Effects& effects) {
  std::vector<Occurrence> out;
  if (event.project.empty() || effects.rejection) return out;
  switch (event.type) {
    case EventType::kConnOpen: out.push_back(connect(event)); break;
    case EventType::kMessageDirect: out.push_back(message(event, "direct")); break;
    case EventType::kMessageMulticast: out.push_back(message(event, "multicast")); break;
    case EventType::kMessageBroadcast: out.push_back(message(event, "broadcast")); break;
    case EventType::kRoomMessage:  // a non-member's is refused (no roomSent) and never reached anyone
      if (effects.roomSent) out.push_back(roomMessage(event, *effects.roomSent));
      break;
    default: break;
  }
  for (const auto& change : effects.changes) {
    switch (change.kind) {
      case Change::Kind::kOnline:
      case Change::Kind::kOffline: out.push_back(presence(change)); break;
      case Change::Kind::kDisconnect: out.push_back(disconnect(event, change)); break;
      case Change::Kind::kRoomCreate:
      case Change::Kind::kRoomJoin:
      case Change::Kind::kRoomLeave: out.push_back(room(change)); break;
    }
  }
  return out;
}

std::string payload(const Event& event, const Occurrence& occurrence) {
  return object([&](json::Writer& w) {
    json::field(w, "id", event.id);
    json::field(w, "type", occurrence.type);
    json::field(w, "project", event.project);
    json::field(w, "ts", event.ts);
    json::key(w, "data");
    w.RawValue(occurrence.data.data(), occurrence.data.size(), rapidjson::kObjectType);
  });
}

}  // namespace wsd::webhook
