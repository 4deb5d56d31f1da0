// wsclient: every error code and close code the SDK can report, in two tables that mirror
// the server's (docs/protocol.md, "Errors" and "Close codes"; schemas/http/error_response.json).
// A test (CodesTable.*) parses the protocol reference and fails when the tables drift from it.
//
// C++17; no dependencies. Thread-safety: constant data, readable from any thread.
#pragma once

#include <cstddef>
#include <string_view>

namespace wsclient {

// Why something failed. The wire name (kErrorCodes[].wire) is the server's `code` string.
enum class ErrorCode {
  kNone = 0,  // no error
  // `error` messages of the protocol (and, where httpStatus is set, HTTP error bodies too)
  kInvalidJson,
  kInvalidMessage,
  kUnknownType,
  kNotBound,
  kAlreadyBound,
  kRateLimited,
  kTooManyRecipients,
  kInboxFull,
  kNotInRoom,
  kTargetNotInRoom,
  kTooManyRooms,
  kLogUnavailable,
  kBindSignatureRequired,  // the project requires signed binds: bind(uid, BindSignature)
  kBindSignatureInvalid,
  kBindSignatureExpired,
  kEpochChanged,  // room_history since a position of another epoch of the room's stream
  // HTTP error bodies only (handshake refusals, POST /sse and /poll answers, admin and mail API)
  kBadRequest,
  kInvalidAddress,
  kUnauthorized,
  kInvalidToken,
  kTokenExpired,
  kOriginNotAllowed,
  kSessionSecretRequired,
  kNotFound,
  kProjectNotFound,
  kTokenNotFound,
  kUnknownConn,
  kWebhookNotFound,
  kMethodNotAllowed,
  kProjectExists,
  kMessageTooBig,
  kUriTooLong,
  kUpgradeRequired,
  kHeadersTooLarge,
  kMailRateLimited,
  kTooManyConnections,
  kMailRelayFailed,
  kStoreUnavailable,
  kMailNotConfigured,
  kNotReady,
  kMailTimeout,
  // the SDK's own (never on the wire)
  kUnknown,           // the server sent a code this SDK does not know (see Status::message)
  kTimeout,           // a query got no answer within Options::requestTimeout
  kClosed,            // the client was closed before the call completed
  kInvalidOptions,    // connect(): Options break a rule (the message says which)
  kAlreadyStarted,    // connect() was called twice
  kConnectionFailed,  // no transport could be established (DNS, refused, proxy, timeout)
  kInvalidArgument,   // a call's argument breaks the protocol's rules (nothing was sent)
  kQueueFull,         // the outbound queue was full (OverflowPolicy::kRejectNew)
  kConnectionLost,    // the link dropped before the answer to a call that is not sent twice
};

// Where a code comes from. `protocol`: sent in an `error` message; `httpStatus`: sent as
// the `code` of an HTTP error body with this status (0: never over HTTP); `local`: made up
// by the SDK, never on the wire.
struct ErrorCodeInfo {
  ErrorCode code;
  const char* wire;
  bool protocol;
  int httpStatus;
  bool local;
  const char* meaning;
};

// The one table of error codes. Order matches the enum.
inline constexpr ErrorCodeInfo kErrorCodes[] = {
    {ErrorCode::kNone, "", false, 0, true, "no error"},
    {ErrorCode::kInvalidJson, "invalid_json", true, 400, false, "the frame or body is not JSON"},
    {ErrorCode::kInvalidMessage, "invalid_message", true, 0, false, "a field is missing or has the wrong type"},
    {ErrorCode::kUnknownType, "unknown_type", true, 0, false, "`type` is missing or unknown"},
    {ErrorCode::kNotBound, "not_bound", true, 0, false, "the action needs bind first"},
    {ErrorCode::kAlreadyBound, "already_bound", true, 0, false, "this connection is bound to another uid"},
    {ErrorCode::kRateLimited, "rate_limited", true, 429, false, "more messages per second than allowed"},
    {ErrorCode::kTooManyRecipients, "too_many_recipients", true, 0, false, "multicast `to` longer than the limit"},
    {ErrorCode::kInboxFull, "inbox_full", true, 0, false, "the recipient's offline inbox is full"},
    {ErrorCode::kNotInRoom, "not_in_room", true, 0, false, "the sender is not a member of the room"},
    {ErrorCode::kTargetNotInRoom, "target_not_in_room", true, 0, false, "`to` is not a member of the room"},
    {ErrorCode::kTooManyRooms, "too_many_rooms", true, 0, false, "the connection is in as many rooms as allowed"},
    {ErrorCode::kLogUnavailable, "log_unavailable", true, 503, false, "the event log could not take the action"},
    {ErrorCode::kBindSignatureRequired, "bind_signature_required", true, 0, false, "the bind needs exp and sig"},
    {ErrorCode::kBindSignatureInvalid, "bind_signature_invalid", true, 0, false, "sig is not the HMAC of uid:exp"},
    {ErrorCode::kBindSignatureExpired, "bind_signature_expired", true, 0, false, "exp has passed: sign again"},
    {ErrorCode::kEpochChanged, "epoch_changed", true, 0, false, "the room's history has another epoch: offsets differ"},
    {ErrorCode::kBadRequest, "bad_request", false, 400, false, "missing project or token, bad mode, bad body"},
    {ErrorCode::kInvalidAddress, "invalid_address", false, 400, false, "mail: an address is not valid"},
    {ErrorCode::kUnauthorized, "unauthorized", false, 401, false, "admin API: wrong admin token"},
    {ErrorCode::kInvalidToken, "invalid_token", false, 401, false, "the token is not one of the project's"},
    {ErrorCode::kTokenExpired, "token_expired", false, 401, false, "the token has expired"},
    {ErrorCode::kOriginNotAllowed, "origin_not_allowed", false, 403, false, "the project does not allow this Origin"},
    {ErrorCode::kSessionSecretRequired, "session_secret_required", false, 403, false,
     "the request does not carry its session's secret"},
    {ErrorCode::kNotFound, "not_found", false, 404, false, "no such endpoint"},
    {ErrorCode::kProjectNotFound, "project_not_found", false, 404, false, "no such project"},
    {ErrorCode::kTokenNotFound, "token_not_found", false, 404, false, "admin API: no such token"},
    {ErrorCode::kUnknownConn, "unknown_conn", false, 404, false, "no session with that connId"},
    {ErrorCode::kWebhookNotFound, "webhook_not_found", false, 404, false, "admin API: no such webhook"},
    {ErrorCode::kMethodNotAllowed, "method_not_allowed", false, 405, false, "wrong HTTP method"},
    {ErrorCode::kProjectExists, "project_exists", false, 409, false, "admin API: the project exists"},
    {ErrorCode::kMessageTooBig, "message_too_big", false, 413, false, "the message is over the size limit"},
    {ErrorCode::kUriTooLong, "uri_too_long", false, 414, false, "the request target is too long"},
    {ErrorCode::kUpgradeRequired, "upgrade_required", false, 426, false,
     "/ws takes a WebSocket upgrade, of Sec-WebSocket-Version 13"},
    {ErrorCode::kHeadersTooLarge, "headers_too_large", false, 431, false, "a request header is too long"},
    {ErrorCode::kMailRateLimited, "mail_rate_limited", false, 429, false, "mail: too many mails for this token"},
    {ErrorCode::kTooManyConnections, "too_many_connections", false, 429, false, "the project has too many connections"},
    {ErrorCode::kMailRelayFailed, "mail_relay_failed", false, 502, false, "mail: the relay refused the mail"},
    {ErrorCode::kStoreUnavailable, "store_unavailable", false, 503, false, "the state store is unreachable"},
    {ErrorCode::kMailNotConfigured, "mail_not_configured", false, 503, false, "mail: no relay configured"},
    {ErrorCode::kNotReady, "not_ready", false, 503, false, "GET /readyz: a backend does not answer"},
    {ErrorCode::kMailTimeout, "mail_timeout", false, 504, false, "mail: no mailer answered in time"},
    {ErrorCode::kUnknown, "unknown", false, 0, true, "a code this SDK does not know"},
    {ErrorCode::kTimeout, "timeout", false, 0, true, "no answer within the request timeout"},
    {ErrorCode::kClosed, "closed", false, 0, true, "the client was closed"},
    {ErrorCode::kInvalidOptions, "invalid_options", false, 0, true, "Options break a rule"},
    {ErrorCode::kAlreadyStarted, "already_started", false, 0, true, "connect() was called twice"},
    {ErrorCode::kConnectionFailed, "connection_failed", false, 0, true, "no transport could be established"},
    {ErrorCode::kInvalidArgument, "invalid_argument", false, 0, true, "an argument breaks the protocol's rules"},
    {ErrorCode::kQueueFull, "queue_full", false, 0, true, "the outbound queue was full"},
    {ErrorCode::kConnectionLost, "connection_lost", false, 0, true, "the link dropped before the call was answered"},
};

// WebSocket close codes (RFC 6455 and wsd's 4000), also carried by the `closed` message of
// SSE and long polling. `reason` narrows a row to one close reason ("" = any reason);
// `reconnect` says whether the SDK reconnects after it.
struct CloseCodeInfo {
  int code;
  const char* reason;
  bool reconnect;
  const char* meaning;
};

// The one table of close codes: the first row matching (code, reason) wins.
inline constexpr CloseCodeInfo kCloseCodes[] = {
    {1000, "", true, "normal closure"},
    {1001, "", true, "the server is going away (also node_declared_down)"},
    {1002, "", true, "protocol error: the client sent a close code it may not send"},
    {1003, "", true, "a binary frame was sent"},
    {1006, "", true, "the link dropped without a close (local: connection lost, dead link)"},
    {1008, "token_revoked", false, "policy: the token was revoked"},
    {1008, "token_expired", false, "policy: the token expired"},
    {1008, "project_deleted", false, "policy: the project was deleted"},
    {1008, "rate_limited", true, "policy: too many messages per second"},
    {1008, "slow_consumer", true, "policy: the client did not read while too many messages waited"},
    {1008, "output_over_budget", true, "policy: the output waiting for the client took more than its budget"},
    {1008, "too_many_connections", true, "policy: opened past the project's connection cap"},
    {1008, "", true, "policy"},
    {1009, "", true, "a message was over the size limit"},
    {1013, "server_output_full", true, "try again later: the server holds more output than its budget"},
    {4000, "", true, "heartbeat timeout: two server pings went unanswered"},
    {4001, "", false, "kicked: closed by the app's backend (POST /api/kick); it decides when to come back"},
};

// The table row of `code` (never null: unknown codes give the kUnknown row).
const ErrorCodeInfo& describe(ErrorCode code);
// The code whose wire name is `wire`; kUnknown for names this SDK does not know, kNone for "".
ErrorCode errorCodeFromWire(std::string_view wire);
// The wire name of `code` ("" for kNone).
const char* wireName(ErrorCode code);
// Whether the SDK reconnects after a close with this code and reason (unknown codes: yes).
bool closeAllowsReconnect(int code, std::string_view reason);

}  // namespace wsclient
