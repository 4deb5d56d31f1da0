#include "gateway/net/lws_poll_request.h"

#include "gateway/net/connection_state.h"

namespace wsd {

void LwsPollRequest::answer(std::string jsonArray) {
  respondLater(wsi_, HttpResponse{200, std::move(jsonArray), "application/json", {}});
}

void LwsPollRequest::forgetSession() { state_.pollConn.clear(); }

bool LwsPollRequest::peerHungUp() { return wsd::peerHungUp(wsi_); }

void LwsPollRequest::closeSoon() { wsd::closeSoon(wsi_); }

}  // namespace wsd
