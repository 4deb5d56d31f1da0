// The projector's part of the server API (core/api_call.h): the events only an app
// backend makes. Its messages and its online/list queries are the clients' events with
// an empty conn (projector.cpp fills Effects::sent and Effects::query for them).
#include "core/error_codes.h"
#include "core/json.h"
#include "core/projector.h"

namespace wsd {

// conn.kick: the sessions end here, at the kick's place in the log (rooms left, `offline`
// when it was the uid's last session), exactly as when a gateway is declared down; so a
// message applied after the kick is stored, whichever gateway still holds the connection
// for a moment. Every gateway then closes the connections it holds; their conn.close
// events find no session and change nothing.
void Projector::connKick(const Event& e, Effects& fx) {
  std::vector<std::string> conns;
  if (auto uid = json::string(e.data, "uid")) {
    conns = store_.connsOfUid(e.project, *uid);
  } else if (auto conn = json::string(e.data, "conn")) {
    auto session = store_.session(*conn);
    if (session && session->project == e.project) conns.push_back(*conn);  // never another project's
  }
  for (const auto& conn : conns) endSession(conn, e.ts, fx);
  fx.close(conns, static_cast<int>(json::int64(e.data, "code").value_or(4001)),
           json::string(e.data, "reason").value_or(error_codes::kKicked.name));
}

void Projector::queryRoom(const Event& e, Effects& fx) {
  const auto room = json::string(e.data, "roomId").value_or("");
  fx.query = QueryOutcome{false, store_.roomMemberUids(e.project, room)};
}

}  // namespace wsd
