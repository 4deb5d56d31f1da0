// Decoding of server messages (docs/protocol.md, "Server messages") into the typed events
// of types.h, and of HTTP error bodies. Missing or mistyped fields decode as empty values:
// untrusted input never throws. Pure functions; any thread.
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "wsclient/types.h"

namespace wsclient::detail {

// `closed` (SSE and polling): the server ended the session with this close code.
struct ClosedNotice {
  int code = 1006;
  std::string reason;
};

using ServerEvent = std::variant<std::monostate, Connected, BindSuccess, Direct, Broadcast, SendSuccess, OnlineResult,
                                 ListResult, Presence, Heartbeat, ServerError, RoomEvent, Signal, ClosedNotice,
                                 FilterResult, AckResult, RoomMessage, RoomSendResult, RoomHistoryPage>;

struct Decoded {
  std::string type;   // "" when not a JSON object with a string `type`
  ServerEvent event;  // monostate: not JSON, or a type this SDK does not model
};

Decoded decodeServerMessage(std::string_view json);

// {"status":"error","code":"...","msg":"..."}: the code and words of an HTTP error body
// (kNone and "" when the body is not one).
struct HttpError {
  ErrorCode code = ErrorCode::kNone;
  std::string codeText;
  std::string msg;
};
HttpError decodeHttpError(std::string_view body);

// The value of a JSON string literal (nullopt when `json` is not one).
std::optional<std::string> jsonStringValue(std::string_view json);

}  // namespace wsclient::detail
