#include "transport_order.h"

#include <algorithm>

namespace wsclient::detail {

std::vector<TransportKind> transportRound(const std::vector<TransportKind>& configured,
                                          std::optional<TransportKind> lastWorked) {
  std::vector<TransportKind> round = configured;
  if (!lastWorked) return round;
  auto first = std::find(round.begin(), round.end(), *lastWorked);
  if (first != round.end()) std::rotate(round.begin(), first, round.end());
  return round;
}

}  // namespace wsclient::detail
