// Gateway liveness in distributed mode. Each gateway appends `node.alive` every
// heartbeat; each watches for the others' (node_sightings.h, by its own clock), and when
// one has been silent longer than the timeout (a SIGKILLed process, a lost machine),
// appends `node.down` for it. The decision is taken here, by the clock, and recorded in
// the event; applying it ends that gateway's sessions everywhere, deterministically.
//
// Threads: gateway thread (called from the tick).
#pragma once

#include <cstdint>
#include <set>
#include <string>

#include "gateway/cluster/node_sightings.h"
#include "gateway/gateway_context.h"

namespace wsd {

// Appends a node.start or node.down about `node`: one event per project that has
// sessions on it (each keyed by its project, so it is ordered with that project's events
// and applied by whoever projects that partition), then one with no project for the
// table of nodes. Returns the id of that last one.
std::string submitNodeEvents(GatewayContext& ctx, EventType type, const std::string& node);

class NodeLiveness {
 public:
  NodeLiveness(GatewayContext& ctx, const NodeSightings& sightings) : ctx_(ctx), sightings_(sightings) {}
  void tick(std::int64_t nowMs);

 private:
  GatewayContext& ctx_;
  const NodeSightings& sightings_;
  std::int64_t lastAliveMs_ = 0;
  std::set<std::string> reported_;  // node.down appended, not yet applied
};

}  // namespace wsd
