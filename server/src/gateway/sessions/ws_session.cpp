#include "gateway/sessions/ws_session.h"

#include <cstring>

#include "gateway/net/ws_frames.h"

namespace wsd {
namespace {

// The bytes of one write, LWS_PRE headroom first; shared by every session of the gateway
// thread, since libwebsockets copies whatever the socket does not take.
std::vector<unsigned char>& writeBuffer() {
  thread_local std::vector<unsigned char> buffer;
  return buffer;
}

}  // namespace

WsSession::~WsSession() {
  if (writePending_) pending_.remove(this);
}

void WsSession::enqueue(server_message::Text message) {
  if (closeFramePending_) return;
  holdMessage(message->size());
  queue_.push(std::move(message));
  if (!writePending_) {
    writePending_ = true;
    pending_.add(this);
  }
}

std::vector<server_message::Text> WsSession::takeUndelivered() {
  std::vector<server_message::Text> taken;
  taken.reserve(queue_.size());
  while (!queue_.empty()) {
    taken.push_back(queue_.front());
    popWritten();
  }
  return taken;
}

void WsSession::popWritten() {
  releaseMessage(queue_.front()->size());
  queue_.pop();
}

void WsSession::close(int code, const std::string& reason) {
  if (closeFramePending_) return;
  closing = true;
  closeFramePending_ = true;
  closeCode_ = code;
  closeReason_ = reason;
  closeAfterMs_ = wallClockMs() + kLingerMs;
  needTicks();  // the linger ends at a tick
  lws_callback_on_writable(wsi_);
}

void WsSession::onTick(std::int64_t nowMs) {
  if (closeFramePending_ && nowMs >= closeAfterMs_) lws_callback_on_writable(wsi_);
}

void WsSession::writeNow() {
  writePending_ = false;
  if (ended || queue_.empty()) return;
  // Compressing: libwebsockets' extension may hold output of its own, so the writable
  // callback writes. A socket still sending an earlier write keeps the queue for it too
  // (writeQueued leaves it).
  if (compressed_) {
    lws_callback_on_writable(wsi_);
    return;
  }
  if (!writeQueued()) {
    lws_set_timeout(wsi_, PENDING_TIMEOUT_KILLED_BY_PARENT, LWS_TO_KILL_ASYNC);  // closed from its own callback
    return;
  }
  if (!queue_.empty()) lws_callback_on_writable(wsi_);
}

int WsSession::onWritable() {
  if (!writeQueued()) return -1;
  const bool sending = !queue_.empty() || lws_partial_buffered(wsi_) != 0;
  if (!queue_.empty() || (closeFramePending_ && sending)) {  // the close frame goes after the rest
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

bool WsSession::writeQueued() {
  if (queue_.empty() || lws_partial_buffered(wsi_) != 0) return true;  // the earlier write goes first
  return compressed_ ? writeFramedByLws() : writeFramedHere();
}

bool WsSession::writeFramedHere() {
  auto& out = writeBuffer();
  out.resize(LWS_PRE);
  while (!queue_.empty() && out.size() < LWS_PRE + kMostBytesPerWrite) {
    appendTextFrame(out, *queue_.front());
    popWritten();
  }
  // LWS_WRITE_RAW: the frames are complete; libwebsockets sends them as they are, and
  // keeps what the socket does not take for its next writable turn.
  const auto size = out.size() - LWS_PRE;
  return lws_write(wsi_, out.data() + LWS_PRE, size, LWS_WRITE_RAW) >= static_cast<int>(size);
}

bool WsSession::writeFramedByLws() {
  auto& out = writeBuffer();
  while (!queue_.empty() && !lws_send_pipe_choked(wsi_)) {
    const std::string& text = *queue_.front();
    out.resize(LWS_PRE + text.size());
    std::memcpy(out.data() + LWS_PRE, text.data(), text.size());
    if (lws_write(wsi_, out.data() + LWS_PRE, text.size(), LWS_WRITE_TEXT) < static_cast<int>(text.size())) {
      return false;
    }
    popWritten();
  }
  return true;
}

}  // namespace wsd
