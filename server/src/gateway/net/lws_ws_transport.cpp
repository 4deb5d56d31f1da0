#include "gateway/net/lws_ws_transport.h"

#include <sys/socket.h>

#include <cerrno>
#include <cstring>

namespace wsd {
namespace {

// One message with LWS_PRE headroom in front; shared by every connection of the gateway
// thread, since libwebsockets copies whatever the socket does not take.
std::vector<unsigned char>& textBuffer() {
  thread_local std::vector<unsigned char> buffer;
  return buffer;
}

}  // namespace

bool LwsWsTransport::writeFrames(std::vector<unsigned char>& buffer) {
  // The frames are complete, and libwebsockets holds nothing for this socket (the session
  // asked, holdsOutput): they go to the socket directly. libwebsockets' write path, for
  // bytes it would send as they are, was a third of the server's own CPU in a broadcast.
  // What the socket does not take goes to libwebsockets (LWS_WRITE_RAW), which keeps it
  // and sends it first on the next writable turn.
  unsigned char* frames = buffer.data() + LWS_PRE;
  const std::size_t size = buffer.size() - LWS_PRE;
  const ssize_t sent = ::send(lws_get_socket_fd(wsi_), frames, size, MSG_NOSIGNAL | MSG_DONTWAIT);
  if (sent == static_cast<ssize_t>(size)) return true;
  if (sent < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return false;  // the peer is gone
  const std::size_t taken = sent > 0 ? static_cast<std::size_t>(sent) : 0;
  const std::size_t rest = size - taken;
  return lws_write(wsi_, frames + taken, rest, LWS_WRITE_RAW) >= static_cast<int>(rest);
}

bool LwsWsTransport::writeText(std::string_view message) {
  auto& out = textBuffer();
  out.resize(LWS_PRE + message.size());
  std::memcpy(out.data() + LWS_PRE, message.data(), message.size());
  return lws_write(wsi_, out.data() + LWS_PRE, message.size(), LWS_WRITE_TEXT) >= static_cast<int>(message.size());
}

void LwsWsTransport::setCloseFrame(int code, const std::string& reason) {
  // lws_close_reason copies the reason into the frame it builds; it never writes to it.
  lws_close_reason(wsi_, static_cast<lws_close_status>(code),
                   reinterpret_cast<unsigned char*>(const_cast<char*>(reason.data())), reason.size());
}

// libwebsockets' connection struct is opaque here; a write reads a few of its fields
// (whether it holds output, the socket), which 4.3 keeps near its end. The whole struct
// is about 800 bytes: loading 1 KiB from its start covers them in any layout, for 16
// prefetches that cost next to nothing beside a send(2).
void LwsWsTransport::prefetchForWrite() const {
  constexpr std::size_t kConnectionBytes = 1024;
  constexpr std::size_t kCacheLine = 64;
  const auto* bytes = reinterpret_cast<const char*>(wsi_);
  for (std::size_t offset = 0; offset < kConnectionBytes; offset += kCacheLine) __builtin_prefetch(bytes + offset);
}

void LwsWsTransport::dropSoon() { lws_set_timeout(wsi_, PENDING_TIMEOUT_KILLED_BY_PARENT, LWS_TO_KILL_ASYNC); }

}  // namespace wsd
