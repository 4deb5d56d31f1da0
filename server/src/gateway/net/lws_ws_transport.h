// A WebSocket session's connection (sessions/transport.h) on a libwebsockets wsi.
//
// Threads: gateway thread only (inside libwebsockets callbacks, or PendingWrites::flush
// right after one).
#pragma once

#include <libwebsockets.h>

#include "gateway/sessions/transport.h"

namespace wsd {

class LwsWsTransport final : public WsTransport {
 public:
  explicit LwsWsTransport(lws* wsi) : wsi_(wsi) {}

  std::size_t headroom() const override { return LWS_PRE; }
  bool writeFrames(std::vector<unsigned char>& buffer) override;
  bool writeText(std::string_view message) override;
  bool choked() const override { return lws_send_pipe_choked(wsi_) != 0; }
  bool holdsOutput() const override { return lws_partial_buffered(wsi_) != 0; }
  void askWritable() override { lws_callback_on_writable(wsi_); }
  void setCloseFrame(int code, const std::string& reason) override;
  void dropSoon() override;
  void prefetchForWrite() const override;

 private:
  lws* wsi_;
};

}  // namespace wsd
