// What a webhook can be told: the hook event names a project chooses from, and how one
// applied log event (with what applying it changed, core/effects.h) turns into the
// occurrences that are posted.
//
//   connect     conn.open                                       {conn, transport, mode, node}
//   disconnect  a session ended (conn.close, conn.kick, node.*) {conn, uid, reason[, code]}
//   online      a uid's first session bound                     {uid}
//   offline     a uid's last session ended                      {uid}
//   message     message.direct / multicast / broadcast          {kind, from, to?, msg, conn}
//   room        a connection created, joined or left            {action, roomId, uid, conn}
//
// The dispatcher's own records (webhook.delivered / webhook.failed) and every other event
// map to nothing, so deliveries never cause deliveries.
//
// Pure functions of their arguments: the same log gives the same occurrences on every
// process and every replay. Threads: any.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "core/effects.h"
#include "core/event.h"

namespace wsd::webhook {

inline constexpr std::array<std::string_view, 6> kHookEvents = {"connect", "disconnect", "message",
                                                                "offline", "online",     "room"};
bool isHookEvent(std::string_view name);

// One thing that happened, as a hook receives it.
struct Occurrence {
  std::string type;  // a name of kHookEvents
  std::string data;  // the payload's `data`, a JSON object as text
};

// Every occurrence `event` caused, in the order they happened.
std::vector<Occurrence> occurrencesOf(const Event& event, const Effects& effects);

// The body posted for `occurrence`: {"id","type","project","ts","data"} where id and ts
// are the log event's (schemas/http/webhook_payload.json).
std::string payload(const Event& event, const Occurrence& occurrence);

}  // namespace wsd::webhook
