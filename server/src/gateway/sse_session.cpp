#include "gateway/sse_session.h"

#include "gateway/connection_state.h"

namespace wsd {

std::string SseSession::eventId(const std::string& conn, std::uint64_t seq) { return conn + ":" + std::to_string(seq); }

void SseSession::enqueue(server_message::Text message) {
  if (finished_) return;
  recent_.emplace_back(nextSeq_++, std::move(message));
  const std::uint64_t unwritten = nextSeq_ - 1 - written_;
  if (stream_ != nullptr && unwritten > ctx_.options.maxQueuedMessages) {
    recent_.clear();
    close(1008, "slow_consumer");
    return;
  }
  // Keep the replay window, but never drop what the current stream has not seen yet.
  while (recent_.size() > ctx_.options.sseReplayMessages && recent_.front().first <= written_) recent_.pop_front();
  if (stream_ == nullptr) {
    while (recent_.size() > std::max<std::size_t>(ctx_.options.sseReplayMessages, 1)) recent_.pop_front();
  }
  if (stream_ != nullptr) lws_callback_on_writable(stream_);
}

void SseSession::close(int code, const std::string& reason) {
  if (closing) return;
  closing = true;
  closeCode_ = code;
  closeReason_ = reason;
  if (stream_ == nullptr) {
    ctx_.endSession(*this, code, reason);  // destroys *this
    return;
  }
  send(server_message::closed(code, reason));
  finished_ = true;
}

void SseSession::attach(lws* stream, std::uint64_t lastSeq) {
  stream_ = stream;
  written_ = lastSeq;
  lws_callback_on_writable(stream_);
}

void SseSession::detach(lws* stream, std::int64_t nowMs) {
  if (stream != stream_) return;  // an older stream, already replaced by a resumed one
  stream_ = nullptr;
  detachedAtMs_ = nowMs;
  if (closing) ctx_.endSession(*this, closeCode_, closeReason_);  // destroys *this
}

int SseSession::onWritable() {
  std::string out;
  for (const auto& [seq, text] : recent_) {
    if (seq <= written_) continue;
    out += "id: " + eventId(conn(), seq) + "\ndata: " + *text + "\n\n";
    written_ = seq;
    if (out.size() > 65536) break;
  }
  if (out.empty() && keepalivePending_) out = ": keepalive\n\n";
  keepalivePending_ = false;
  if (!out.empty()) {
    if (writeStreamChunk(stream_, out) < 0) return -1;
    lastWriteMs_ = wallClockMs();
  }
  if (written_ + 1 < nextSeq_) {
    lws_callback_on_writable(stream_);
    return 0;
  }
  return finished_ ? -1 : 0;
}

void SseSession::onTick(std::int64_t nowMs) {
  if (stream_ == nullptr) {
    if (nowMs - detachedAtMs_ >= ctx_.options.sseResumeMs) ctx_.endSession(*this, 1001, "stream_closed");
    return;
  }
  if (peerHungUp(stream_)) {
    closeSoon(stream_);  // its CLOSED_HTTP detaches us
    return;
  }
  if (nowMs - lastWriteMs_ >= ctx_.options.heartbeatMs) {
    keepalivePending_ = true;  // a comment line keeps proxies from timing the stream out
    lastWriteMs_ = nowMs;
    lws_callback_on_writable(stream_);
  }
}

}  // namespace wsd
