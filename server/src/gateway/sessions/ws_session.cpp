#include "gateway/sessions/ws_session.h"

#include "gateway/net/ws_frames.h"

namespace wsd {
namespace {

// The bytes of one write, the transport's headroom first; shared by every session of the
// gateway thread, since the transport copies whatever the socket does not take.
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
  closeAfterMs_ = clock_() + kLingerMs;
  needTicks();  // the linger ends at a tick
  transport_->askWritable();
}

void WsSession::onTick(std::int64_t nowMs) {
  if (closeFramePending_ && nowMs >= closeAfterMs_) transport_->askWritable();
}

void WsSession::writeNow() {
  writePending_ = false;
  if (ended || queue_.empty()) return;
  // Compressing: the connection's extension may hold output of its own, so the writable
  // turn writes. A socket still sending an earlier write keeps the queue for it too
  // (writeQueued leaves it).
  if (compressed_) {
    transport_->askWritable();
    return;
  }
  if (!writeQueued()) {
    transport_->dropSoon();  // closed from its own callback
    return;
  }
  if (!queue_.empty()) transport_->askWritable();
}

void WsSession::prefetchForWrite(PrefetchStage stage) const {
  switch (stage) {
    case PrefetchStage::kSession: {
      constexpr std::size_t kCacheLine = 64;
      const auto* bytes = reinterpret_cast<const char*>(this);
      for (std::size_t offset = 0; offset < sizeof(WsSession); offset += kCacheLine) __builtin_prefetch(bytes + offset);
      break;
    }
    case PrefetchStage::kQueueAndTransport:
      queue_.prefetchFront();
      __builtin_prefetch(transport_.get());
      break;
    case PrefetchStage::kConnection: transport_->prefetchForWrite(); break;
  }
}

AfterWrite WsSession::onWritable() {
  if (!writeQueued()) return AfterWrite::kClose;
  const bool sending = !queue_.empty() || transport_->holdsOutput();
  if (!queue_.empty() || (closeFramePending_ && sending)) {  // the close frame goes after the rest
    transport_->askWritable();
    return AfterWrite::kKeepOpen;
  }
  if (closeFramePending_ && clock_() >= closeAfterMs_) {
    transport_->setCloseFrame(closeCode_, closeReason_);
    return AfterWrite::kClose;
  }
  return AfterWrite::kKeepOpen;
}

bool WsSession::writeQueued() {
  if (queue_.empty() || transport_->holdsOutput()) return true;  // the earlier write goes first
  return compressed_ ? writeFramedByTransport() : writeFramedHere();
}

bool WsSession::writeFramedHere() {
  auto& out = writeBuffer();
  const std::size_t headroom = transport_->headroom();
  out.resize(headroom);
  while (!queue_.empty() && out.size() < headroom + kMostBytesPerWrite) {
    appendTextFrame(out, *queue_.front());
    popWritten();
  }
  return transport_->writeFrames(out);
}

bool WsSession::writeFramedByTransport() {
  while (!queue_.empty() && !transport_->choked()) {
    if (!transport_->writeText(*queue_.front())) return false;
    popWritten();
  }
  return true;
}

}  // namespace wsd
