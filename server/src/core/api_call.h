// The server API's calls (POST /api/send, /api/kick, GET /api/online ...): app backends
// acting on a project with its server secret. Like decide() for client messages, this
// turns a call whose body already passed its schema (schemas/http/api_*_request.json)
// into the event that records it; the projector settles the rest at the event's place in
// the log, and the gateway answers from the effects (core/effects.h: `sent`, `query`,
// `closes`).
//
// Every event made here has an empty `conn` (no client connection acts) and carries
// `"via": "api"`, so an analyst tells a backend's message from a client's.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/decide.h"
#include "core/error_codes.h"
#include "core/event.h"
#include "core/result.h"

namespace wsd {

enum class ApiCall { kSend, kMulticast, kBroadcast, kKick, kOnline, kList, kRoom, kRoomSend };

// The sender recipients see when a call names no `from`. A client may bind this uid too:
// projects that let clients pick their uid (no signed bind) should not trust `from`.
inline constexpr std::string_view kServerSender = "@server";

// WebSocket close code of a kicked connection (SSE and polling: the `closed` message).
inline constexpr int kKickCloseCode = error_codes::kKicked.closeCode;
inline constexpr std::string_view kDefaultKickReason = error_codes::kKicked.name;

// "send", "multicast", ...: the call's name, as in its path (/api/send); "rooms/send" for
// POST /api/rooms/{roomId}/send, whose roomId the route puts into `args`.
std::string_view apiCallName(ApiCall call);
// Queries (online, list, room) are GETs with their arguments in the query string; the
// other calls are POSTs with a JSON body.
bool apiCallIsQuery(ApiCall call);
// The request schema (below schemas/) for the calls that take a body; empty for queries.
std::string_view apiRequestSchema(ApiCall call);

// The event for one call on `project`. `args` is the JSON body (POST calls) or an object
// of the query parameters (GET calls: uid, roomId). Fails with `bad_request` or
// `too_many_recipients` (HTTP 400) when the call cannot be made as asked.
Result<std::shared_ptr<Event>> apiEvent(ApiCall call, std::string project, const rapidjson::Value& args,
                                        const DecideContext& ctx);

}  // namespace wsd
