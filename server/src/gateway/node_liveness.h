// Gateway liveness in distributed mode. Each gateway appends `node.alive` every
// heartbeat; each watches the others' through the projections, and when one has been
// silent longer than the timeout (a SIGKILLed process, a lost machine), appends
// `node.down` for it. The decision is taken here, by the clock, and recorded in the
// event; applying it ends that gateway's sessions everywhere, deterministically.
//
// Threads: gateway thread (called from the tick).
#pragma once

#include <cstdint>
#include <set>
#include <string>

#include "gateway/gateway_context.h"

namespace wsd {

class NodeLiveness {
 public:
  explicit NodeLiveness(GatewayContext& ctx) : ctx_(ctx) {}
  void tick(std::int64_t nowMs);

 private:
  GatewayContext& ctx_;
  std::int64_t lastAliveMs_ = 0;
  std::set<std::string> reported_;  // node.down appended, not yet applied
};

}  // namespace wsd
