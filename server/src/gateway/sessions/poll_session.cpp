#include "gateway/sessions/poll_session.h"

#include "core/error_codes.h"
#include "gateway/cluster/shared_sessions.h"
#include "gateway/gateway_context.h"
#include "gateway/sessions/output_overflow.h"

namespace wsd {

void PollSession::enqueue(server_message::Text message) {
  if (cluster_ != nullptr) return pushShared(std::move(message));
  holdMessage(message->size());
  queue_.push_back(std::move(message));
  if (held_ != nullptr) answer(held_);
}

void PollSession::pushShared(server_message::Text message) {
  if (draining_) {
    whileDraining_.push_back(std::move(message));
    return;
  }
  // Still this session when Redis answers? (connIds are never reused.)
  cluster_->shared->polls.push(project(), conn(), message,
                               [this, &sessions = cluster_->sessions, id = conn()](SharedPollQueues::QueueSize size) {
                                 if (sessions.find(id) != this || closing || spilling()) return;
                                 if (auto over = sessions.output().overSessionBudget(size.messages, size.bytes)) {
                                   endOverSharedBudget(*over);
                                 }
                               });
}

void PollSession::endOverSharedBudget(OutputBudget::Over over) {
  if (draining_) return;
  draining_ = true;
  cluster_->shared->polls.drain(
      project(), conn(),
      [this, &sessions = cluster_->sessions, id = conn(), over](const std::vector<std::string>& drained) {
        if (sessions.find(id) == this) spillThenClose(over, drained);
      });
}

void PollSession::spillThenClose(OutputBudget::Over over, const std::vector<std::string>& messages) {
  std::vector<std::shared_ptr<Event>> kept;
  for (const auto& message : messages) {
    if (auto event = undeliveredEvent(*cluster_, *this, message)) kept.push_back(std::move(event));
  }
  for (const auto& message : whileDraining_) {
    if (auto event = undeliveredEvent(*cluster_, *this, *message)) kept.push_back(std::move(event));
  }
  whileDraining_.clear();
  if (kept.empty()) {
    draining_ = false;
    endOverBudget(*cluster_, *this, over);  // closes: `closed` is all its client finds now
    return;
  }
  auto last = std::move(kept.back());
  kept.pop_back();
  for (auto& event : kept) cluster_->pipeline.submit(std::move(event));
  // One gateway's events reach the log in the order submitted: the last one in means all are.
  cluster_->pipeline.submit(std::move(last),
                            [this, &sessions = cluster_->sessions, id = conn(), over](const Result<Effects>&) {
                              if (sessions.find(id) == this) spillThenClose(over, {});
                            });
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
  if (cluster_ == nullptr) {
    send(server_message::closed(code, reason));  // a held or the next GET takes it; then the session ends
    return;
  }
  // Shared queue: whichever gateway the next GET reaches hands `closed` out. The session
  // ends (its conn.close goes to the log) once Redis holds the `closed`: a gateway that
  // applies the conn.close answers a GET it holds with what is queued, and must find it.
  auto closed = server_message::closed(code, reason);
  countSent(*closed);
  cluster_->shared->polls.push(project(), conn(), closed,
                               [&ctx = *cluster_, conn = conn(), code, reason](auto /*size*/) {
                                 if (Session* session = ctx.sessions.find(conn)) ctx.endSession(*session, code, reason);
                               });
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
  if (cluster_ == nullptr) {
    end_(*this, closing ? closeCode_ : error_codes::kPollTimeout.closeCode,
         closing ? closeReason_ : error_codes::kPollTimeout.name);
    return;
  }
  // Its GETs may go to other gateways: ask whether any was polled lately.
  if (askedElsewhere_) return;
  askedElsewhere_ = true;
  cluster_->shared->polls.wasPolled(
      project(), conn(), [&sessions = cluster_->sessions, id = conn(), nowMs](bool polled) {
        auto* self = dynamic_cast<PollSession*>(sessions.find(id));
        if (self == nullptr) return;  // ended meanwhile
        self->askedElsewhere_ = false;
        if (polled) return self->markPolled(nowMs);
        self->cluster_->shared->polls.discard(self->project(), self->conn());
        self->end_(*self, error_codes::kPollTimeout.closeCode, error_codes::kPollTimeout.name);
      });
}

}  // namespace wsd
