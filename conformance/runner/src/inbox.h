// What an actor has received and not yet consumed, shared between the transport's
// thread (which pushes) and the case's thread (which waits for a matching message).
#pragma once

#include <rapidjson/document.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace wsconform {

using Message = std::shared_ptr<const rapidjson::Document>;

struct CloseInfo {
  int code = 0;
  std::string reason;
};

class Inbox {
 public:
  // Transport thread.
  void push(Message message);
  void closed(CloseInfo info);

  // Case thread: the first unconsumed message for which `accept` returns true, consumed;
  // nullopt when `timeout` passes first, or with `orClose` when the connection has closed
  // without one (nothing more can come).
  std::optional<Message> take(const std::function<bool(const rapidjson::Value&)>& accept,
                              std::chrono::milliseconds timeout, bool orClose = false);
  // Case thread: the close, if it happens within `timeout`.
  std::optional<CloseInfo> waitClosed(std::chrono::milliseconds timeout);
  // Everything still unconsumed, for failure reports.
  std::vector<Message> pending();
  // Everything ever received, consumed or not, for the schema check.
  std::vector<Message> received();

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Message> messages_;
  std::vector<Message> received_;
  std::optional<CloseInfo> closed_;
};

}  // namespace wsconform
