#include "gateway/sessions/poll_session.h"

#include "core/error_codes.h"

namespace wsd {

void PollSession::enqueue(server_message::Text message) {
  if (sharedQueue_ != nullptr) return pushShared(std::move(message));
  holdMessage(message->size());
  queue_.push_back(std::move(message));
  if (held_ != nullptr) answer(held_);
}

void PollSession::pushShared(server_message::Text message) {
  if (draining_) {
    whileDraining_.push_back(std::move(message));
    return;
  }
  sharedQueue_->push(*this, message, [this](SharedPollQueue::QueueSize size) {
    if (closing || spilling()) return;
    if (auto over = sharedQueue_->overBudget(size)) endOverSharedBudget(*over);
  });
}

void PollSession::endOverSharedBudget(OutputBudget::Over over) {
  if (draining_) return;
  draining_ = true;
  sharedQueue_->drain(*this, [this, over](const std::vector<std::string>& drained) { spillThenClose(over, drained); });
}

void PollSession::spillThenClose(OutputBudget::Over over, const std::vector<std::string>& messages) {
  std::vector<std::string> undelivered = messages;
  for (const auto& message : whileDraining_) undelivered.push_back(*message);
  whileDraining_.clear();
  if (sharedQueue_->keepUndelivered(*this, undelivered, [this, over] { spillThenClose(over, {}); })) return;
  draining_ = false;
  sharedQueue_->endOverBudget(*this, over);  // closes: `closed` is all its client finds now
}

std::vector<server_message::Text> PollSession::takeUndelivered() {
  std::vector<server_message::Text> taken;
  taken.swap(queue_);
  for (const auto& message : taken) releaseMessage(message->size());
  return taken;
}

void PollSession::close(int code, const std::string& reason) {
  if (closing) return;
  closing = true;
  closeCode_ = code;
  closeReason_ = reason;
  if (sharedQueue_ == nullptr) {
    send(server_message::closed(code, reason));  // a held or the next GET takes it; then the session ends
    return;
  }
  // Shared queue: whichever gateway the next GET reaches hands `closed` out. The session
  // ends (its conn.close goes to the log) once the queue holds the `closed`: a gateway that
  // applies the conn.close answers a GET it holds with what is queued, and must find it.
  auto closed = server_message::closed(code, reason);
  countSent(*closed);
  sharedQueue_->push(*this, closed,
                     [this, code, reason](SharedPollQueue::QueueSize /*size*/) { end_(*this, code, reason); });
}

void PollSession::markPolled(std::int64_t nowMs) { lastSeenMs_ = nowMs; }

void PollSession::take(PollRequest* request, std::int64_t nowMs) {
  lastSeenMs_ = nowMs;
  if (held_ != nullptr && held_ != request) {
    PollRequest* older = held_;
    held_ = nullptr;
    older->answer("[]");
  }
  if (!queue_.empty()) {
    answer(request);
    return;
  }
  held_ = request;
  heldSinceMs_ = nowMs;
}

void PollSession::release(PollRequest* request, std::int64_t nowMs) {
  if (held_ == request) held_ = nullptr;
  lastSeenMs_ = nowMs;
}

void PollSession::answer(PollRequest* request) {
  std::string body = "[";
  for (std::size_t i = 0; i < queue_.size(); ++i) {
    if (i != 0) body += ',';
    body += *queue_[i];
  }
  body += ']';
  takeUndelivered();  // written now
  lastSeenMs_ = clock_();
  if (held_ == request) held_ = nullptr;
  request->forgetSession();
  request->answer(std::move(body));
  if (closing) end_(*this, closeCode_, closeReason_);  // destroys *this
}

void PollSession::onTick(std::int64_t nowMs) {
  if (held_ != nullptr) {
    if (held_->peerHungUp()) {
      // The client gave up on this GET: keep the messages for its next one.
      held_->closeSoon();
      held_ = nullptr;
      return;
    }
    if (nowMs - heldSinceMs_ >= options_.pollTimeoutMs) answer(held_);
    return;
  }
  if (nowMs - lastSeenMs_ < options_.pollSessionTimeoutMs) return;
  if (sharedQueue_ == nullptr) {
    end_(*this, closing ? closeCode_ : error_codes::kPollTimeout.closeCode,
         closing ? closeReason_ : error_codes::kPollTimeout.name);
    return;
  }
  // Its GETs may go to other gateways: ask whether any was polled lately.
  if (askedElsewhere_) return;
  askedElsewhere_ = true;
  sharedQueue_->wasPolled(*this, [this, nowMs](bool polled) {
    askedElsewhere_ = false;
    if (polled) return markPolled(nowMs);
    sharedQueue_->discard(*this);
    end_(*this, error_codes::kPollTimeout.closeCode, error_codes::kPollTimeout.name);
  });
}

}  // namespace wsd
