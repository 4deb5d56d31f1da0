// The ids of the last messages seen, to drop one delivered again: with at-least-once
// offline delivery a stored message comes on every bind until it is acknowledged, and a
// reconnect binds again. O(1) per id; memory: `max` ids.
//
// Locality: the I/O thread only.
#pragma once

#include <deque>
#include <string>
#include <unordered_set>

namespace wsclient::detail {

class RecentIds {
 public:
  explicit RecentIds(std::size_t max) : max_(max) {}

  // False when `id` is among the last `max` ids added (a repeat); 0 for max: never.
  bool add(const std::string& id) {
    if (max_ == 0) return true;
    if (!seen_.insert(id).second) return false;
    order_.push_back(id);
    if (order_.size() > max_) {
      seen_.erase(order_.front());
      order_.pop_front();
    }
    return true;
  }

 private:
  std::size_t max_;
  std::unordered_set<std::string> seen_;
  std::deque<std::string> order_;  // oldest first, to forget in that order
};

}  // namespace wsclient::detail
