// RapidJSON builds every message, so strings are escaped once and correctly. Payloads are
// parsed (O(size)) to refuse non-JSON before it is queued.
#include "client_messages.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <iterator>

namespace wsclient::detail {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

// 1-128 characters (UTF-8 code points), as the server's schemas say for uids and room ids.
bool validName(std::string_view name) {
  std::size_t points = 0;
  for (const char c : name) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++points;
  }
  return points >= 1 && points <= 128;
}

std::optional<rapidjson::Document> parseJson(std::string_view text) {
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError()) return std::nullopt;
  return doc;
}

void writeString(Writer& w, std::string_view text) {
  w.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

// {"type": type, ...fields written by `body`}
template <typename Body>
std::string message(std::string_view type, Body body) {
  rapidjson::StringBuffer out;
  Writer w(out);
  w.StartObject();
  w.Key("type");
  writeString(w, type);
  body(w);
  w.EndObject();
  return std::string(out.GetString(), out.GetSize());
}

void writeField(Writer& w, const char* key, std::string_view value) {
  w.Key(key);
  writeString(w, value);
}

}  // namespace

std::optional<std::string> encodeBind(std::string_view uid) {
  if (!validName(uid)) return std::nullopt;
  return message("bind", [&](Writer& w) { writeField(w, "uid", uid); });
}

std::optional<std::string> encodeSignedBind(std::string_view uid, std::int64_t exp, std::string_view sig) {
  const bool hex = sig.size() == 64 && sig.find_first_not_of("0123456789abcdefABCDEF") == std::string_view::npos;
  if (!validName(uid) || !hex || exp < 0) return std::nullopt;
  return message("bind", [&](Writer& w) {
    writeField(w, "uid", uid);
    w.Key("exp");
    w.Int64(exp);
    writeField(w, "sig", sig);
  });
}

std::optional<std::string> encodeFilter(std::string_view type, const std::vector<std::string>& events) {
  static constexpr std::string_view kKinds[] = {"online", "offline", "broadcast", "room_member_joined",
                                                "room_member_left"};
  if (events.empty() || events.size() > 16) return std::nullopt;
  for (const auto& event : events) {
    if (std::find(std::begin(kKinds), std::end(kKinds), event) == std::end(kKinds)) return std::nullopt;
  }
  return message(type, [&](Writer& w) {
    w.Key("events");
    w.StartArray();
    for (const auto& event : events) writeString(w, event);
    w.EndArray();
  });
}

std::string encodeLsunsub() {
  return message("lsunsub", [](Writer&) {});
}

std::optional<std::string> encodeAck(const std::vector<std::string>& ids) {
  if (ids.empty() || ids.size() > 1000) return std::nullopt;
  for (const auto& id : ids) {
    if (id.empty() || id.size() > 64) return std::nullopt;
  }
  return message("ack", [&](Writer& w) {
    w.Key("ids");
    w.StartArray();
    for (const auto& id : ids) writeString(w, id);
    w.EndArray();
  });
}

std::optional<std::string> encodeSend(std::string_view to, std::string_view msgJson) {
  auto msg = parseJson(msgJson);
  if (!validName(to) || !msg) return std::nullopt;
  return message("send", [&](Writer& w) {
    writeField(w, "to", to);
    w.Key("msg");
    msg->Accept(w);
  });
}

std::optional<std::string> encodeMulticast(const std::vector<std::string>& to, std::string_view msgJson) {
  auto msg = parseJson(msgJson);
  if (to.empty() || !msg) return std::nullopt;
  for (const auto& uid : to) {
    if (!validName(uid)) return std::nullopt;
  }
  return message("multicast", [&](Writer& w) {
    w.Key("to");
    w.StartArray();
    for (const auto& uid : to) writeString(w, uid);
    w.EndArray();
    w.Key("msg");
    msg->Accept(w);
  });
}

std::optional<std::string> encodeBroadcast(std::string_view msgJson) {
  auto msg = parseJson(msgJson);
  if (!msg) return std::nullopt;
  return message("broadcast", [&](Writer& w) {
    w.Key("msg");
    msg->Accept(w);
  });
}

std::optional<std::string> encodeOnline(std::string_view uid) {
  if (!validName(uid)) return std::nullopt;
  return message("online", [&](Writer& w) { writeField(w, "uid", uid); });
}

std::optional<std::string> encodeRoom(std::string_view type, std::string_view roomId) {
  if (!validName(roomId)) return std::nullopt;
  return message(type, [&](Writer& w) { writeField(w, "roomId", roomId); });
}

namespace {

constexpr std::int64_t kMaxOffset = 9007199254740991;  // 2^53 - 1: the schemas' bound
constexpr std::size_t kMaxEpochBytes = 128;
constexpr int kMaxHistoryLimit = 1000;

bool validPosition(const RoomPosition& position) {
  return position.offset >= 0 && position.offset <= kMaxOffset && position.epoch.size() <= kMaxEpochBytes;
}

void writePosition(Writer& w, const char* key, const RoomPosition& position) {
  w.Key(key);
  w.StartObject();
  w.Key("offset");
  w.Int64(position.offset);
  writeField(w, "epoch", position.epoch);
  w.EndObject();
}

}  // namespace

std::optional<std::string> encodeRoomJoin(std::string_view type, std::string_view roomId,
                                          const std::optional<RoomPosition>& since) {
  if (!validName(roomId) || (since && !validPosition(*since))) return std::nullopt;
  return message(type, [&](Writer& w) {
    writeField(w, "roomId", roomId);
    if (since) writePosition(w, "since", *since);
  });
}

std::optional<std::string> encodeRoomSend(std::string_view roomId, std::string_view msgJson, bool echo) {
  auto msg = parseJson(msgJson);
  if (!validName(roomId) || !msg) return std::nullopt;
  return message("room_send", [&](Writer& w) {
    writeField(w, "roomId", roomId);
    w.Key("msg");
    msg->Accept(w);
    if (echo) {
      w.Key("echo");
      w.Bool(true);
    }
  });
}

std::optional<std::string> encodeRoomHistory(std::string_view roomId, const RoomHistoryOptions& options) {
  if (!validName(roomId) || (options.since && options.before)) return std::nullopt;
  if (options.since && !validPosition(*options.since)) return std::nullopt;
  if (options.before && (*options.before < 1 || *options.before > kMaxOffset)) return std::nullopt;
  if (options.limit < 0 || options.limit > kMaxHistoryLimit) return std::nullopt;
  return message("room_history", [&](Writer& w) {
    writeField(w, "roomId", roomId);
    if (options.since) writePosition(w, "since", *options.since);
    if (options.before) {
      w.Key("before");
      w.Int64(*options.before);
    }
    if (options.limit > 0) {
      w.Key("limit");
      w.Int(options.limit);
    }
  });
}

std::optional<std::string> encodeSignal(std::string_view type, std::string_view roomId, std::string_view to,
                                        std::string_view payloadJson) {
  const bool ice = type == "webrtc_ice";
  auto payload = parseJson(payloadJson);
  if (!validName(roomId) || !validName(to) || !payload) return std::nullopt;
  if (!payload->IsObject() && !(ice && payload->IsNull())) return std::nullopt;
  return message(type, [&](Writer& w) {
    writeField(w, "roomId", roomId);
    writeField(w, "to", to);
    w.Key(ice ? "candidate" : "sdp");
    payload->Accept(w);
  });
}

std::optional<std::string> encodeRaw(std::string_view json) {
  auto doc = parseJson(json);
  if (!doc || !doc->IsObject()) return std::nullopt;
  auto type = doc->FindMember("type");
  if (type == doc->MemberEnd() || !type->value.IsString() || type->value.GetStringLength() == 0) return std::nullopt;
  rapidjson::StringBuffer out;
  Writer w(out);
  doc->Accept(w);
  return std::string(out.GetString(), out.GetSize());
}

std::string encodeList() { return R"({"type":"list"})"; }
std::string encodePing() { return R"({"type":"ping"})"; }
std::string encodePong() { return R"({"type":"pong"})"; }

std::string quoteJson(std::string_view text) {
  rapidjson::StringBuffer out;
  Writer w(out);
  writeString(w, text);
  return std::string(out.GetString(), out.GetSize());
}

}  // namespace wsclient::detail
