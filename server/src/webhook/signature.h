// The signature every webhook delivery carries, so a receiver can tell it came from wsd
// and was not replayed long after:
//
//   X-Wsd-Timestamp: <unix seconds when the attempt was made>
//   X-Wsd-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>
//
// docs/webhooks.md shows how to verify it. Threads: any (no state).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace wsd::webhook {

// The X-Wsd-Signature value for `body` sent at `unixSeconds`: "sha256=<hex>".
std::string signatureHeader(std::string_view secret, std::int64_t unixSeconds, std::string_view body);

}  // namespace wsd::webhook
