#include "gateway/sessions/sse_session.h"

#include "core/error_codes.h"

namespace wsd {

std::string SseSession::eventId(const std::string& conn, std::uint64_t seq) { return conn + ":" + std::to_string(seq); }

void SseSession::enqueue(server_message::Text message) {
  if (finished_) return;
  holdMessage(message->size());
  recent_.emplace_back(nextSeq_++, std::move(message));
  trimWritten();
  if (stream_ != nullptr) stream_->askWritable();
}

void SseSession::dropOldest() {
  releaseMessage(recent_.front().second->size());
  recent_.pop_front();
}

void SseSession::trimWritten() {
  const std::size_t byteWindow = budget_.limits().perSession / 2;
  auto overWindow = [&] {
    return recent_.size() > options_.sseReplayMessages || (byteWindow > 0 && heldBytes() > byteWindow);
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
    end_(*this, code, reason);  // destroys *this
    return;
  }
  send(server_message::closed(code, reason));
  finished_ = true;
}

void SseSession::attach(SseStream* stream, std::uint64_t lastSeq) {
  // A stream still attached is closed first: one session, one stream, and the old
  // connection does not linger half-closed. Its end finds another stream attached
  // and leaves the session alone (detach).
  if (stream_ != nullptr && stream_ != stream) stream_->closeSoon();
  stream_ = stream;
  written_ = std::min(lastSeq, nextSeq_ - 1);
  trimWritten();
  stream_->askWritable();
}

void SseSession::detach(SseStream* stream, std::int64_t nowMs) {
  if (stream != stream_) return;  // an older stream, already replaced by a resumed one
  stream_ = nullptr;
  detachedAtMs_ = nowMs;
  if (closing) end_(*this, closeCode_, closeReason_);  // destroys *this
}

AfterWrite SseSession::onWritable() {
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
    if (!stream_->write(out)) return AfterWrite::kClose;
    lastWriteMs_ = clock_();
  }
  if (written_ + 1 < nextSeq_) {
    stream_->askWritable();
    return AfterWrite::kKeepOpen;
  }
  return finished_ ? AfterWrite::kClose : AfterWrite::kKeepOpen;
}

void SseSession::onTick(std::int64_t nowMs) {
  if (stream_ == nullptr) {
    if (nowMs - detachedAtMs_ >= options_.sseResumeMs)
      end_(*this, error_codes::kStreamClosed.closeCode, error_codes::kStreamClosed.name);
    return;
  }
  if (stream_->peerHungUp()) {
    stream_->closeSoon();  // its end detaches us
    return;
  }
  if (nowMs - lastWriteMs_ >= options_.heartbeatMs) {
    keepalivePending_ = true;  // a comment line keeps proxies from timing the stream out
    lastWriteMs_ = nowMs;
    stream_->askWritable();
  }
}

}  // namespace wsd
