#include "shared_state.h"

namespace wsclient::detail {

SendStatus SharedState::enqueue(Outgoing item) {
  std::lock_guard lock(mutex_);
  if (closeRequested_) return SendStatus::kClosed;
  auto query = item.query;
  Outgoing dropped;
  switch (queue_.push(std::move(item), &dropped)) {
    case OutboundQueue::Push::kFull: return SendStatus::kQueueFull;
    case OutboundQueue::Push::kQueuedDroppedOldest: dropped_.push_back(std::move(dropped)); break;
    case OutboundQueue::Push::kQueued: break;
  }
  if (query) newQueries_.push_back(std::move(query));
  wakeLocked();
  return SendStatus::kAccepted;
}

bool SharedState::requestClose() {
  std::lock_guard lock(mutex_);
  if (closeRequested_) return false;
  closeRequested_ = true;
  wakeLocked();
  return true;
}

State SharedState::state() const {
  std::lock_guard lock(mutex_);
  return state_;
}

std::string SharedState::connId() const {
  std::lock_guard lock(mutex_);
  return connId_;
}

TransportKind SharedState::transport() const {
  std::lock_guard lock(mutex_);
  return transport_;
}

std::size_t SharedState::queued() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

bool SharedState::waitClosed(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return stateCv_.wait_for(lock, timeout, [this] { return state_ == State::kClosed; });
}

SharedState::Intake SharedState::takeIntake() {
  std::lock_guard lock(mutex_);
  Intake intake;
  intake.dropped.swap(dropped_);
  intake.queries.swap(newQueries_);
  intake.close = closeRequested_ && !closeTaken_;
  closeTaken_ = closeTaken_ || closeRequested_;
  woken_ = false;
  return intake;
}

std::optional<Outgoing> SharedState::pop() {
  std::lock_guard lock(mutex_);
  return queue_.pop();
}

void SharedState::requeueFront(std::vector<Outgoing> items) {
  std::lock_guard lock(mutex_);
  queue_.requeueFront(std::move(items));
}

std::vector<Outgoing> SharedState::takeAll() {
  std::lock_guard lock(mutex_);
  return queue_.takeAll();
}

bool SharedState::queueEmpty() const {
  std::lock_guard lock(mutex_);
  return queue_.empty();
}

void SharedState::publishState(State state) {
  {
    std::lock_guard lock(mutex_);
    state_ = state;
  }
  stateCv_.notify_all();
}

void SharedState::publishSession(const std::string& connId, TransportKind transport) {
  std::lock_guard lock(mutex_);
  connId_ = connId;
  transport_ = transport;
}

void SharedState::setWaker(Transport* link) {
  std::lock_guard lock(mutex_);
  waker_ = link;
}

void SharedState::wait(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  workCv_.wait_until(lock, deadline, [this] { return woken_; });
  woken_ = false;
}

// Lock held. The link's wake() is safe from any thread (lws_cancel_service, curl_multi_wakeup).
void SharedState::wakeLocked() {
  woken_ = true;
  if (waker_ != nullptr) waker_->wake();
  workCv_.notify_one();
}

// ---- Room positions: the I/O thread writes, any thread reads -------------------------

std::optional<RoomPosition> SharedState::roomPosition(const std::string& roomId) const {
  std::lock_guard lock(mutex_);
  return rooms_.get(roomId);
}

void SharedState::roomJoined(const RoomEvent& reply, const std::optional<RoomPosition>& since) {
  std::lock_guard lock(mutex_);
  rooms_.joined(reply, since);
}

bool SharedState::advanceRoom(const std::string& roomId, std::int64_t offset, const std::string& epoch) {
  std::lock_guard lock(mutex_);
  return rooms_.advance(roomId, offset, epoch);
}

void SharedState::forgetRoom(const std::string& roomId) {
  std::lock_guard lock(mutex_);
  rooms_.forget(roomId);
}

}  // namespace wsclient::detail
