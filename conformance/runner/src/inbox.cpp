#include "inbox.h"

namespace wsconform {

void Inbox::push(Message message) {
  {
    std::lock_guard lock(mutex_);
    received_.push_back(message);
    messages_.push_back(std::move(message));
  }
  changed_.notify_all();
}

void Inbox::closed(CloseInfo info) {
  {
    std::lock_guard lock(mutex_);
    if (!closed_) closed_ = std::move(info);
  }
  changed_.notify_all();
}

std::optional<Message> Inbox::take(const std::function<bool(const rapidjson::Value&)>& accept,
                                   std::chrono::milliseconds timeout, bool orClose) {
  std::unique_lock lock(mutex_);
  std::optional<Message> found;
  changed_.wait_for(lock, timeout, [&] {
    for (auto it = messages_.begin(); it != messages_.end(); ++it) {
      if (accept(**it)) {
        found = *it;
        messages_.erase(it);
        return true;
      }
    }
    return orClose && closed_.has_value();
  });
  return found;
}

std::optional<CloseInfo> Inbox::waitClosed(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, timeout, [&] { return closed_.has_value(); });
  return closed_;
}

std::vector<Message> Inbox::pending() {
  std::lock_guard lock(mutex_);
  return {messages_.begin(), messages_.end()};
}

}  // namespace wsconform

namespace wsconform {

std::vector<Message> Inbox::received() {
  std::lock_guard lock(mutex_);
  return received_;
}

}  // namespace wsconform
