// The projector: event -> state change (+ effects). The only writer of the state store.
//
// Invariants kept here (each guarded by tests in test/unit/core/projector_test.cpp and
// test/integration/race.test.mjs):
//  1. Determinism: apply() reads nothing but the event and the store: no clock, no
//     randomness, no configuration that is not in the event. Replaying a log into an
//     empty store yields the same state every time.
//  2. The bind/send race loses nothing. Whether a message is live or stored is decided by
//     the log order alone: a message applied before its recipient's uid.bind finds no
//     session and goes to the inbox, which that uid.bind then drains right after
//     bind_success; one applied after the bind finds the session and is delivered live.
//     Each message is therefore delivered exactly once (or, in a project with
//     offlineAtLeastOnce, stored ones on every bind until acknowledged: projector_receipts.cpp).
//  3. Presence notifications fire on transitions only: `online` when a uid's first
//     session binds, `offline` when its last session ends.
//  4. The mail rate limit is decided by log order alone: a mail.request is accepted when
//     fewer than its `max` requests of the same token were accepted in the `windowMs`
//     before its ts (limit and window travel in the event). Every process applying the
//     log decides the same, so requests spread over gateways cannot together exceed it
//     (test/unit/core/projector_test.cpp, integration/distributed/mail_two_gateways).
//  5. A project's maxConnections holds by log order alone: a conn.open applied while the
//     project already has that many sessions opens nothing and closes its connection
//     (1008 too_many_connections), on every process alike, however many gateways admitted
//     connections at once (test/unit/core/projector_connection_cap_test.cpp,
//     integration/project_rules.test.mjs).
//  6. Room streams are numbered by log order alone: a room.message takes the offset after
//     its room's last one when applied, and the room's epoch is the id of the first
//     room.message applied to it; neither is in the event. Every process applying the log
//     (a restart, another gateway, a projector rebuilding a flushed Redis) numbers every
//     message the same, and a join with `since` is answered from the history as it stands at
//     the join's place in the log, so the missed messages and the live ones after meet with
//     no gap and no repeat (projector_room_history.cpp; test/unit/core/projector_room_history_test.cpp,
//     integration/rooms_history.test.mjs).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/effects.h"
#include "core/event.h"
#include "store/state_store.h"

namespace wsd {

struct ProjectorLimits {
  std::size_t inboxMax = 1000;    // stored messages per uid
  std::size_t roomsPerConn = 64;  // rooms one connection may be in
};

class Projector {
 public:
  // Whether apply() builds the deliveries among its effects: a process that carries none
  // out (app/projector_role.h) skips building the messages.
  enum class Deliveries { kBuild, kSkip };

  Projector(store::StateStore& store, ProjectorLimits limits, Deliveries deliveries = Deliveries::kBuild)
      : store_(store), limits_(limits), deliveries_(deliveries) {}

  Effects apply(const Event& event);

  // The answer to a query event (query.list, query.online, query.room) from the state as
  // it stands, changing nothing; nothing for any other type. For a query the log could
  // not take: reads go on while the log refuses writes (a full disk), and while it takes
  // no writes the state cannot change, so this is the answer the log would have given.
  std::optional<Effects> answerUnlogged(const Event& event);

 private:
  void nodeStart(const Event& e, Effects& fx);
  void nodeDown(const Event& e, Effects& fx);
  void projectCreate(const Event& e, Effects& fx);
  void projectDelete(const Event& e, Effects& fx);
  void projectUpdate(const Event& e, Effects& fx);
  void projectSecret(const Event& e, Effects& fx);
  void tokenIssue(const Event& e, Effects& fx);
  void tokenRevoke(const Event& e, Effects& fx);
  void tokenUpdate(const Event& e, Effects& fx);
  void connOpen(const Event& e, Effects& fx);
  void connClose(const Event& e, Effects& fx);
  void connFilter(const Event& e, Effects& fx);  // projector_filters.cpp
  void connKick(const Event& e, Effects& fx);    // projector_api.cpp
  void uidBind(const Event& e, Effects& fx);
  void messageDirect(const Event& e, Effects& fx);
  void messageMulticast(const Event& e, Effects& fx);
  void messageBroadcast(const Event& e, Effects& fx);
  void messageAck(const Event& e, Effects& fx);          // projector_receipts.cpp
  void messageUndelivered(const Event& e, Effects& fx);  // projector_receipts.cpp
  // Hands the uid's stored messages to the binding connection: taken (at most once), or
  // with the project's offlineAtLeastOnce kept until acknowledged. projector_receipts.cpp
  void deliverInbox(const Event& e, const std::string& uid, Effects& fx);
  void queryList(const Event& e, Effects& fx);
  void queryOnline(const Event& e, Effects& fx);
  void queryRoom(const Event& e, Effects& fx);  // projector_api.cpp
  void roomJoin(const Event& e, Effects& fx, std::string_view replyType);
  void roomLeave(const Event& e, Effects& fx);
  // projector_room_history.cpp: room messages, the recovery a join asks for, history pages.
  void roomMessage(const Event& e, Effects& fx);
  void queryRoomHistory(const Event& e, Effects& fx);
  void sendRecovery(const Event& e, const std::string& room, const std::vector<std::string>& members,
                    std::string_view replyType, Effects& fx);
  bool inRoom(const std::string& conn, const std::string& room) const;
  void signal(const Event& e, Effects& fx, std::string_view clientType, std::string_view payloadKey);
  void mailRequest(const Event& e, Effects& fx);
  void webhookAdd(const Event& e, Effects& fx);     // projector_webhooks.cpp
  void webhookRemove(const Event& e, Effects& fx);  // projector_webhooks.cpp

  // Ends a session: leaves its rooms (telling the other members) and, when it was its
  // uid's last session, tells the project the uid went offline.
  void endSession(const std::string& conn, std::int64_t ts, Effects& fx);
  std::vector<std::string> connsOfNodeInProject(std::string_view node, std::string_view project) const;
  // Stores `msgJson` for `to`; false when the inbox is full.
  bool store(const Event& e, const std::string& from, const std::string& to, std::string msgJson);

  store::StateStore& store_;
  ProjectorLimits limits_;
  Deliveries deliveries_;
};

}  // namespace wsd
