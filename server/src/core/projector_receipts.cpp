// The projector's part of delivery receipts: how a bind hands out the uid's stored
// messages, and what an `ack` (event message.ack) removes.
//
// By default a bind takes the stored messages: each is delivered once, and lost if the
// connection drops before the client read it (the seed's behaviour). With the project
// setting offlineAtLeastOnce a bind only reads them: they stay stored, and every later
// bind of the uid delivers them again, until the client acknowledges their ids or they
// expire. Both are decided at the bind's place in the log, from the project record as it
// stood there, so every process that applies the log delivers the same messages.
#include "core/error_codes.h"
#include "core/json.h"
#include "core/projector.h"

namespace wsd {

void Projector::deliverInbox(const Event& e, const std::string& uid, Effects& fx) {
  auto project = store_.project(e.project);
  const bool keep = project && project->settings.offlineAtLeastOnce;
  auto messages = keep ? store_.inbox(e.project, uid) : store_.takeInbox(e.project, uid);
  for (const auto& m : messages) {
    fx.toConn(e.conn, server_message::directFromJson({m.id, m.from, m.to, nullptr, m.ts, true}, m.msgJson));
  }
}

// The reply names only the ids that were stored and are now gone: acknowledging a live
// message, or one already acknowledged or expired, is not an error.
void Projector::messageAck(const Event& e, Effects& fx) {
  auto session = store_.session(e.conn);
  if (!session) return;
  if (session->uid.empty())
    return fx.toConn(e.conn, server_message::error(error_codes::kNotBound.name, "bind a uid first"));
  std::vector<std::string> ids;
  if (const auto* listed = json::member(e.data, "ids"); listed != nullptr && listed->IsArray()) {
    for (const auto& id : listed->GetArray()) {
      if (id.IsString()) ids.emplace_back(json::view(id));
    }
  }
  fx.toConn(e.conn, server_message::ackSuccess(store_.removeFromInbox(e.project, session->uid, ids)));
}

// A direct message its session never received (the gateway ended the session over its
// output budget) is stored for the uid like one sent while it was offline, under its
// original id, so a client that did get it can tell the copy; a full inbox drops it, as
// it refuses a new one.
//
// Most arrive before the session's conn.close, as the gateway sends them first. One that
// arrives after it was applied to a message that reached the session while its close was
// on the way to the log (with Kafka, a broker round trip): the uid may have bound again
// since, and taken its inbox already. Its live sessions get it now, as their bind would
// have handed it out; it stays stored only where a bind leaves messages stored
// (offlineAtLeastOnce).
void Projector::messageUndelivered(const Event& e, Effects& fx) {
  auto to = json::string(e.data, "to").value_or("");
  const auto* msg = json::member(e.data, "msg");
  if (to.empty() || msg == nullptr) return;
  store::StoredMessage kept{json::string(e.data, "id").value_or(e.id),
                            json::string(e.data, "from").value_or(""),
                            to,
                            json::stringify(*msg),
                            json::int64(e.data, "ts").value_or(e.ts),
                            json::int64(e.data, "expiresAt").value_or(e.ts)};
  const bool afterItsClose = !store_.session(e.conn);
  const auto live = afterItsClose ? store_.connsOfUid(e.project, to) : std::vector<std::string>{};
  for (const auto& conn : live) {
    fx.toConn(conn,
              server_message::directFromJson({kept.id, kept.from, kept.to, nullptr, kept.ts, true}, kept.msgJson));
  }
  auto project = store_.project(e.project);
  const bool bindKeeps = project && project->settings.offlineAtLeastOnce;
  if (!live.empty() && !bindKeeps) return;
  if (store_.inboxSize(e.project, to) >= limits_.inboxMax) return;
  store_.pushInbox(e.project, to, kept);
}

}  // namespace wsd
