// Effects: what applying one event asks the gateways to do. The projector computes them
// from the state at the event's position in the log, so every gateway that applies the
// same log reaches the same decisions; each gateway carries out the part that concerns
// the connections it holds.
#pragma once

#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/event_filter.h"
#include "core/result.h"
#include "core/server_messages.h"

namespace wsd {

struct Delivery {
  enum class To { kConn, kProject };
  To to = To::kConn;
  std::string target;      // a connId, or a project key for kProject
  std::string exceptConn;  // kProject: this connection is skipped
  server_message::Text message;
  // What a client's event filter may stop this as (core/event_filter.h); kNone: never.
  FilterMask kind = filter_kind::kNone;
};

struct CloseOrder {
  std::string conn;
  int code = 1000;
  std::string reason;
};

// The rate-limit decision on a mail.request: the same on every process that applies it,
// since it depends only on the log before it.
struct MailDecision {
  bool accepted = false;
  std::int64_t count = 0;         // the token's accepted mails in the window, this one included
  std::int64_t max = 0;           // the limit the request was made under
  std::int64_t retryAfterMs = 0;  // refused: when the oldest mail in the window leaves it
};

// What a message event did with each of its recipients, for a caller that has no
// connection to be told with send_success (the server API, gateway/routes/server_api_routes.h).
// Each distinct recipient is in exactly one list.
struct SendOutcome {
  std::vector<std::string> delivered;  // online: delivered live to its sessions
  std::vector<std::string> stored;     // offline: kept in its inbox for its next bind
  std::vector<std::string> failed;     // offline with a full inbox: dropped
};

// Where a room.message landed in its room's stream (for the server API's answer).
struct RoomSendOutcome {
  std::int64_t offset = 0;
  std::string epoch;
};

// A query's answer, for a caller with no connection (the server API).
struct QueryOutcome {
  bool online = false;            // query.online: the uid has a bound session
  std::vector<std::string> uids;  // query.list: online uids; query.room: the room's member uids (sorted)
};

// A change applying the event made that observers outside the sessions report (webhooks,
// webhook/hook_events.h): presence transitions, ended sessions, room membership.
struct Change {
  enum class Kind { kOnline, kOffline, kDisconnect, kRoomCreate, kRoomJoin, kRoomLeave };
  Kind kind = Kind::kOnline;
  std::string uid;   // empty for a session that never bound
  std::string conn;  // kDisconnect and room changes: the session
  std::string room;  // room changes
};

struct Effects {
  std::vector<Delivery> deliveries;  // in the order they must be sent
  std::vector<CloseOrder> closes;    // after the deliveries
  std::optional<Error> rejection;    // an admin action (or mail request) the state did not allow
  std::optional<MailDecision> mail;  // mail.request: what was decided
  // message.direct / multicast: who got it and who will; query.*: the answer (both for
  // the server API, whose calls have no connection to be told).
  std::optional<SendOutcome> sent;
  std::optional<QueryOutcome> query;
  // room.message: its offset and the room's epoch; nullopt when it was refused.
  std::optional<RoomSendOutcome> roomSent;
  // conn.filter: the acting connection's filter after the event, for the gateway holding
  // it (as bind teaches it the uid); nullopt for every other event.
  std::optional<FilterMask> filter;
  // What applying the event changed that observers outside the sessions report
  // (webhook/hook_events.h), in the order it happened.
  std::vector<Change> changes;

  // False where nobody carries deliveries out (a projector that only keeps the
  // projections, app/projector_role.h): they are dropped, and the messages given as a
  // `build` callable are not even built.
  bool deliveriesWanted = true;

  void toConn(const std::string& conn, server_message::Text message, FilterMask kind = filter_kind::kNone) {
    if (deliveriesWanted) deliveries.push_back({Delivery::To::kConn, conn, {}, std::move(message), kind});
  }
  void toConns(const std::vector<std::string>& conns, const server_message::Text& message,
               FilterMask kind = filter_kind::kNone) {
    for (const auto& conn : conns) toConn(conn, message, kind);
  }
  void toProject(const std::string& project, server_message::Text message, std::string except = {},
                 FilterMask kind = filter_kind::kNone) {
    if (deliveriesWanted) {
      deliveries.push_back({Delivery::To::kProject, project, std::move(except), std::move(message), kind});
    }
  }
  // The same with the message built only if it is wanted: for the messages every
  // message event sends, whose building is most of applying the event.
  template <std::invocable Build>
  void toConn(const std::string& conn, Build&& build, FilterMask kind = filter_kind::kNone) {
    if (deliveriesWanted) toConn(conn, server_message::Text(build()), kind);
  }
  template <std::invocable Build>
  void toConns(const std::vector<std::string>& conns, Build&& build, FilterMask kind = filter_kind::kNone) {
    if (deliveriesWanted && !conns.empty()) toConns(conns, server_message::Text(build()), kind);
  }
  template <std::invocable Build>
  void toProject(const std::string& project, Build&& build, FilterMask kind = filter_kind::kNone) {
    if (deliveriesWanted) toProject(project, server_message::Text(build()), {}, kind);
  }
  void close(const std::vector<std::string>& conns, int code, const std::string& reason) {
    for (const auto& conn : conns) closes.push_back({conn, code, reason});
  }
};

}  // namespace wsd
