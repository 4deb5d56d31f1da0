// Which transports a connection round tries, in which order: the configured list, turned
// so that the transport that last worked comes first (a reconnect behind a proxy that
// refuses WebSocket goes straight back to SSE, then on around the list). Pure; any thread.
#pragma once

#include <optional>
#include <vector>

#include "wsclient/types.h"

namespace wsclient::detail {

std::vector<TransportKind> transportRound(const std::vector<TransportKind>& configured,
                                          std::optional<TransportKind> lastWorked);

}  // namespace wsclient::detail
