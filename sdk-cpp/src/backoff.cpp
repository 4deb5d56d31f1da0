#include "backoff.h"

#include <algorithm>
#include <cmath>

namespace wsclient::detail {

std::chrono::milliseconds backoffDelay(const ReconnectOptions& options, unsigned attempt, double unit) {
  const double initial = static_cast<double>(options.initialDelay.count());
  const double ceiling = static_cast<double>(options.maxDelay.count());
  // Capped before the power can overflow: multiplier^attempt only grows.
  const double grown = std::min(ceiling, initial * std::pow(options.multiplier, std::min(attempt, 64U)));
  const double jittered = grown * (1.0 - options.jitter * std::clamp(unit, 0.0, 1.0));
  return std::chrono::milliseconds(std::max<std::int64_t>(1, std::llround(jittered)));
}

Backoff::Backoff(const ReconnectOptions& options, std::uint64_t seed) : options_(options), random_(seed) {}

std::chrono::milliseconds Backoff::next() {
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  return backoffDelay(options_, attempts_++, unit(random_));
}

}  // namespace wsclient::detail
