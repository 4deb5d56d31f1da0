// Per-connection message rate limit: a token bucket. A client that empties the bucket is
// warned once with `rate_limited`; if it sends again before the bucket has refilled, it
// is closed with 1008 (docs/protocol.md#errors).
#pragma once

#include <algorithm>
#include <cstdint>

namespace wsd {

class RateLimiter {
 public:
  enum class Verdict { kAllow, kWarn, kClose };

  RateLimiter(double perSecond, double burst) : rate_(perSecond), burst_(burst), tokens_(burst) {}

  Verdict take(std::int64_t nowMs) {
    refill(nowMs);
    if (tokens_ >= 1.0) {
      tokens_ -= 1.0;
      if (tokens_ >= burst_ / 2) warned_ = false;  // it slowed down: forgive
      return Verdict::kAllow;
    }
    if (warned_) return Verdict::kClose;
    warned_ = true;
    return Verdict::kWarn;
  }

 private:
  void refill(std::int64_t nowMs) {
    if (lastMs_ != 0) tokens_ = std::min(burst_, tokens_ + rate_ * static_cast<double>(nowMs - lastMs_) / 1000.0);
    lastMs_ = nowMs;
  }

  double rate_;
  double burst_;
  double tokens_;
  std::int64_t lastMs_ = 0;
  bool warned_ = false;
};

}  // namespace wsd
