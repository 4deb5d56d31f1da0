#include "core/server_messages.h"

#include "core/json.h"

namespace wsd::server_message {
namespace {

// Renders one object: `body` writes the fields after "type".
template <typename Body>
Text render(std::string_view type, Body&& body) {
  rapidjson::StringBuffer buffer;
  json::Writer w(buffer);
  w.StartObject();
  json::field(w, "type", type);
  body(w);
  w.EndObject();
  return std::make_shared<const std::string>(buffer.GetString(), buffer.GetSize());
}

void stringArray(json::Writer& w, std::string_view key, const std::vector<std::string>& items) {
  json::key(w, key);
  w.StartArray();
  for (const auto& item : items) json::str(w, item);
  w.EndArray();
}

void directBody(json::Writer& w, const DirectFields& f) {
  json::field(w, "from", f.from);
  json::field(w, "to", f.to);
}

void directTail(json::Writer& w, const DirectFields& f) {
  json::field(w, "id", f.id);
  json::field(w, "timestamp", f.timestamp);
  if (f.offline) {
    json::key(w, "offline");
    w.Bool(true);
  }
}

}  // namespace

Text connected(std::string_view connId, std::string_view secret) {
  return render("connected", [&](json::Writer& w) {
    json::field(w, "connId", connId);
    if (!secret.empty()) json::field(w, "secret", secret);
  });
}

Text bindSuccess(std::string_view uid) {
  return render("bind_success", [&](json::Writer& w) { json::field(w, "uid", uid); });
}

Text direct(const DirectFields& f) {
  return render("direct", [&](json::Writer& w) {
    directBody(w, f);
    json::key(w, "msg");
    json::value(w, *f.msg);
    directTail(w, f);
  });
}

Text directFromJson(const DirectFields& f, std::string_view msgJson) {
  return render("direct", [&](json::Writer& w) {
    directBody(w, f);
    json::key(w, "msg");
    w.RawValue(msgJson.data(), msgJson.size(), rapidjson::kObjectType);
    directTail(w, f);
  });
}

Text broadcast(std::string_view id, std::string_view from, const rapidjson::Value& msg, std::int64_t timestamp) {
  return render("broadcast", [&](json::Writer& w) {
    json::key(w, "msg");
    json::value(w, msg);
    json::field(w, "timestamp", timestamp);
    json::field(w, "from", from);
    json::field(w, "id", id);
  });
}

Text sendSuccess(std::string_view id, std::string_view to, bool offline) {
  return render("send_success", [&](json::Writer& w) {
    json::field(w, "to", to);
    if (offline) {
      json::key(w, "offline");
      w.Bool(true);
    }
    json::field(w, "id", id);
  });
}

Text multicastSuccess(std::string_view id, const std::vector<std::string>& delivered,
                      const std::vector<std::string>& stored, const std::vector<std::string>& failed) {
  return render("send_success", [&](json::Writer& w) {
    stringArray(w, "to", delivered);
    stringArray(w, "offline", stored);
    if (!failed.empty()) stringArray(w, "failed", failed);
    json::field(w, "id", id);
  });
}

Text onlineResult(std::string_view uid, bool online) {
  return render("online_result", [&](json::Writer& w) {
    json::field(w, "uid", uid);
    json::key(w, "online");
    w.Bool(online);
  });
}

Text list(const std::vector<std::string>& uids) {
  return render("list", [&](json::Writer& w) { stringArray(w, "uids", uids); });
}

Text presence(bool online, std::string_view uid, std::int64_t timestamp) {
  return render(online ? "online" : "offline", [&](json::Writer& w) {
    json::field(w, "uid", uid);
    json::field(w, "timestamp", timestamp);
  });
}

Text ping() {
  static const Text kPing = render("ping", [](json::Writer&) {});
  return kPing;
}

Text pong() {
  static const Text kPong = render("pong", [](json::Writer&) {});
  return kPong;
}

Text error(std::string_view code, std::string_view msg) {
  return render("error", [&](json::Writer& w) {
    json::field(w, "code", code);
    json::field(w, "msg", msg);
  });
}

Text room(std::string_view type, std::string_view roomId, const std::vector<std::string>* members) {
  return render(type, [&](json::Writer& w) {
    json::field(w, "roomId", roomId);
    if (members != nullptr) stringArray(w, "members", *members);
  });
}

Text roomJoined(const RoomJoinFields& f) {
  return render(f.type, [&](json::Writer& w) {
    json::field(w, "roomId", f.roomId);
    stringArray(w, "members", f.members);
    json::field(w, "offset", f.offset);
    json::field(w, "epoch", f.epoch);
    if (f.recovered == nullptr) return;
    json::key(w, "recovered");
    w.Bool(*f.recovered);
    if (!*f.recovered) json::field(w, "reason", f.reason);
  });
}

namespace {

void roomMessageBody(json::Writer& w, const RoomMessageFields& f) {
  json::field(w, "roomId", f.roomId);
  json::field(w, "from", f.from);
  json::key(w, "msg");
  w.RawValue(f.msgJson.data(), f.msgJson.size(), rapidjson::kObjectType);
  json::field(w, "offset", f.offset);
  json::field(w, "epoch", f.epoch);
  json::field(w, "id", f.id);
  json::field(w, "timestamp", f.timestamp);
}

}  // namespace

Text roomMessage(const RoomMessageFields& f) {
  return render("room_message", [&](json::Writer& w) { roomMessageBody(w, f); });
}

Text roomSendSuccess(std::string_view roomId, std::int64_t offset, std::string_view epoch, std::string_view id) {
  return render("room_send_success", [&](json::Writer& w) {
    json::field(w, "roomId", roomId);
    json::field(w, "offset", offset);
    json::field(w, "epoch", epoch);
    json::field(w, "id", id);
  });
}

Text roomHistory(std::string_view roomId, std::string_view epoch, std::int64_t offset,
                 const std::vector<RoomMessageFields>& messages, bool hasMore) {
  return render("room_history", [&](json::Writer& w) {
    json::field(w, "roomId", roomId);
    json::field(w, "epoch", epoch);
    json::field(w, "offset", offset);
    json::key(w, "messages");
    w.StartArray();
    for (const auto& m : messages) {
      w.StartObject();
      json::field(w, "type", "room_message");
      roomMessageBody(w, m);
      w.EndObject();
    }
    w.EndArray();
    json::key(w, "hasMore");
    w.Bool(hasMore);
  });
}

Text roomMember(bool joined, std::string_view roomId, std::string_view uid) {
  return render(joined ? "room_member_joined" : "room_member_left", [&](json::Writer& w) {
    json::field(w, "roomId", roomId);
    json::field(w, "uid", uid);
  });
}

Text signal(std::string_view type, std::string_view roomId, std::string_view from, std::string_view to,
            std::string_view payloadKey, const rapidjson::Value& payload) {
  return render(type, [&](json::Writer& w) {
    json::field(w, "roomId", roomId);
    json::field(w, "from", from);
    json::field(w, "to", to);
    json::key(w, payloadKey);
    json::value(w, payload);
  });
}

Text closed(int code, std::string_view reason) {
  return render("closed", [&](json::Writer& w) {
    json::field(w, "code", code);
    json::field(w, "reason", reason);
  });
}

Text filterEvents(std::string_view type, const std::vector<std::string>& events) {
  return render(type, [&](json::Writer& w) { stringArray(w, "events", events); });
}

Text ackSuccess(const std::vector<std::string>& ids) {
  return render("ack_success", [&](json::Writer& w) { stringArray(w, "ids", ids); });
}

}  // namespace wsd::server_message
