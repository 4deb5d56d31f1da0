// The filter behind --project, --type, --uid, --since and --until.
#include "event_filter.h"

#include "core/json.h"

namespace wsd::wslog {
namespace {

constexpr EventType kAllTypes[] = {
    EventType::kNodeStart,          EventType::kNodeAlive,        EventType::kNodeDown,    EventType::kProjectCreate,
    EventType::kProjectDelete,      EventType::kTokenIssue,       EventType::kTokenRevoke, EventType::kTokenUpdate,
    EventType::kConnOpen,           EventType::kConnClose,        EventType::kUidBind,     EventType::kMessageDirect,
    EventType::kMessageMulticast,   EventType::kMessageBroadcast, EventType::kQueryList,   EventType::kQueryOnline,
    EventType::kQueryRoom,          EventType::kConnKick,         EventType::kConnFilter,  EventType::kMessageAck,
    EventType::kRoomCreate,         EventType::kRoomJoin,         EventType::kRoomLeave,   EventType::kSignalOffer,
    EventType::kSignalAnswer,       EventType::kSignalIce,        EventType::kMailRequest, EventType::kMailAccepted,
    EventType::kMailRejected,       EventType::kMailSent,         EventType::kMailFailed,  EventType::kNodeApplied,
    EventType::kMessageUndelivered,
};

bool selects(std::string_view pattern, std::string_view type) {
  if (pattern.ends_with(".*")) return type.starts_with(pattern.substr(0, pattern.size() - 1));
  return pattern == type;
}

bool stringIs(const rapidjson::Value& obj, const char* name, std::string_view expected) {
  const auto* v = json::member(obj, name);
  return v != nullptr && v->IsString() && json::view(*v) == expected;
}

bool arrayHolds(const rapidjson::Value& obj, const char* name, std::string_view expected) {
  const auto* v = json::member(obj, name);
  if (v == nullptr || !v->IsArray()) return false;
  for (const auto& item : v->GetArray()) {
    if (item.IsString() && json::view(item) == expected) return true;
  }
  return false;
}

}  // namespace

Result<std::vector<std::string>> parseTypeList(std::string_view text) {
  std::vector<std::string> types;
  while (!text.empty()) {
    const auto comma = text.find(',');
    const std::string name(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    bool known = false;
    for (EventType type : kAllTypes) known = known || selects(name, eventTypeName(type));
    if (!known) return makeError("bad_type", "'" + name + "' names no event type (see docs/analysts.md)");
    types.push_back(name);
  }
  if (types.empty()) return makeError("bad_type", "--type needs at least one event type");
  return types;
}

bool typeSelected(const std::vector<std::string>& types, std::string_view type) {
  if (types.empty()) return true;
  for (const auto& pattern : types) {
    if (selects(pattern, type)) return true;
  }
  return false;
}

bool dataNamesUid(const Event& e, std::string_view uid) {
  switch (e.type) {
    case EventType::kUidBind:
    case EventType::kQueryOnline: return stringIs(e.data, "uid", uid);
    case EventType::kMessageDirect: return stringIs(e.data, "from", uid) || stringIs(e.data, "to", uid);
    case EventType::kMessageMulticast: return stringIs(e.data, "from", uid) || arrayHolds(e.data, "to", uid);
    case EventType::kMessageBroadcast: return stringIs(e.data, "from", uid);
    case EventType::kSignalOffer:
    case EventType::kSignalAnswer:
    case EventType::kSignalIce: return stringIs(e.data, "to", uid);
    default: return false;
  }
}

void EventFilter::learn(const Event& e) {
  if (spec_.uid && e.type == EventType::kUidBind && stringIs(e.data, "uid", *spec_.uid)) uidConns_.insert(e.conn);
}

bool EventFilter::matches(const Event& e) {
  // The uid's connections are followed on every event, selected or not.
  const bool uidOk = !spec_.uid || uidMatches(e);
  if (spec_.project && e.project != *spec_.project) return false;
  if (!typeSelected(spec_.types, eventTypeName(e.type))) return false;
  if (spec_.since && e.ts < *spec_.since) return false;
  if (spec_.until && e.ts >= *spec_.until) return false;
  return uidOk;
}

bool EventFilter::uidMatches(const Event& e) {
  switch (e.type) {
    case EventType::kConnOpen:
      if (!uidConns_.contains(e.conn)) return false;
      liveUidConns_[e.conn] = {e.project, e.node};
      return true;
    case EventType::kConnClose: return liveUidConns_.erase(e.conn) > 0 || uidConns_.contains(e.conn);
    case EventType::kNodeStart: return endsAConnection(e, e.node);
    case EventType::kNodeDown: return endsAConnection(e, json::string(e.data, "node").value_or(""));
    default: return dataNamesUid(e, *spec_.uid) || (!e.conn.empty() && uidConns_.contains(e.conn));
  }
}

// node.start / node.down of a project end the sessions `node` held there.
bool EventFilter::endsAConnection(const Event& e, std::string_view node) {
  if (e.project.empty()) return false;
  bool ended = false;
  for (auto it = liveUidConns_.begin(); it != liveUidConns_.end();) {
    if (it->second.project == e.project && it->second.node == node) {
      it = liveUidConns_.erase(it);
      ended = true;
    } else {
      ++it;
    }
  }
  return ended;
}

}  // namespace wsd::wslog
