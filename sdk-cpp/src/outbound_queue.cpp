#include "outbound_queue.h"

namespace wsclient::detail {

OutboundQueue::Push OutboundQueue::push(Outgoing item, Outgoing* dropped) {
  if (items_.size() < capacity_) {
    items_.push_back(std::move(item));
    return Push::kQueued;
  }
  if (policy_ == OverflowPolicy::kRejectNew) return Push::kFull;
  *dropped = std::move(items_.front());
  items_.pop_front();
  items_.push_back(std::move(item));
  return Push::kQueuedDroppedOldest;
}

std::optional<Outgoing> OutboundQueue::pop() {
  if (items_.empty()) return std::nullopt;
  Outgoing item = std::move(items_.front());
  items_.pop_front();
  return item;
}

void OutboundQueue::requeueFront(std::vector<Outgoing> items) {
  for (auto it = items.rbegin(); it != items.rend(); ++it) items_.push_front(std::move(*it));
}

std::vector<Outgoing> OutboundQueue::takeAll() {
  std::vector<Outgoing> all(std::make_move_iterator(items_.begin()), std::make_move_iterator(items_.end()));
  items_.clear();
  return all;
}

}  // namespace wsclient::detail
