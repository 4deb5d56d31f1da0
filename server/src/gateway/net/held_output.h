// A WebSocket connection is not read from while libwebsockets holds output for it.
//
// libwebsockets keeps what a socket does not take and sends it first once the socket is
// writable. If the peer hangs up (FIN) while such output is held and its socket is not
// writable (the peer stopped reading), libwebsockets 4.1 reads the hang-up, starts a
// close that must first flush the held output, and its service loop then retries the
// same socket without returning: the gateway thread would spin there for good. Not
// asking for input while output is held keeps the hang-up unread until the output has
// gone; a socket that fails is reported as such and closed at once, and a close that
// cannot flush ends by libwebsockets' timeout.
//
// The price is back-pressure: a client with megabytes of output waiting is not heard until
// it has read them. Call after every write to `wsi` (and in its writable callback, where
// held output has just been sent). HTTP streams (SSE, the admin event stream) need none of
// this: libwebsockets does not read an HTTP connection while it holds output for it
// (dropped_readers.test.mjs checks both).
#pragma once

#include <libwebsockets.h>

namespace wsd {

void readOnlyWithoutHeldOutput(lws* wsi);

}  // namespace wsd
