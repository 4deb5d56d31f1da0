// Every code a client can be told: the `code` of an `error` message, of an HTTP error
// body, and the reason of a close (a WebSocket close, or the `closed` message of SSE and
// polling). One table, so the server, docs/protocol.md ("Errors") and schemas/ name the
// same set: docs/test/error_codes_test.cpp checks the docs and schemas against it, and
// the server names its codes through the entries below, never by a literal.
//
// The names are a contract with clients written without this code: never rename one.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace wsd::error_codes {

// Where a code can reach a client (a bit set: a code may travel several ways).
enum Surface : unsigned {
  kErrorMessage = 1U << 0,  // {"type":"error","code":...} on a session
  kHttpError = 1U << 1,     // {"status":"error","code":...} with an HTTP status
  kCloseReason = 1U << 2,   // the reason of a close, with its close code
};

struct ErrorCode {
  const char* name;                 // lowercase snake_case, unique in kAll
  unsigned surfaces;                // Surface bits; never 0
  std::array<int, 2> httpStatuses;  // the statuses it is answered with; 0 = unused slot
  int closeCode;                    // the close code of its close; 0 = never a close reason
  const char* meaning;              // one line, for a reader of the table
};

inline constexpr unsigned kMessageAndHttp = kErrorMessage | kHttpError;
inline constexpr unsigned kHttpAndClose = kHttpError | kCloseReason;

// clang-format off
inline constexpr std::array kAll = std::to_array<ErrorCode>({
    // Error messages on a session (and, for some, the HTTP answer of a POST to one).
    {"invalid_json",            kMessageAndHttp, {400, 0},   0,    "the frame or body is not JSON"},
    {"invalid_message",         kErrorMessage,   {0, 0},     0,    "a field is missing or has the wrong type"},
    {"unknown_type",            kErrorMessage,   {0, 0},     0,    "`type` is missing or not a client message"},
    {"not_bound",               kErrorMessage,   {0, 0},     0,    "the action needs bind first"},
    {"already_bound",           kErrorMessage,   {0, 0},     0,    "bind with another uid on a bound connection"},
    {"rate_limited",            kErrorMessage | kHttpAndClose, {429, 0}, 1008, "more messages per second than allowed"},
    {"too_many_recipients",     kMessageAndHttp, {400, 0},   0,    "a multicast to more uids than allowed"},
    {"inbox_full",              kMessageAndHttp, {409, 0},   0,    "the recipient's offline inbox is full"},
    {"not_in_room",             kErrorMessage,   {0, 0},     0,    "the sender is not a member of the room"},
    {"epoch_changed",           kErrorMessage,   {0, 0},     0,    "room_history since a position of another epoch"},
    {"target_not_in_room",      kErrorMessage,   {0, 0},     0,    "the recipient is not a member of the room"},
    {"too_many_rooms",          kErrorMessage,   {0, 0},     0,    "the connection is in as many rooms as allowed"},
    {"log_unavailable",         kMessageAndHttp, {503, 0},   0,    "the event log could not take the action; nothing happened"},
    {"bind_signature_required", kErrorMessage,   {0, 0},     0,    "the project wants signed binds and the bind is not signed"},
    {"bind_signature_invalid",  kErrorMessage,   {0, 0},     0,    "the bind's signature is not made with a valid secret"},
    {"bind_signature_expired",  kErrorMessage,   {0, 0},     0,    "the bind's signature has expired"},
    // HTTP errors.
    {"bad_request",             kHttpError,      {400, 413}, 0,    "a missing or malformed parameter, header or body (413: too large)"},
    {"invalid_address",         kHttpError,      {400, 0},   0,    "a mail address is not valid"},
    {"unauthorized",            kHttpError,      {401, 0},   0,    "a missing or wrong admin token or server secret"},
    {"invalid_token",           kHttpError,      {401, 0},   0,    "the token is not valid for the project"},
    {"token_expired",           kHttpAndClose,   {401, 0},   1008, "the token has expired"},
    {"origin_not_allowed",      kHttpError,      {403, 0},   0,    "the Origin is not in the project's allowlist"},
    {"session_secret_required", kHttpError,      {403, 0},   0,    "the request does not carry its session's secret"},
    {"not_found",               kHttpError,      {404, 0},   0,    "no such endpoint or file"},
    {"project_not_found",       kHttpError,      {404, 0},   0,    "no such project"},
    {"token_not_found",         kHttpError,      {404, 0},   0,    "no such token"},
    {"unknown_conn",            kHttpError,      {404, 0},   0,    "no such session, or not the request's project and token"},
    {"webhook_not_found",       kHttpError,      {404, 0},   0,    "no such webhook"},
    {"method_not_allowed",      kHttpError,      {405, 0},   0,    "the endpoint does not take this method"},
    {"project_exists",          kHttpError,      {409, 0},   0,    "a project with this key exists"},
    {"message_too_big",         kHttpAndClose,   {413, 0},   1009, "a message or body over the size limit"},
    {"uri_too_long",            kHttpError,      {414, 0},   0,    "a request target over 8 KiB"},
    {"upgrade_required",        kHttpError,      {426, 0},   0,    "not WebSocket version 13, or /ws without the upgrade"},
    {"headers_too_large",       kHttpError,      {431, 0},   0,    "a header over 8 KiB"},
    {"mail_rate_limited",       kHttpError,      {429, 0},   0,    "the token sent as many mails as its window allows"},
    {"too_many_connections",    kHttpAndClose,   {429, 0},   1008, "the gateway's or the project's connection limit"},
    {"mail_relay_failed",       kHttpError,      {502, 0},   0,    "the mail relay refused the mail or could not be reached"},
    {"store_unavailable",       kHttpError,      {503, 0},   0,    "Redis could not answer a request that needs it"},
    {"mail_not_configured",     kHttpError,      {503, 0},   0,    "the mailer has no relay configured"},
    {"not_ready",               kHttpError,      {503, 0},   0,    "a backend does not answer yet (/readyz)"},
    {"mail_timeout",            kHttpError,      {504, 0},   0,    "no mailer answered in time; the mail may still go out"},
    // Reasons the server closes a session with.
    {"token_revoked",           kCloseReason,    {0, 0},     1008, "the session's token was revoked"},
    {"project_deleted",         kCloseReason,    {0, 0},     1008, "the session's project was deleted"},
    {"slow_consumer",           kCloseReason,    {0, 0},     1008, "too many messages wait for the client"},
    {"output_over_budget",      kCloseReason,    {0, 0},     1008, "the bytes waiting for the client exceed its budget"},
    {"server_output_full",      kCloseReason,    {0, 0},     1013, "the server is over its output budget; try again later"},
    {"node_declared_down",      kCloseReason,    {0, 0},     1001, "another gateway found this one silent"},
    {"poll_timeout",            kCloseReason,    {0, 0},     1001, "a polling session not polled for too long"},
    {"stream_closed",           kCloseReason,    {0, 0},     1001, "an SSE stream not resumed within its window"},
    {"heartbeat_timeout",       kCloseReason,    {0, 0},     4000, "two pings in a row unanswered"},
    {"kicked",                  kCloseReason,    {0, 0},     4001, "the app's backend closed it, without a reason of its own"},
});
// clang-format on

// The entry named `name`; naming a code the table lacks does not compile.
consteval const ErrorCode& entry(std::string_view name) {
  for (const ErrorCode& code : kAll) {
    if (std::string_view(code.name) == name) return code;
  }
  throw "not a code of error_codes::kAll";  // reached only at compile time: a compile error
}

// How many codes travel by `surface`.
constexpr std::size_t countOf(Surface surface) {
  std::size_t count = 0;
  for (const ErrorCode& code : kAll) count += (code.surfaces & surface) != 0 ? 1 : 0;
  return count;
}

// ---- Named entries: what the server's code says instead of a literal.
inline constexpr const ErrorCode& kInvalidJson = entry("invalid_json");
inline constexpr const ErrorCode& kInvalidMessage = entry("invalid_message");
inline constexpr const ErrorCode& kUnknownType = entry("unknown_type");
inline constexpr const ErrorCode& kNotBound = entry("not_bound");
inline constexpr const ErrorCode& kAlreadyBound = entry("already_bound");
inline constexpr const ErrorCode& kRateLimited = entry("rate_limited");
inline constexpr const ErrorCode& kTooManyRecipients = entry("too_many_recipients");
inline constexpr const ErrorCode& kInboxFull = entry("inbox_full");
inline constexpr const ErrorCode& kNotInRoom = entry("not_in_room");
inline constexpr const ErrorCode& kEpochChanged = entry("epoch_changed");
inline constexpr const ErrorCode& kTargetNotInRoom = entry("target_not_in_room");
inline constexpr const ErrorCode& kTooManyRooms = entry("too_many_rooms");
inline constexpr const ErrorCode& kLogUnavailable = entry("log_unavailable");
inline constexpr const ErrorCode& kBindSignatureRequired = entry("bind_signature_required");
inline constexpr const ErrorCode& kBindSignatureInvalid = entry("bind_signature_invalid");
inline constexpr const ErrorCode& kBindSignatureExpired = entry("bind_signature_expired");
inline constexpr const ErrorCode& kBadRequest = entry("bad_request");
inline constexpr const ErrorCode& kInvalidAddress = entry("invalid_address");
inline constexpr const ErrorCode& kUnauthorized = entry("unauthorized");
inline constexpr const ErrorCode& kInvalidToken = entry("invalid_token");
inline constexpr const ErrorCode& kTokenExpired = entry("token_expired");
inline constexpr const ErrorCode& kOriginNotAllowed = entry("origin_not_allowed");
inline constexpr const ErrorCode& kSessionSecretRequired = entry("session_secret_required");
inline constexpr const ErrorCode& kNotFound = entry("not_found");
inline constexpr const ErrorCode& kProjectNotFound = entry("project_not_found");
inline constexpr const ErrorCode& kTokenNotFound = entry("token_not_found");
inline constexpr const ErrorCode& kUnknownConn = entry("unknown_conn");
inline constexpr const ErrorCode& kWebhookNotFound = entry("webhook_not_found");
inline constexpr const ErrorCode& kMethodNotAllowed = entry("method_not_allowed");
inline constexpr const ErrorCode& kProjectExists = entry("project_exists");
inline constexpr const ErrorCode& kMessageTooBig = entry("message_too_big");
inline constexpr const ErrorCode& kUriTooLong = entry("uri_too_long");
inline constexpr const ErrorCode& kUpgradeRequired = entry("upgrade_required");
inline constexpr const ErrorCode& kHeadersTooLarge = entry("headers_too_large");
inline constexpr const ErrorCode& kMailRateLimited = entry("mail_rate_limited");
inline constexpr const ErrorCode& kTooManyConnections = entry("too_many_connections");
inline constexpr const ErrorCode& kMailRelayFailed = entry("mail_relay_failed");
inline constexpr const ErrorCode& kStoreUnavailable = entry("store_unavailable");
inline constexpr const ErrorCode& kMailNotConfigured = entry("mail_not_configured");
inline constexpr const ErrorCode& kNotReady = entry("not_ready");
inline constexpr const ErrorCode& kMailTimeout = entry("mail_timeout");
inline constexpr const ErrorCode& kTokenRevoked = entry("token_revoked");
inline constexpr const ErrorCode& kProjectDeleted = entry("project_deleted");
inline constexpr const ErrorCode& kSlowConsumer = entry("slow_consumer");
inline constexpr const ErrorCode& kOutputOverBudget = entry("output_over_budget");
inline constexpr const ErrorCode& kServerOutputFull = entry("server_output_full");
inline constexpr const ErrorCode& kNodeDeclaredDown = entry("node_declared_down");
inline constexpr const ErrorCode& kPollTimeout = entry("poll_timeout");
inline constexpr const ErrorCode& kStreamClosed = entry("stream_closed");
inline constexpr const ErrorCode& kHeartbeatTimeout = entry("heartbeat_timeout");
inline constexpr const ErrorCode& kKicked = entry("kicked");

}  // namespace wsd::error_codes
