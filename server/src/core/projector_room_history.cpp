// The projector's room messages (docs/protocol.md, "Room messages, history and
// recovery"): numbering each room.message in its room's stream, keeping the history the
// project's retention allows, answering a join's `since` and room_history pages. See
// invariant 6 in projector.h; the pure rules are core/room_history.h.
#include <algorithm>

#include "core/error_codes.h"
#include "core/json.h"
#include "core/projector.h"
#include "core/room_history.h"

namespace wsd {
namespace sm = server_message;
namespace rh = room_history;

namespace {

// A history page holds at most this many messages; room_history's `limit` defaults to this.
constexpr std::int64_t kDefaultHistoryLimit = 100;
constexpr std::int64_t kMaxHistoryLimit = 1000;
constexpr std::int64_t kMsPerSecond = 1000;

struct Retention {
  std::size_t keep;
  std::int64_t ttlMs;
};

Retention retentionOf(const std::optional<store::ProjectRecord>& project) {
  const store::ProjectSettings settings = project ? project->settings : store::ProjectSettings{};
  return {static_cast<std::size_t>(std::max<std::int64_t>(settings.roomHistorySize, 0)),
          settings.roomHistoryTtl * kMsPerSecond};
}

sm::RoomMessageFields fieldsOf(const std::string& room, const std::string& epoch, const store::RoomMessage& m) {
  return {room, m.from, m.msgJson, m.offset, epoch, m.id, m.ts};
}

}  // namespace

bool Projector::inRoom(const std::string& conn, const std::string& room) const {
  auto rooms = store_.roomsOfConn(conn);
  return std::find(rooms.begin(), rooms.end(), room) != rooms.end();
}

// A client's message must come from a member; the server API's (no conn) from anyone.
void Projector::roomMessage(const Event& e, Effects& fx) {
  const auto room = json::string(e.data, "roomId").value_or("");
  if (!e.conn.empty() && !inRoom(e.conn, room)) {
    return fx.toConn(e.conn, sm::error(error_codes::kNotInRoom.name, "not a member of room '" + room + "'"));
  }
  const auto retention = retentionOf(store_.project(e.project));
  const auto stream = store_.roomStream(e.project, room);
  const std::string epoch = stream.epoch.empty() ? e.id : stream.epoch;
  const auto* msg = json::member(e.data, "msg");
  store::RoomMessage message{stream.offset + 1, e.id, json::string(e.data, "from").value_or(""),
                             msg == nullptr ? "null" : json::stringify(*msg), e.ts};
  store_.appendRoomMessage(e.project, room, epoch, message, retention.keep, e.ts - retention.ttlMs);
  fx.roomSent = RoomSendOutcome{message.offset, epoch};
  const auto* echo = json::member(e.data, "echo");
  auto members = store_.roomConns(e.project, room);
  if (echo == nullptr || !echo->IsBool() || !echo->GetBool()) std::erase(members, e.conn);
  fx.toConns(members, [&] { return sm::roomMessage(fieldsOf(room, epoch, message)); });
  if (!e.conn.empty()) fx.toConn(e.conn, [&] { return sm::roomSendSuccess(room, message.offset, epoch, e.id); });
}

// The join's reply, then (for a join with `since`) the retained messages after it. Both
// come from the history as it stands at the join's place in the log, so the next
// room.message applied is the next the joiner sees.
void Projector::sendRecovery(const Event& e, const std::string& room, const std::vector<std::string>& members,
                             std::string_view replyType, Effects& fx) {
  if (!fx.deliveriesWanted) return;  // a reply and a replay nobody will carry out
  const auto stream = store_.roomStream(e.project, room);
  const auto since = rh::position(json::member(e.data, "since"));
  if (!since) {
    return fx.toConn(e.conn, sm::roomJoined({replyType, room, members, stream.offset, stream.epoch, nullptr, {}}));
  }
  const auto retention = retentionOf(store_.project(e.project));
  auto recovery =
      rh::recover(stream, rh::unexpired(store_.roomMessages(e.project, room), e.ts, retention.ttlMs), *since);
  fx.toConn(e.conn, sm::roomJoined(
                        {replyType, room, members, stream.offset, stream.epoch, &recovery.recovered, recovery.reason}));
  for (const auto& m : recovery.messages) fx.toConn(e.conn, sm::roomMessage(fieldsOf(room, stream.epoch, m)));
}

void Projector::queryRoomHistory(const Event& e, Effects& fx) {
  const auto room = json::string(e.data, "roomId").value_or("");
  if (!inRoom(e.conn, room)) {
    return fx.toConn(e.conn, sm::error(error_codes::kNotInRoom.name, "not a member of room '" + room + "'"));
  }
  const auto stream = store_.roomStream(e.project, room);
  const auto since = rh::position(json::member(e.data, "since"));
  if (since && !rh::sameEpoch(stream, *since)) {
    return fx.toConn(e.conn, sm::error(error_codes::kEpochChanged.name,
                                       "the history of room '" + room + "' is now epoch '" + stream.epoch +
                                           "': offsets of another epoch mean nothing"));
  }
  const auto limit = static_cast<std::size_t>(
      std::clamp(json::int64(e.data, "limit").value_or(kDefaultHistoryLimit), std::int64_t{1}, kMaxHistoryLimit));
  const auto retained =
      rh::unexpired(store_.roomMessages(e.project, room), e.ts, retentionOf(store_.project(e.project)).ttlMs);
  const auto before = json::int64(e.data, "before");
  const auto page = since    ? rh::after(retained, since->offset, limit)
                    : before ? rh::before(retained, *before, limit)
                             : rh::newest(retained, limit);
  fx.toConn(e.conn, [&] {
    std::vector<sm::RoomMessageFields> messages;
    messages.reserve(page.messages.size());
    for (const auto& m : page.messages) messages.push_back(fieldsOf(room, stream.epoch, m));
    return sm::roomHistory(room, stream.epoch, stream.offset, messages, page.hasMore);
  });
}

}  // namespace wsd
