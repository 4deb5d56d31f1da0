// Hands a decoded server message to its typed handler (types.h, Handlers).
// Locality: the I/O thread only.
#pragma once

#include "server_messages.h"

namespace wsclient::detail {

// Runs the handler of `event`'s type, if set. Connected and ClosedNotice are the engine's
// to report (they change the session) and are skipped here.
void dispatch(const Handlers& handlers, const ServerEvent& event);

}  // namespace wsclient::detail
