#include "gateway/cluster/node_liveness.h"

#include <cstdio>

#include "core/node_events.h"
#include "logging/logger.h"

namespace wsd {

std::string submitNodeEvents(GatewayContext& ctx, EventType type, const std::string& node) {
  std::set<std::string> projects;
  for (const auto& conn : ctx.state.connsOfNode(node)) {
    if (auto session = ctx.state.session(conn)) projects.insert(session->project);
  }
  auto eventFor = [&](const std::string& project) {
    const auto decided = ctx.decideContext();
    return type == EventType::kNodeDown ? nodeDownEvent(project, node, decided) : newEvent(type, project, "", decided);
  };
  for (const auto& project : projects) ctx.pipeline.submit(eventFor(project));
  auto nodeTable = eventFor("");
  std::string id = nodeTable->id;
  ctx.pipeline.submit(std::move(nodeTable));
  return id;
}

// O(known gateways) per call; called once a second.
void NodeLiveness::tick(std::int64_t nowMs) {
  const auto& o = ctx_.options;
  if (o.nodeHeartbeatMs <= 0) return;
  if (nowMs - lastAliveMs_ >= o.nodeHeartbeatMs) {
    lastAliveMs_ = nowMs;
    ctx_.pipeline.submit(newEvent(EventType::kNodeAlive, "", "", ctx_.decideContext()));
  }
  std::set<std::string> stillKnown;
  const auto heard = sightings_.lastHeard();  // a copy: the sightings change as events are applied
  for (const auto& [node, lastHeardMs] : heard) {
    stillKnown.insert(node);
    if (node == o.node || nowMs - lastHeardMs < o.nodeTimeoutMs || reported_.count(node) != 0) continue;
    logging::warn("gateway " + node + " silent for " + std::to_string(nowMs - lastHeardMs) + " ms: declaring it down",
                  {{"node", node}});
    submitNodeEvents(ctx_, EventType::kNodeDown, node);
    reported_.insert(node);
  }
  std::erase_if(reported_, [&](const std::string& node) { return stillKnown.count(node) == 0; });
}

}  // namespace wsd
