// How a session that decides its own end (a timeout, a stream gone while it closes) has
// the gateway record and forget it: GatewayContext::endSession in the gateway, a record
// in the unit tests. Its own header, so that a session needs no gateway context for it.
//
// Threads: gateway thread only.
#pragma once

#include <functional>
#include <string>

namespace wsd {

class Session;

// Destroys the session (once the current callback is over): nothing of it may be touched
// after the call.
using SessionEnd = std::function<void(Session& session, int code, const std::string& reason)>;

}  // namespace wsd
