#include "gateway/ws_session.h"

#include <cstring>

namespace wsd {

void WsSession::enqueue(server_message::Text message) {
  if (closeFramePending_) return;
  if (queue_.size() >= maxQueued_) {
    // A reader this far behind would only grow our memory: drop it, as a slow consumer.
    queue_.clear();
    close(1008, "slow_consumer");
    return;
  }
  queue_.push_back(std::move(message));
  lws_callback_on_writable(wsi_);
}

void WsSession::close(int code, const std::string& reason) {
  if (closeFramePending_) return;
  closing = true;
  closeFramePending_ = true;
  closeCode_ = code;
  closeReason_ = reason;
  closeAfterMs_ = wallClockMs() + kLingerMs;
  lws_callback_on_writable(wsi_);
}

void WsSession::onTick(std::int64_t nowMs) {
  if (closeFramePending_ && nowMs >= closeAfterMs_) lws_callback_on_writable(wsi_);
}

int WsSession::onWritable() {
  while (!queue_.empty() && !lws_send_pipe_choked(wsi_)) {
    const std::string& text = *queue_.front();
    frame_.resize(LWS_PRE + text.size());
    std::memcpy(frame_.data() + LWS_PRE, text.data(), text.size());
    if (lws_write(wsi_, frame_.data() + LWS_PRE, text.size(), LWS_WRITE_TEXT) < static_cast<int>(text.size())) {
      return -1;
    }
    queue_.pop_front();
  }
  if (!queue_.empty()) {
    lws_callback_on_writable(wsi_);
    return 0;
  }
  if (closeFramePending_ && wallClockMs() >= closeAfterMs_) {
    lws_close_reason(wsi_, static_cast<lws_close_status>(closeCode_),
                     reinterpret_cast<unsigned char*>(closeReason_.data()), closeReason_.size());
    return -1;
  }
  return 0;
}

}  // namespace wsd
