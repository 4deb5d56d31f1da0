// The projector's part of client event filters (`sub`, `unsub`, `lsunsub`: one event,
// conn.filter). The filter is kept with the session, so `lsunsub` is answered from the
// projection and any gateway deciding for the connection sees the same; the gateway that
// holds the connection learns the new filter from the effects and applies it to every
// delivery after this event (core/event_filter.h).
#include "core/event_filter.h"
#include "core/json.h"
#include "core/projector.h"

namespace wsd {
namespace {

FilterMask namedKinds(const Event& e) {
  FilterMask mask = filter_kind::kNone;
  const auto* events = json::member(e.data, "events");
  if (events == nullptr || !events->IsArray()) return mask;
  for (const auto& name : events->GetArray()) {
    if (name.IsString()) mask |= filterKindFromName(json::view(name)).value_or(filter_kind::kNone);
  }
  return mask;
}

}  // namespace

void Projector::connFilter(const Event& e, Effects& fx) {
  auto session = store_.session(e.conn);
  if (!session) return;
  const auto op = json::string(e.data, "op").value_or("list");
  const FilterMask before = filterMask(session->unsubscribed);
  FilterMask after = before;
  if (op == "unsub") after = before | namedKinds(e);
  if (op == "sub") after = before & static_cast<FilterMask>(~namedKinds(e));
  auto names = filterNames(after);
  if (after != before) store_.setSessionFilter(e.conn, names);
  if (op != "list") fx.filter = after;
  const char* reply = op == "sub" ? "sub_success" : op == "unsub" ? "unsub_success" : "lsunsub";
  fx.toConn(e.conn, server_message::filterEvents(reply, names));
}

}  // namespace wsd
