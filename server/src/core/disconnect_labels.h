// The labels a session's end is counted under (wsd_disconnects_total): its reason and
// close code, each from a fixed set so that a client or an app's backend, which choose
// some closes' reason and code, cannot grow the number of series.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace wsd::disconnect {

// The reasons a session ends for (docs/protocol.md, close codes), and how the transports
// name an end the client caused. A reason not listed (a kick's own, a refusal's
// sentence) counts as the one its close code stands for (4001 kicked, 1002
// protocol_error, 1003 binary_frame, 1009 message_too_big), or "other".
inline constexpr std::array<std::string_view, 19> kReasons = {
    "client_closed",       // the client sent a WebSocket close
    "connection_lost",     // the connection ended without a close
    "stream_closed",       // an SSE stream not resumed within its window
    "poll_timeout",        // a polling session not polled for too long
    "heartbeat_timeout",   // no pong to the server's pings
    "rate_limited",        // over its messages per second
    "token_revoked",       //
    "token_expired",       //
    "project_deleted",     //
    "kicked",              // the app's backend closed it (POST /api/kick), whatever reason it gave
    "slow_consumer",       // too many messages waiting for it
    "output_over_budget",  // too many bytes waiting for it
    "server_output_full",  // among the largest while the process was over its budget
    "too_many_connections",
    "node_declared_down",  // another gateway found this one silent
    "message_too_big",
    "protocol_error",
    "binary_frame",
    "other",
};

// Close codes as labels: RFC 6455's and wsd's own; any other code a client sends is "other".
inline constexpr std::array<std::string_view, 14> kCodes = {
    "1000", "1001", "1002", "1003", "1005", "1006", "1007", "1008", "1009", "1011", "1013", "4000", "4001", "other",
};

struct Labels {
  std::size_t reason = kReasons.size() - 1;  // index into kReasons
  std::size_t code = kCodes.size() - 1;      // index into kCodes
};

// `reason` as the session's transport recorded it ("closed by client", "connection lost",
// or the documented reason the server closed with).
Labels labelsFor(int code, std::string_view reason);

}  // namespace wsd::disconnect
