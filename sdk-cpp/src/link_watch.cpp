#include "link_watch.h"

namespace wsclient::detail {

LinkWatch::Action LinkWatch::check(Clock::time_point now) {
  if (options_.pingAfter.count() <= 0) return Action::kNone;
  if (pingedAt_) return now >= *pingedAt_ + options_.deadAfter ? Action::kDead : Action::kNone;
  if (now < lastHeard_ + options_.pingAfter) return Action::kNone;
  pingedAt_ = now;
  return Action::kPing;
}

std::optional<Clock::time_point> LinkWatch::nextDeadline() const {
  if (options_.pingAfter.count() <= 0) return std::nullopt;
  if (pingedAt_) return *pingedAt_ + options_.deadAfter;
  return lastHeard_ + options_.pingAfter;
}

}  // namespace wsclient::detail
