#include "gateway/net/lws_ws_transport.h"

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
  // LWS_WRITE_RAW: the frames are complete; libwebsockets sends them as they are, and
  // keeps what the socket does not take for its next writable turn.
  const auto size = buffer.size() - LWS_PRE;
  return lws_write(wsi_, buffer.data() + LWS_PRE, size, LWS_WRITE_RAW) >= static_cast<int>(size);
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

void LwsWsTransport::dropSoon() { lws_set_timeout(wsi_, PENDING_TIMEOUT_KILLED_BY_PARENT, LWS_TO_KILL_ASYNC); }

}  // namespace wsd
