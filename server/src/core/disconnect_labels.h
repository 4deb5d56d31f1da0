// The labels a session's end is counted under (wsd_disconnects_total): its reason and
// close code, each from a fixed set so that a client or an app's backend, which choose
// some closes' reason and code, cannot grow the number of series.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

#include "core/error_codes.h"

namespace wsd::disconnect {

// Labels for an end that carries none of wsd's reasons: the transports' words for an end
// the client caused (listed first), and what close codes 1002 and 1003 stand for, then
// "other" (listed last).
inline constexpr std::array<std::string_view, 2> kClientEndLabels = {
    "client_closed",    // the client sent a WebSocket close
    "connection_lost",  // the connection ended without a close
};
inline constexpr std::array<std::string_view, 3> kCodeLabels = {
    "protocol_error",  // 1002: the client broke RFC 6455
    "binary_frame",    // 1003
    "other",
};

// The reasons a session ends for: kClientEndLabels, every close reason of
// error_codes::kAll (docs/protocol.md, "Errors"), then kCodeLabels. A reason not listed (a
// kick's own, a refusal's sentence) counts as the one its close code stands for (4001
// kicked, 1002 protocol_error, 1003 binary_frame, 1009 message_too_big), or "other".
inline constexpr auto kReasons = [] {
  std::array<std::string_view,
             kClientEndLabels.size() + error_codes::countOf(error_codes::kCloseReason) + kCodeLabels.size()>
      reasons{};
  std::size_t next = 0;
  for (const auto label : kClientEndLabels) reasons.at(next++) = label;
  for (const auto& code : error_codes::kAll) {
    if ((code.surfaces & error_codes::kCloseReason) != 0) reasons.at(next++) = code.name;
  }
  for (const auto label : kCodeLabels) reasons.at(next++) = label;
  return reasons;
}();
static_assert(kReasons.back() == "other", "Labels' default reason is the last one");

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
