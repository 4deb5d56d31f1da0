// One small decoder per message type, picked by `type` from a table.
#include "server_messages.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <utility>

namespace wsclient::detail {
namespace {

using Value = rapidjson::Value;

const Value* member(const Value& m, const char* key) {
  auto it = m.FindMember(key);
  return it == m.MemberEnd() ? nullptr : &it->value;
}

std::string str(const Value& m, const char* key) {
  const Value* v = member(m, key);
  return v != nullptr && v->IsString() ? std::string(v->GetString(), v->GetStringLength()) : std::string();
}

bool boolean(const Value& m, const char* key) {
  const Value* v = member(m, key);
  return v != nullptr && v->IsBool() && v->GetBool();
}

std::int64_t int64(const Value& m, const char* key) {
  const Value* v = member(m, key);
  return v != nullptr && v->IsInt64() ? v->GetInt64() : 0;
}

std::vector<std::string> strings(const Value* v) {
  std::vector<std::string> out;
  if (v == nullptr || !v->IsArray()) return out;
  for (const auto& item : v->GetArray()) {
    if (item.IsString()) out.emplace_back(item.GetString(), item.GetStringLength());
  }
  return out;
}

std::string jsonText(const Value* v) {
  if (v == nullptr) return "null";
  rapidjson::StringBuffer out;
  rapidjson::Writer<rapidjson::StringBuffer> w(out);
  v->Accept(w);
  return std::string(out.GetString(), out.GetSize());
}

std::optional<std::string> textOf(const Value* v) {
  if (v == nullptr || !v->IsString()) return std::nullopt;
  return std::string(v->GetString(), v->GetStringLength());
}

ServerEvent connected(const Value& m, std::string raw) {
  return Connected{str(m, "connId"), TransportKind::kWebSocket, false, false, std::move(raw)};
}

ServerEvent direct(const Value& m, std::string raw) {
  const Value* msg = member(m, "msg");
  return Direct{str(m, "from"), str(m, "to"),          jsonText(msg),         textOf(msg),
                str(m, "id"),   int64(m, "timestamp"), boolean(m, "offline"), std::move(raw)};
}

ServerEvent broadcast(const Value& m, std::string raw) {
  const Value* msg = member(m, "msg");
  return Broadcast{str(m, "from"), jsonText(msg), textOf(msg), str(m, "id"), int64(m, "timestamp"), std::move(raw)};
}

// send: "to" a uid and "offline": true when stored; multicast: both arrays.
ServerEvent sendSuccess(const Value& m, std::string raw) {
  SendSuccess out;
  const Value* to = member(m, "to");
  out.multicast = to != nullptr && to->IsArray();
  if (out.multicast) {
    out.to = strings(to);
    out.offline = strings(member(m, "offline"));
  } else {
    out.to = {str(m, "to")};
    if (boolean(m, "offline")) out.offline = out.to;
  }
  out.id = str(m, "id");
  out.raw = std::move(raw);
  return out;
}

ServerEvent presence(const Value& m, std::string raw, bool online) {
  return Presence{str(m, "uid"), online, int64(m, "timestamp"), std::move(raw)};
}

ServerEvent error(const Value& m, std::string raw) {
  std::string code = str(m, "code");
  const ErrorCode known = errorCodeFromWire(code);
  return ServerError{known == ErrorCode::kNone ? ErrorCode::kUnknown : known, std::move(code), str(m, "msg"),
                     std::move(raw)};
}

RoomRecoveryReason recoveryReason(const Value& m) {
  const std::string reason = str(m, "reason");
  if (reason == "history_trimmed") return RoomRecoveryReason::kHistoryTrimmed;
  if (reason == "epoch_changed") return RoomRecoveryReason::kEpochChanged;
  if (reason.empty()) return RoomRecoveryReason::kNone;
  return RoomRecoveryReason::kUnknownOffset;  // unknown_offset, or a reason newer than this SDK
}

ServerEvent room(const Value& m, std::string raw, RoomEvent::Kind kind) {
  RoomEvent out;
  out.kind = kind;
  out.roomId = str(m, "roomId");
  out.members = strings(member(m, "members"));
  out.uid = str(m, "uid");
  out.offset = int64(m, "offset");
  out.epoch = str(m, "epoch");
  if (const Value* recovered = member(m, "recovered"); recovered != nullptr && recovered->IsBool()) {
    out.recovered = recovered->GetBool();
    if (!recovered->GetBool()) out.reason = recoveryReason(m);
  }
  out.raw = std::move(raw);
  return out;
}

RoomMessage roomMessage(const Value& m, std::string raw) {
  const Value* msg = member(m, "msg");
  return RoomMessage{str(m, "roomId"), str(m, "from"), jsonText(msg),         textOf(msg),   int64(m, "offset"),
                     str(m, "epoch"),  str(m, "id"),   int64(m, "timestamp"), std::move(raw)};
}

ServerEvent roomHistory(const Value& m, std::string raw) {
  RoomHistoryPage out;
  out.roomId = str(m, "roomId");
  if (const Value* messages = member(m, "messages"); messages != nullptr && messages->IsArray()) {
    for (const auto& item : messages->GetArray()) {
      if (item.IsObject()) out.messages.push_back(roomMessage(item, jsonText(&item)));
    }
  }
  out.hasMore = boolean(m, "hasMore");
  out.epoch = str(m, "epoch");
  out.offset = int64(m, "offset");
  out.raw = std::move(raw);
  return out;
}

ServerEvent signal(const Value& m, std::string raw, Signal::Kind kind) {
  const Value* payload = member(m, kind == Signal::Kind::kIce ? "candidate" : "sdp");
  return Signal{kind, str(m, "roomId"), str(m, "from"), str(m, "to"), jsonText(payload), std::move(raw)};
}

ServerEvent closedNotice(const Value& m) {
  const Value* code = member(m, "code");
  return ClosedNotice{code != nullptr && code->IsInt() ? code->GetInt() : 1006, str(m, "reason")};
}

ServerEvent decodeByType(std::string_view type, const Value& m, std::string raw) {
  using RK = RoomEvent::Kind;
  using SK = Signal::Kind;
  if (type == "connected") return connected(m, std::move(raw));
  if (type == "bind_success") return BindSuccess{str(m, "uid"), std::move(raw)};
  if (type == "direct") return direct(m, std::move(raw));
  if (type == "broadcast") return broadcast(m, std::move(raw));
  if (type == "send_success") return sendSuccess(m, std::move(raw));
  if (type == "online_result") return OnlineResult{str(m, "uid"), boolean(m, "online"), std::move(raw)};
  if (type == "list") return ListResult{strings(member(m, "uids")), std::move(raw)};
  if (type == "online") return presence(m, std::move(raw), true);
  if (type == "offline") return presence(m, std::move(raw), false);
  if (type == "ping") return Heartbeat{true, std::move(raw)};
  if (type == "pong") return Heartbeat{false, std::move(raw)};
  if (type == "error") return error(m, std::move(raw));
  if (type == "room_created") return room(m, std::move(raw), RK::kCreated);
  if (type == "room_joined") return room(m, std::move(raw), RK::kJoined);
  if (type == "room_left") return room(m, std::move(raw), RK::kLeft);
  if (type == "room_member_joined") return room(m, std::move(raw), RK::kMemberJoined);
  if (type == "room_member_left") return room(m, std::move(raw), RK::kMemberLeft);
  if (type == "room_message") return roomMessage(m, std::move(raw));
  if (type == "room_send_success")
    return RoomSendResult{str(m, "roomId"), int64(m, "offset"), str(m, "epoch"), str(m, "id"), std::move(raw)};
  if (type == "room_history") return roomHistory(m, std::move(raw));
  if (type == "webrtc_offer") return signal(m, std::move(raw), SK::kOffer);
  if (type == "webrtc_answer") return signal(m, std::move(raw), SK::kAnswer);
  if (type == "webrtc_ice") return signal(m, std::move(raw), SK::kIce);
  if (type == "closed") return closedNotice(m);
  if (type == "unsub_success")
    return FilterResult{FilterResult::Kind::kUnsub, strings(member(m, "events")), std::move(raw)};
  if (type == "sub_success")
    return FilterResult{FilterResult::Kind::kSub, strings(member(m, "events")), std::move(raw)};
  if (type == "lsunsub") return FilterResult{FilterResult::Kind::kList, strings(member(m, "events")), std::move(raw)};
  if (type == "ack_success") return AckResult{strings(member(m, "ids")), std::move(raw)};
  return std::monostate{};
}

}  // namespace

Decoded decodeServerMessage(std::string_view json) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError() || !doc.IsObject()) return Decoded{};
  Decoded out;
  out.type = str(doc, "type");
  out.event = decodeByType(out.type, doc, std::string(json));
  return out;
}

HttpError decodeHttpError(std::string_view body) {
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsObject()) return HttpError{};
  HttpError out;
  out.codeText = str(doc, "code");
  out.code = errorCodeFromWire(out.codeText);
  out.msg = str(doc, "msg");
  return out;
}

std::optional<std::string> jsonStringValue(std::string_view json) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError()) return std::nullopt;
  return textOf(&doc);
}

}  // namespace wsclient::detail
