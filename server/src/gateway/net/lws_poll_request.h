// A polling session's held GET (sessions/transport.h) on a libwebsockets connection. Its
// request's state (connection_state.h) owns it.
//
// Threads: gateway thread only.
#pragma once

#include <libwebsockets.h>

#include "gateway/sessions/transport.h"

namespace wsd {

struct HttpState;

class LwsPollRequest final : public PollRequest {
 public:
  // `state` is the request's own, which owns this.
  LwsPollRequest(lws* wsi, HttpState& state) : wsi_(wsi), state_(state) {}

  void answer(std::string jsonArray) override;
  void forgetSession() override;
  bool peerHungUp() override;
  void closeSoon() override;

 private:
  lws* wsi_;
  HttpState& state_;
};

}  // namespace wsd
