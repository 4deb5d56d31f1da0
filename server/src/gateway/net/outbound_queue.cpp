// See outbound_queue.h.
#include "gateway/net/outbound_queue.h"

#include <iterator>

namespace wsd {

namespace {
// Below this many popped slots, compacting would cost more than it gives back.
constexpr std::size_t kLeastSlotsToCompact = 32;
}  // namespace

void OutboundQueue::pop() {
  items_[head_++].reset();
  if (empty()) {
    clear();
  } else if (head_ >= kLeastSlotsToCompact && head_ * 2 >= items_.size()) {
    items_.erase(items_.begin(), items_.begin() + static_cast<std::ptrdiff_t>(head_));
    head_ = 0;
  }
}

void OutboundQueue::clear() {
  std::vector<server_message::Text>().swap(items_);
  head_ = 0;
}

}  // namespace wsd
