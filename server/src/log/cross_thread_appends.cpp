#include "log/cross_thread_appends.h"

#include <cassert>

namespace wsd::log {

CrossThreadAppends::CrossThreadAppends(event_base* loop, std::function<void(EventPtr)> appendOnLoop)
    : appendOnLoop_(std::move(appendOnLoop)) {
  assert(appendOnLoop_);
  wake_ = event_new(
      loop, -1, 0, [](evutil_socket_t, short, void* self) { static_cast<CrossThreadAppends*>(self)->appendQueued(); },
      this);
}

CrossThreadAppends::~CrossThreadAppends() { event_free(wake_); }

void CrossThreadAppends::append(EventPtr event) {
  bool wasEmpty = false;
  {
    std::lock_guard lock(mutex_);
    wasEmpty = queue_.empty();
    queue_.push_back(std::move(event));
  }
  if (wasEmpty) event_active(wake_, EV_READ, 0);
}

void CrossThreadAppends::appendQueued() {
  std::vector<EventPtr> batch;
  {
    std::lock_guard lock(mutex_);
    batch.swap(queue_);
  }
  for (auto& event : batch) appendOnLoop_(std::move(event));
}

}  // namespace wsd::log
