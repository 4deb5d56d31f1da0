// Server-to-client WebSocket frames built by the gateway itself, so that every message
// queued for a connection leaves in one send(2) instead of one per message: a fan-out to
// a subscriber that is behind, or a burst of events, costs one system call per socket.
// RFC 6455 §5.2: a server's frames are never masked, and a text message fits one frame.
//
// Only for connections without an extension: permessage-deflate rewrites each message's
// payload, which libwebsockets' own framing does (ws_session.cpp).
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace wsd {

// The most header bytes appendTextFrame() adds before a payload.
inline constexpr std::size_t kMaxFrameHeaderBytes = 10;

// Appends one final, unmasked text frame carrying `payload` to `out`.
void appendTextFrame(std::vector<unsigned char>& out, std::string_view payload);

}  // namespace wsd
