// RFC 6455 rules that wsd checks itself rather than leave to libwebsockets: what an
// opening handshake must carry (§4.2.1), which close codes a peer may send (§7.4), and
// how large a message may announce itself. Pure functions: the gateway asks, these
// answer. docs/architecture.md ("Protocol strictness") says what libwebsockets does on
// its own and why each check lives here. Threads: any (no state).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace wsd::websocket {

// The only protocol version RFC 6455 defines; a handshake naming another is answered
// 426 with this version in `Sec-WebSocket-Version`.
inline constexpr std::string_view kVersion = "13";
// The subprotocol wsd speaks; a handshake offering subprotocols must include it.
inline constexpr std::string_view kSubprotocol = "wsd";

// Why a handshake is refused before libwebsockets answers it: the HTTP status and the
// JSON error body's code and message.
struct HandshakeRefusal {
  int status;
  std::string code;
  std::string message;
};

// The upgrade's headers as received (empty when absent).
struct UpgradeHeaders {
  std::string_view version;       // Sec-WebSocket-Version
  std::string_view key;           // Sec-WebSocket-Key
  std::string_view subprotocols;  // Sec-WebSocket-Protocol (comma-separated offers)
};

// Whether `key` is the base64 encoding of 16 bytes (24 characters ending in "==").
bool isValidKey(std::string_view key);
// Whether a Sec-WebSocket-Protocol value offers `wanted` among its comma-separated tokens.
bool offersSubprotocol(std::string_view offered, std::string_view wanted);
// The first rule the upgrade breaks, or nothing when libwebsockets may complete it.
std::optional<HandshakeRefusal> checkUpgrade(const UpgradeHeaders& headers);

// Whether a peer may send `code` in a Close frame (§7.4.1, §7.4.2 and the IANA registry):
// 1000-1003, 1007-1014 and 3000-4999. 1004-1006 and 1015 are reserved, never sent; 1016-2999
// are unassigned; below 1000 and from 5000 on are not close codes. Any other answer is 1002.
bool isReceivableCloseCode(int code);

// Whether a message whose receiving has reached `received` bytes, with `announced` more
// still to come in the current frame, exceeds `limit`. Judged on the frame header's
// length, so an oversized message is refused before its payload is read.
bool exceedsMessageLimit(std::uint64_t received, std::uint64_t announced, std::uint64_t limit);

}  // namespace wsd::websocket
