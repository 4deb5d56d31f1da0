// HMAC-SHA256 as lowercase hex: what signed binds and webhook deliveries are signed with
// (docs/protocol.md "Signed bind", docs/webhooks.md). Threads: any (no state).
#pragma once

#include <string>
#include <string_view>

namespace wsd {

std::string hmacSha256Hex(std::string_view key, std::string_view message);

}  // namespace wsd
