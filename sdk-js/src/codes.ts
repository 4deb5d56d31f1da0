// Every error code and close code a wsd client can meet, in one table that matches the
// server's (docs/protocol.md "Errors", "Admin API", "Mail API"; schemas/http/error_response.json).
// test/unit/codes.test.ts proves the match: it reads those documents and the server's
// source and fails when a code is missing here or has another HTTP status.
//
// `retry` says what the SDK does when it meets the code while connecting or on a dropped
// link: true = try again later (backoff), false = stop (the client closes; a person must
// change the project, token or request first).

/** What one error code means. */
export interface ErrorCodeInfo {
  /** HTTP status that carries this code; 0 = only in `error` messages. */
  readonly status: number;
  /** Whether the server sends this code in `error` messages on the stream. */
  readonly message: boolean;
  /** Whether trying again later can succeed. */
  readonly retry: boolean;
  /** When the server sends it. */
  readonly description: string;
}

const info = (status: number, message: boolean, retry: boolean, description: string): ErrorCodeInfo => ({
  status,
  message,
  retry,
  description,
});

/** Codes the server sends, in `error` messages and in HTTP error bodies. */
export const SERVER_ERROR_CODES = {
  // ---- protocol errors (`error` messages; some also as POST /sse, /poll answers)
  invalid_json: info(400, true, false, 'the frame or body is not JSON'),
  invalid_message: info(0, true, false, 'a field is missing or has the wrong type (the message names it)'),
  unknown_type: info(0, true, false, '`type` is missing or unknown'),
  not_bound: info(0, true, false, 'the action needs `bind` first'),
  already_bound: info(0, true, false, '`bind` with another uid on a connection already bound'),
  rate_limited: info(429, true, true, 'more messages per second than allowed; going on closes with 1008'),
  too_many_recipients: info(0, true, false, 'multicast `to` longer than the limit'),
  inbox_full: info(0, true, true, "the recipient's offline inbox is full"),
  not_in_room: info(0, true, false, 'the sender is not a member of `roomId`'),
  target_not_in_room: info(0, true, true, '`to` is not a member of `roomId`'),
  too_many_rooms: info(0, true, false, 'the connection is in as many rooms as allowed'),
  log_unavailable: info(503, true, true, 'the event log could not take the action; nothing happened'),
  bind_signature_required: info(0, true, false, 'the project requires `bind` to carry `exp` and `sig`'),
  bind_signature_invalid: info(0, true, false, '`sig` is not the HMAC of uid and exp under a secret of the project'),
  bind_signature_expired: info(0, true, false, '`exp` has passed: the app backend must sign again'),
  epoch_changed: info(0, true, false, "room_history `since` names another epoch of the room's history"),
  // ---- handshake and HTTP errors
  bad_request: info(400, false, false, 'a required parameter is missing or malformed'),
  invalid_address: info(400, false, false, 'POST /mail: an address is not plain local@domain'),
  unauthorized: info(401, false, false, 'admin and server API: missing or wrong admin token or server secret'),
  invalid_token: info(401, false, false, 'the token is not valid for this project'),
  token_expired: info(401, false, false, 'the token has expired'),
  origin_not_allowed: info(403, false, false, "the project's allowlist of browser Origins does not name this page's"),
  session_secret_required: info(403, false, false, "the request names an SSE or polling session but does not carry its secret"),
  not_found: info(404, false, false, 'no such path'),
  project_not_found: info(404, false, false, 'no such project'),
  token_not_found: info(404, false, false, 'admin API: no such token'),
  unknown_conn: info(404, false, true, 'no session with that connId (it ended)'),
  webhook_not_found: info(404, false, false, 'admin API: no such webhook'),
  method_not_allowed: info(405, false, false, 'the path does not take this method'),
  project_exists: info(409, false, false, 'admin API: a project with that key exists'),
  message_too_big: info(413, false, false, 'the message is over the size limit'),
  uri_too_long: info(414, false, false, 'the request target (path and query) is too long'),
  upgrade_required: info(426, false, false, 'GET /ws without a WebSocket upgrade, or not of Sec-WebSocket-Version 13'),
  headers_too_large: info(431, false, false, 'a request header is too long'),
  mail_rate_limited: info(429, false, true, 'POST /mail: the token had its mails for the window (Retry-After)'),
  too_many_connections: info(429, false, true, 'the project has as many connections as allowed'),
  mail_relay_failed: info(502, false, true, 'POST /mail: the relay refused the mail or could not be reached'),
  store_unavailable: info(503, false, true, 'the shared state store (Redis) is unreachable'),
  mail_not_configured: info(503, false, false, 'POST /mail: the mailer has no relay configured'),
  not_ready: info(503, false, true, 'GET /readyz: the server is not ready to serve (a check failed)'),
  mail_timeout: info(504, false, true, 'POST /mail: no mailer answered in time; the mail may still go out'),
} as const satisfies Record<string, ErrorCodeInfo>;

/** A code the server sends. */
export type ServerErrorCode = keyof typeof SERVER_ERROR_CODES;

/** Codes the SDK itself gives to failures that no server message describes. */
export const SDK_ERROR_CODES = {
  timeout: 'no answer within requestTimeoutMs (the action may still have happened)',
  connection_lost: 'the link dropped before the answer came; the action may or may not have happened',
  queue_full: 'the outbound queue was full (see `queue.overflow`)',
  client_closed: 'close() was called before the request was answered or sent',
  transport_failed: 'no transport could be established, or an HTTP request failed on the network',
  unexpected_response: 'the server answered something that is not the protocol',
} as const;

/** A code the SDK gives. */
export type SdkErrorCode = keyof typeof SDK_ERROR_CODES;

/** Any error code a `WsdError` carries. */
export type ErrorCode = ServerErrorCode | SdkErrorCode;

/** What one close code (WebSocket, or `closed` on SSE and polling) means. */
export interface CloseCodeInfo {
  readonly name: string;
  readonly description: string;
}

/** Close codes (RFC 6455 and wsd's own 4000 and 4001). */
export const CLOSE_CODES = {
  1000: { name: 'normal', description: 'normal closure' },
  1001: { name: 'going_away', description: 'the server is going away, or another gateway declared this one down' },
  1002: { name: 'protocol_error', description: 'the client broke RFC 6455 (a close code it may not send)' },
  1003: { name: 'unsupported_data', description: 'a binary frame' },
  1006: { name: 'abnormal', description: 'no close frame: the link dropped (set by the client, never sent)' },
  1008: { name: 'policy', description: 'token revoked or expired, project deleted, rate limited, slow consumer, output over budget' },
  1009: { name: 'message_too_big', description: 'a message over the size limit' },
  1013: { name: 'try_again_later', description: 'the server holds more output than its budget; this client held among the most' },
  4000: { name: 'heartbeat_timeout', description: 'two server pings in a row unanswered (mode=long)' },
  4001: { name: 'kicked', description: "closed by the app's backend (POST /api/kick); the reason is the backend's" },
} as const satisfies Record<number, CloseCodeInfo>;

/** A close code from the table. */
export type CloseCode = keyof typeof CLOSE_CODES;

/** Reasons the server gives with a close code, and whether reconnecting can help. */
export const CLOSE_REASONS = {
  token_revoked: { code: 1008, retry: false },
  token_expired: { code: 1008, retry: false },
  project_deleted: { code: 1008, retry: false },
  rate_limited: { code: 1008, retry: true },
  slow_consumer: { code: 1008, retry: true },
  output_over_budget: { code: 1008, retry: true },
  server_output_full: { code: 1013, retry: true },
  too_many_connections: { code: 1008, retry: true },
  message_too_big: { code: 1009, retry: true },
  node_declared_down: { code: 1001, retry: true },
  heartbeat_timeout: { code: 4000, retry: true },
  kicked: { code: 4001, retry: false },
  poll_timeout: { code: 1001, retry: true },
  stream_closed: { code: 1001, retry: true },
} as const satisfies Record<string, { code: number; retry: boolean }>;

/** A reason from the table. */
export type CloseReason = keyof typeof CLOSE_REASONS;

/** Whether reconnecting after this error code can succeed (unknown codes: yes). */
export function isRetryableCode(code: string): boolean {
  const server = (SERVER_ERROR_CODES as Record<string, ErrorCodeInfo>)[code];
  if (server) return server.retry;
  return code !== 'client_closed';
}

/** Whether reconnecting after a close with this reason can succeed (unknown reasons: yes). */
export function isRetryableClose(reason: string): boolean {
  const known = (CLOSE_REASONS as Record<string, { retry: boolean }>)[reason];
  return known ? known.retry : true;
}
