// WebSocket compression: permessage-deflate (RFC 7692), negotiated when the client offers
// it, through libwebsockets' own extension. One thing is added to it: a message shorter
// than the threshold goes out uncompressed (RSV1 clear, which RFC 7692 allows message by
// message), since deflating a few dozen bytes costs more CPU than the bytes it saves.
// Clients that do not offer the extension are served as before.
//
// Threads: gateway thread only (libwebsockets calls the extension from its service loop).
#pragma once

#include <libwebsockets.h>

#include <cstddef>

namespace wsd {

// The table for lws_context_creation_info::extensions: permessage-deflate, or nullptr when
// compression is off. `threshold()` reads the context's own setting at each write.
const lws_extension* wsExtensions(bool enabled);

// Called when a WebSocket connection is established: lets the extension inflate a whole
// client message (up to the protocol's 64 KiB receive buffer) in one pass, instead of 1 KiB
// at a time: libwebsockets' inflate is at its weakest when a message spans several passes
// (4.1 lost track of message ends; 4.3.5 as released aborts when its buffer fills just
// before a message's end, which cmake/libwebsockets-patches/0003 fixes). Returns whether
// the connection negotiated it (no-op when it did not).
bool tuneCompression(lws* wsi);

// What the extension asks of the context it serves (its lws_context_user): the smallest
// message, in bytes, worth compressing. GatewayServer provides it.
std::size_t deflateThresholdOf(lws_context* context);

}  // namespace wsd
