// Selecting and telling the story of a room or a uid (see the header).
#include "timeline.h"

#include "core/json.h"
#include "time_text.h"

namespace wsd::wslog {
namespace {

std::string text(const rapidjson::Value& obj, const char* name) { return json::string(obj, name).value_or(""); }

std::string joined(const rapidjson::Value* array) {
  std::string out;
  if (array == nullptr || !array->IsArray()) return out;
  for (const auto& item : array->GetArray()) {
    if (!item.IsString()) continue;
    if (!out.empty()) out += ", ";
    out += std::string(json::view(item));
  }
  return out;
}

std::size_t sizeOf(const rapidjson::Value* v) { return v == nullptr ? 0 : json::stringify(*v).size(); }

std::string signalDetail(const Event& e, const char* what) {
  std::string out = std::string(what) + " to " + text(e.data, "to") + " in " + text(e.data, "roomId");
  if (e.type == EventType::kSignalIce) {
    const auto* candidate = json::member(e.data, "candidate");
    return out + (candidate == nullptr || candidate->IsNull()
                      ? ", end of candidates"
                      : ", candidate " + std::to_string(sizeOf(candidate)) + " bytes");
  }
  const auto* sdp = json::member(e.data, "sdp");
  return out + ", sdp " + std::to_string(sizeOf(sdp)) + " bytes";
}

std::string mailDetail(const Event& e) {
  if (e.type == EventType::kMailRequest) {
    const auto* mail = json::member(e.data, "mail");
    return "to " + (mail == nullptr ? std::string() : joined(json::member(*mail, "to"))) + ", limit " +
           std::to_string(json::int64(e.data, "max").value_or(0)) + " per " +
           std::to_string(json::int64(e.data, "windowMs").value_or(0) / 1000) + " s";
  }
  std::string out = "request " + text(e.data, "request");
  if (e.type == EventType::kMailFailed) out += ": " + text(e.data, "code") + " " + text(e.data, "error");
  if (e.type == EventType::kMailSent) out += " via " + text(e.data, "relay");
  return out;
}

// A server message's type and the document, parsed from its text.
struct Message {
  json::Document doc;
  std::string type;
};

Message parse(const server_message::Text& textPtr) {
  Message m;
  if (textPtr != nullptr && json::parse(m.doc, *textPtr)) m.type = text(m.doc, "type");
  return m;
}

void add(std::string& out, const std::string& phrase) {
  if (phrase.empty()) return;
  if (!out.empty()) out += "; ";
  out += phrase;
}

std::string replyPhrase(const Message& m) {
  if (m.type == "error") return "error " + text(m.doc, "code");
  if (m.type == "send_success") {
    const auto* offline = json::member(m.doc, "offline");
    if (offline != nullptr && offline->IsArray()) {
      return "delivered to [" + joined(json::member(m.doc, "to")) + "], stored for [" + joined(offline) + "]" +
             (json::member(m.doc, "failed") != nullptr
                  ? ", inbox full for [" + joined(json::member(m.doc, "failed")) + "]"
                  : "");
    }
    return offline != nullptr && offline->IsTrue() ? "stored (recipient offline)" : "delivered live";
  }
  if (m.type == "room_created" || m.type == "room_joined") return "members: " + joined(json::member(m.doc, "members"));
  if (m.type == "list") return "online: " + joined(json::member(m.doc, "uids"));
  if (m.type == "online_result") {
    const auto* online = json::member(m.doc, "online");
    return text(m.doc, "uid") + (online != nullptr && online->IsTrue() ? " is online" : " is offline");
  }
  return "";
}

}  // namespace

// ---- selection ------------------------------------------------------------------------------

TimelineSelector::TimelineSelector(TimelineSpec spec)
    : spec_(std::move(spec)), uidFilter_(FilterSpec{spec_.project, {}, spec_.uid, spec_.since, spec_.until}) {}

void TimelineSelector::learn(const Event& e) {
  if (spec_.uid) return uidFilter_.learn(e);
  const bool joins = e.type == EventType::kRoomCreate || e.type == EventType::kRoomJoin;
  if (joins && namesRoom(e)) roomConns_.insert(e.conn);
}

bool TimelineSelector::matches(const Event& e) {
  if (spec_.uid) return uidFilter_.matches(e);
  const bool selected = roomMatches(e);
  if (spec_.since && e.ts < *spec_.since) return false;
  if (spec_.until && e.ts >= *spec_.until) return false;
  return selected;
}

bool TimelineSelector::namesRoom(const Event& e) const {
  return e.project == spec_.project && text(e.data, "roomId") == *spec_.room;
}

bool TimelineSelector::roomMatches(const Event& e) {
  if (e.project != spec_.project) return false;
  switch (e.type) {
    case EventType::kConnOpen:
      if (!roomConns_.contains(e.conn)) return false;
      liveNodes_[e.conn] = e.node;
      return true;
    case EventType::kUidBind: return roomConns_.contains(e.conn);
    case EventType::kConnClose: return liveNodes_.erase(e.conn) > 0;
    case EventType::kNodeStart:
    case EventType::kNodeDown: {
      const std::string node = e.type == EventType::kNodeStart ? e.node : text(e.data, "node");
      return std::erase_if(liveNodes_, [&](const auto& entry) { return entry.second == node; }) > 0;
    }
    case EventType::kRoomCreate:
    case EventType::kRoomJoin:
    case EventType::kRoomLeave:
    case EventType::kSignalOffer:
    case EventType::kSignalAnswer:
    case EventType::kSignalIce: return namesRoom(e);
    default: return false;
  }
}

// ---- telling ----------------------------------------------------------------------------------

std::string describe(const Event& e) {
  switch (e.type) {
    case EventType::kConnOpen: return text(e.data, "transport") + ", mode " + text(e.data, "mode");
    case EventType::kConnClose:
      return "code " + std::to_string(json::int64(e.data, "code").value_or(0)) + " " + text(e.data, "reason");
    case EventType::kUidBind: return "as " + text(e.data, "uid");
    case EventType::kMessageDirect: return text(e.data, "from") + " to " + text(e.data, "to");
    case EventType::kMessageMulticast: return text(e.data, "from") + " to [" + joined(json::member(e.data, "to")) + "]";
    case EventType::kMessageBroadcast: return text(e.data, "from") + " to everyone";
    case EventType::kQueryOnline: return "is " + text(e.data, "uid") + " online?";
    case EventType::kRoomCreate:
    case EventType::kRoomJoin:
    case EventType::kRoomLeave: return "room " + text(e.data, "roomId");
    case EventType::kSignalOffer: return signalDetail(e, "offer");
    case EventType::kSignalAnswer: return signalDetail(e, "answer");
    case EventType::kSignalIce: return signalDetail(e, "ice");
    case EventType::kNodeStart: return "gateway " + e.node + " started";
    case EventType::kNodeDown: return "gateway " + text(e.data, "node") + " declared down";
    case EventType::kProjectCreate:
    case EventType::kProjectDelete: return "project " + text(e.data, "key");
    case EventType::kMailRequest:
    case EventType::kMailAccepted:
    case EventType::kMailRejected:
    case EventType::kMailSent:
    case EventType::kMailFailed: return mailDetail(e);
    default: return "";
  }
}

std::string outcome(const Event& e, const Effects& fx) {
  std::string out;
  if (fx.rejection) add(out, "refused: " + fx.rejection->code);
  if (fx.mail) {
    add(out, std::string(fx.mail->accepted ? "accepted" : "refused") + " (" + std::to_string(fx.mail->count) + "/" +
                 std::to_string(fx.mail->max) + " in the window)");
  }
  std::size_t signals = 0;
  std::size_t stored = 0;
  for (const auto& d : fx.deliveries) {
    const Message m = parse(d.message);
    if (m.type.starts_with("webrtc_")) ++signals;
    if (m.type == "direct" && e.type == EventType::kUidBind) ++stored;
    if (m.type == "online" || m.type == "offline") add(out, text(m.doc, "uid") + " " + m.type);
    if (m.type == "room_member_left") add(out, text(m.doc, "uid") + " left room " + text(m.doc, "roomId"));
    if (m.type == "room_member_joined") add(out, "told the room's other members");
    if (d.to == Delivery::To::kConn && d.target == e.conn) add(out, replyPhrase(m));
  }
  if (signals > 0) add(out, "delivered to " + std::to_string(signals) + " connection(s)");
  if (stored > 0) add(out, "handed " + std::to_string(stored) + " stored message(s) over");
  for (const auto& c : fx.closes) add(out, "closes " + c.conn + " (" + std::to_string(c.code) + " " + c.reason + ")");
  return out;
}

void TimelineRenderer::follow(const Event& e) {
  if (e.type == EventType::kUidBind && !uids_.contains(e.conn)) uids_[e.conn] = text(e.data, "uid");
}

std::string TimelineRenderer::line(const LogRecord& record, const Effects& effects) const {
  const Event& e = *record.event;
  auto uid = uids_.find(e.conn);
  std::string who = e.conn.empty() ? "-" : e.conn.substr(0, 12);
  if (uid != uids_.end()) who += " (" + uid->second + ")";
  std::string out = formatTime(e.ts) + "  " + positionText(record.position, partitioned_) + "  " +
                    std::string(eventTypeName(e.type)) + "  " + who;
  if (auto what = describe(e); !what.empty()) out += "  " + what;
  if (auto did = outcome(e, effects); !did.empty()) out += "  => " + did;
  return out + "\n";
}

}  // namespace wsd::wslog
