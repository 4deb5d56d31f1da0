#include "gateway/cluster/node_sightings.h"

#include "core/json.h"

namespace wsd {

void NodeSightings::seed(const std::vector<std::pair<std::string, std::int64_t>>& known, std::int64_t nowMs) {
  for (const auto& entry : known) lastHeard_[entry.first] = nowMs;
}

void NodeSightings::observe(const Event& event, std::int64_t nowMs) {
  switch (event.type) {
    case EventType::kNodeStart:
      if (event.project.empty()) lastHeard_[event.node] = nowMs;
      break;
    case EventType::kNodeAlive: lastHeard_[event.node] = nowMs; break;
    case EventType::kNodeDown:
      if (event.project.empty()) lastHeard_.erase(json::string(event.data, "node").value_or(""));
      break;
    default: break;
  }
}

}  // namespace wsd
