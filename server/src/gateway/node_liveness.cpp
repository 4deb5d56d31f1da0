#include "gateway/node_liveness.h"

#include <cstdio>

namespace wsd {

// O(known gateways) per call; called once a second.
void NodeLiveness::tick(std::int64_t nowMs) {
  const auto& o = ctx_.options;
  if (o.nodeHeartbeatMs <= 0) return;
  if (nowMs - lastAliveMs_ >= o.nodeHeartbeatMs) {
    lastAliveMs_ = nowMs;
    ctx_.pipeline.submit(newEvent(EventType::kNodeAlive, "", "", ctx_.decideContext()));
  }
  std::set<std::string> stillKnown;
  for (const auto& [node, lastSeenMs] : ctx_.state.nodes()) {
    stillKnown.insert(node);
    if (node == o.node || nowMs - lastSeenMs < o.nodeTimeoutMs || reported_.count(node) != 0) continue;
    std::fprintf(stderr, "wsd: gateway %s silent for %lld ms: declaring it down\n", node.c_str(),
                 static_cast<long long>(nowMs - lastSeenMs));
    auto event = newEvent(EventType::kNodeDown, "", "", ctx_.decideContext());
    event->data.AddMember("node", rapidjson::Value(node.c_str(), event->alloc()), event->alloc());
    ctx_.pipeline.submit(std::move(event));
    reported_.insert(node);
  }
  std::erase_if(reported_, [&](const std::string& node) { return stillKnown.count(node) == 0; });
}

}  // namespace wsd
