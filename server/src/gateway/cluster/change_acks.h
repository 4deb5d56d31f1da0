// An admin change is answered once every live gateway has applied it.
//
// Why: a project's rules (its Origin allowlist, connection cap, signed binds), its tokens
// and its very existence are enforced by whichever gateway a request reaches. An admin
// API that answered as soon as its own gateway had applied a change would let a client
// that acts on the answer (connects with the new token, relies on the tightened
// allowlist) reach a gateway still reading the log behind it. So, with several gateways
// (Kafka), every gateway appends `node.applied` once it has applied such a change, and
// the gateway that took the request answers once it has read that event from every
// gateway alive at the time (heard from within the node timeout), or after it, by
// when a silent gateway is declared down. The acknowledgments are events like any other:
// the log shows when each gateway started enforcing each change.
//
// Threads: gateway thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <unordered_map>

#include "core/event.h"
#include "gateway/cluster/node_sightings.h"

namespace wsd {

struct GatewayContext;

class ChangeAcks {
 public:
  ChangeAcks(GatewayContext& ctx, const NodeSightings& sightings) : ctx_(ctx), sightings_(sightings) {}

  // Whether gateways acknowledge `type`: the changes that decide what a request may do.
  static bool acknowledged(EventType type);

  // Every applied event (a pipeline observer): acknowledges changes, and counts the
  // acknowledgments of the ones waited for.
  void observe(const Event& event);
  // Calls `done` once every other live gateway has acknowledged the change `eventId`
  // (already applied here), or once the node timeout has passed. At once without peers.
  void whenAppliedEverywhere(const std::string& eventId, std::function<void()> done);
  // Gives up on gateways that stayed silent past the node timeout. O(waiting changes).
  void tick(std::int64_t nowMs);
  // The other gateways an admin change taken now waits for: those heard from within the
  // node timeout (the wsd_gateway_peers gauge). Empty without Kafka.
  std::set<std::string> livePeers(std::int64_t nowMs) const;

 private:
  struct Waiting {
    std::set<std::string> pending;  // gateways yet to acknowledge
    std::function<void()> done;
    std::int64_t deadlineMs = 0;
  };

  bool clustered() const;

  GatewayContext& ctx_;
  const NodeSightings& sightings_;
  std::unordered_map<std::string, Waiting> waiting_;  // by the change's event id
};

}  // namespace wsd
