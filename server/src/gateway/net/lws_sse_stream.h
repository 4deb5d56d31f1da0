// An SSE session's stream (sessions/transport.h): the open response of one GET /sse on
// a libwebsockets connection. Its request's state (connection_state.h) owns it.
//
// Threads: gateway thread only.
#pragma once

#include <libwebsockets.h>

#include "gateway/sessions/transport.h"

namespace wsd {

class LwsSseStream final : public SseStream {
 public:
  explicit LwsSseStream(lws* wsi) : wsi_(wsi) {}

  bool write(std::string_view chunk) override;
  void askWritable() override { lws_callback_on_writable(wsi_); }
  bool peerHungUp() override;
  void closeSoon() override;

 private:
  lws* wsi_;
};

}  // namespace wsd
