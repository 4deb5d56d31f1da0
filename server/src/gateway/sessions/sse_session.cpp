#include "gateway/sessions/sse_session.h"

#include "core/error_codes.h"
#include "gateway/net/connection_state.h"

namespace wsd {

std::string SseSession::eventId(const std::string& conn, std::uint64_t seq) { return conn + ":" + std::to_string(seq); }

void SseSession::enqueue(server_message::Text message) {
  if (finished_) return;
  holdMessage(message->size());
  recent_.emplace_back(nextSeq_++, std::move(message));
  trimWritten();
  if (stream_ != nullptr) lws_callback_on_writable(stream_);
}

void SseSession::dropOldest() {
  releaseMessage(recent_.front().second->size());
  recent_.pop_front();
}

void SseSession::trimWritten() {
  const std::size_t byteWindow = ctx_.sessions.output().limits().perSession / 2;
  auto overWindow = [&] {
    return recent_.size() > ctx_.options.sseReplayMessages || (byteWindow > 0 && heldBytes() > byteWindow);
  };
  while (!recent_.empty() && recent_.front().first <= written_ && overWindow()) dropOldest();
}

std::vector<server_message::Text> SseSession::takeUndelivered() {
  std::vector<server_message::Text> taken;
  while (!recent_.empty()) {
    if (recent_.front().first > written_) taken.push_back(recent_.front().second);
    dropOldest();
  }
  return taken;
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
  // A stream still attached is closed first: one session, one stream, and the old
  // connection does not linger half-closed. Its CLOSED_HTTP finds another stream attached
  // and leaves the session alone (detach).
  if (stream_ != nullptr && stream_ != stream) closeSoon(stream_);
  stream_ = stream;
  written_ = std::min(lastSeq, nextSeq_ - 1);
  trimWritten();
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
  trimWritten();
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
    if (nowMs - detachedAtMs_ >= ctx_.options.sseResumeMs)
      ctx_.endSession(*this, error_codes::kStreamClosed.closeCode, error_codes::kStreamClosed.name);
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
