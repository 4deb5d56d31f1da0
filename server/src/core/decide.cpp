#include "core/decide.h"

#include "core/error_codes.h"
#include "core/json.h"

namespace wsd {
namespace {

Decision reply(server_message::Text text) {
  Decision d;
  d.kind = Decision::Kind::kReply;
  d.reply = std::move(text);
  return d;
}

Decision append(std::shared_ptr<Event> event) {
  Decision d;
  d.kind = Decision::Kind::kAppend;
  d.event = std::move(event);
  return d;
}

}  // namespace

bool needsBind(ClientType type) {
  switch (type) {
    case ClientType::kBind:
    case ClientType::kList:
    case ClientType::kOnline:
    case ClientType::kPing:
    case ClientType::kPong:
    case ClientType::kSub:  // a client may filter before it binds, to miss nothing it does not want
    case ClientType::kUnsub:
    case ClientType::kLsunsub: return false;
    default: return true;
  }
}

namespace {

EventType eventTypeFor(ClientType type) {
  switch (type) {
    case ClientType::kBind: return EventType::kUidBind;
    case ClientType::kSend: return EventType::kMessageDirect;
    case ClientType::kMulticast: return EventType::kMessageMulticast;
    case ClientType::kBroadcast: return EventType::kMessageBroadcast;
    case ClientType::kList: return EventType::kQueryList;
    case ClientType::kOnline: return EventType::kQueryOnline;
    case ClientType::kRoomCreate: return EventType::kRoomCreate;
    case ClientType::kRoomJoin: return EventType::kRoomJoin;
    case ClientType::kRoomLeave: return EventType::kRoomLeave;
    case ClientType::kWebrtcOffer: return EventType::kSignalOffer;
    case ClientType::kWebrtcAnswer: return EventType::kSignalAnswer;
    case ClientType::kSub:
    case ClientType::kUnsub:
    case ClientType::kLsunsub: return EventType::kConnFilter;
    case ClientType::kAck: return EventType::kMessageAck;
    case ClientType::kRoomSend: return EventType::kRoomMessage;
    case ClientType::kRoomHistory: return EventType::kQueryRoomHistory;
    default: return EventType::kSignalIce;
  }
}

// Copies the fields an event keeps from the client message (schema-checked already).
void copyFields(const ClientMessage& m, Event& e, std::initializer_list<const char*> names) {
  for (const char* name : names) {
    const auto* v = json::member(m.body, name);
    if (v == nullptr) continue;
    rapidjson::Value copy(*v, e.alloc());
    e.data.AddMember(rapidjson::StringRef(name), copy, e.alloc());
  }
}

bool isTrue(const rapidjson::Value* v) { return v != nullptr && v->IsBool() && v->GetBool(); }

void fillData(const ClientMessage& m, const ConnectionView& c, const DecideContext& ctx, Event& e) {
  switch (m.type) {
    case ClientType::kBind:
      copyFields(m, e, {"uid"});
      // The log shows that the backend vouched for this uid, and until when.
      if (ctx.bindSignature == BindSignature::kValid) {
        e.data.AddMember("signed", true, e.alloc());
        copyFields(m, e, {"exp"});
      }
      break;
    case ClientType::kSend:
    case ClientType::kMulticast:
      addString(e, "from", c.uid);
      copyFields(m, e, {"to", "msg"});
      e.data.AddMember("expiresAt", ctx.nowMs + ctx.offlineTtlMs, e.alloc());
      break;
    case ClientType::kBroadcast:
      addString(e, "from", c.uid);
      copyFields(m, e, {"msg"});
      break;
    case ClientType::kOnline: copyFields(m, e, {"uid"}); break;
    case ClientType::kRoomCreate:
    case ClientType::kRoomJoin: copyFields(m, e, {"roomId", "since"}); break;
    case ClientType::kRoomLeave: copyFields(m, e, {"roomId"}); break;
    case ClientType::kRoomSend:
      copyFields(m, e, {"roomId"});
      addString(e, "from", c.uid);
      copyFields(m, e, {"msg"});
      e.data.AddMember("echo", isTrue(json::member(m.body, "echo")), e.alloc());
      break;
    case ClientType::kRoomHistory: copyFields(m, e, {"roomId", "since", "before", "limit"}); break;
    case ClientType::kWebrtcOffer:
    case ClientType::kWebrtcAnswer: copyFields(m, e, {"roomId", "to", "sdp"}); break;
    case ClientType::kWebrtcIce: copyFields(m, e, {"roomId", "to", "candidate"}); break;
    // conn.filter: `op` says which; the projector applies it to the filter it keeps.
    case ClientType::kSub:
      addString(e, "op", "sub");
      copyFields(m, e, {"events"});
      break;
    case ClientType::kUnsub:
      addString(e, "op", "unsub");
      copyFields(m, e, {"events"});
      break;
    case ClientType::kLsunsub: addString(e, "op", "list"); break;
    case ClientType::kAck: copyFields(m, e, {"ids"}); break;
    default: break;
  }
}

}  // namespace

std::shared_ptr<Event> newEvent(EventType type, std::string project, std::string conn, const DecideContext& ctx) {
  auto event = std::make_shared<Event>();
  event->id = ctx.ids->next(ctx.nowMs);
  event->ts = ctx.nowMs;
  event->project = std::move(project);
  event->node = std::string(ctx.node);
  event->conn = std::move(conn);
  event->type = type;
  return event;
}

Decision decide(const ClientMessage& m, const ConnectionView& c, const DecideContext& ctx) {
  if (m.type == ClientType::kPong) return Decision{Decision::Kind::kPongReceived, nullptr, nullptr, {}};
  if (m.type == ClientType::kPing) return reply(server_message::pong());
  if (needsBind(m.type) && c.uid.empty())
    return reply(server_message::error(error_codes::kNotBound.name, "bind a uid first"));
  if (m.type == ClientType::kBind) {
    auto uid = json::string(m.body, "uid").value_or("");
    if (!c.uid.empty() && c.uid != uid) {
      return reply(server_message::error(error_codes::kAlreadyBound.name,
                                         "this connection is bound to '" + std::string(c.uid) + "'"));
    }
    if (auto code = bindSignatureErrorCode(ctx.bindSignature); !code.empty()) {
      return reply(server_message::error(code, bindSignatureErrorMessage(ctx.bindSignature)));
    }
  }
  // A page is read forwards from a position or backwards from an offset, never both.
  if (m.type == ClientType::kRoomHistory && m.body.HasMember("since") && m.body.HasMember("before")) {
    return reply(server_message::error(error_codes::kInvalidMessage.name,
                                       "room_history: name at most one of 'since' and 'before'"));
  }
  if (m.type == ClientType::kMulticast && json::member(m.body, "to")->Size() > ctx.multicastMax) {
    return reply(server_message::error(error_codes::kTooManyRecipients.name,
                                       "multicast to more than " + std::to_string(ctx.multicastMax) + " uids"));
  }
  auto event = newEvent(eventTypeFor(m.type), std::string(c.project), std::string(c.conn), ctx);
  fillData(m, c, ctx, *event);
  Decision d = append(std::move(event));
  if (m.type == ClientType::kBind) d.boundUid = json::string(m.body, "uid").value_or("");
  return d;
}

std::shared_ptr<Event> decideUndelivered(std::string project, std::string conn, std::string_view rendered,
                                         const DecideContext& ctx) {
  json::Document message;
  message.Parse(rendered.data(), rendered.size());
  if (message.HasParseError() || !message.IsObject() || json::string(message, "type") != "direct") return nullptr;
  const auto* msg = json::member(message, "msg");
  auto to = json::string(message, "to");
  if (msg == nullptr || !to || to->empty()) return nullptr;
  auto e = newEvent(EventType::kMessageUndelivered, std::move(project), std::move(conn), ctx);
  addString(*e, "to", *to);
  addString(*e, "id", json::string(message, "id").value_or(""));
  addString(*e, "from", json::string(message, "from").value_or(""));
  e->data.AddMember("msg", rapidjson::Value(*msg, e->alloc()), e->alloc());
  e->data.AddMember("ts", json::int64(message, "timestamp").value_or(ctx.nowMs), e->alloc());
  e->data.AddMember("expiresAt", ctx.nowMs + ctx.offlineTtlMs, e->alloc());
  return e;
}

std::shared_ptr<Event> acknowledgment(std::string project, std::string_view changeId, const DecideContext& ctx) {
  auto e = newEvent(EventType::kNodeApplied, std::move(project), "", ctx);
  addString(*e, "event", changeId);
  return e;
}

}  // namespace wsd
