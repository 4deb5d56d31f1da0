#include "gateway/net/ws_compression.h"

namespace wsd {
namespace {

// How lws hands a payload to the extension on LWS_EXT_CB_PAYLOAD_TX: its
// lws_ext_pm_deflate_rx_ebufs (input, and output the extension may point elsewhere).
// The layout is libwebsockets' own (lib/roles/ws/ext), stable across 4.x.
struct PayloadBuffers {
  lws_tokens in;
  lws_tokens out;
};

bool isWholeMessage(std::size_t writeFlags) {
  const auto opcode = writeFlags & 0xf;
  return (opcode == LWS_WRITE_TEXT || opcode == LWS_WRITE_BINARY) && (writeFlags & LWS_WRITE_NO_FIN) == 0;
}

// libwebsockets' permessage-deflate, except that a whole message under the threshold is
// left alone: the buffers stay as lws prepared them (output = input), the extension's
// state is untouched (so its compression context stays in step with the peer's), and
// since nothing was compressed its pre-send hook leaves RSV1 clear.
int deflateWithThreshold(lws_context* context, const lws_extension* ext, lws* wsi,
                         lws_extension_callback_reasons reason, void* user, void* in, std::size_t len) {
  if (reason == LWS_EXT_CB_PAYLOAD_TX && in != nullptr && isWholeMessage(len)) {
    const auto* buffers = static_cast<const PayloadBuffers*>(in);
    if (static_cast<std::size_t>(buffers->in.len) < deflateThresholdOf(context)) return 0;
  }
  return lws_extension_callback_pm_deflate(context, ext, wsi, reason, user, in, len);
}

const lws_extension kExtensions[] = {
    {"permessage-deflate", deflateWithThreshold, "permessage-deflate; client_max_window_bits"},
    {nullptr, nullptr, nullptr},
};

}  // namespace

bool tuneCompression(lws* wsi) {
  // A power of two; libwebsockets caps it at the protocol's rx_buffer_size (server.cpp).
  // It refuses the option (-1) when the connection has no such extension active.
  return lws_set_extension_option(wsi, "permessage-deflate", "rx_buf_size", "16") == 0;
}

const lws_extension* wsExtensions(bool enabled) { return enabled ? kExtensions : nullptr; }

}  // namespace wsd
