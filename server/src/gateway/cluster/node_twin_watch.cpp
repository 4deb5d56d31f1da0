#include "gateway/cluster/node_twin_watch.h"

namespace wsd {

void NodeTwinWatch::observe(const Event& event) {
  if (event.type != EventType::kNodeStart || !event.project.empty() || event.node != node_) return;
  if (!ownStartId_.empty() && event.id == ownStartId_) {
    ownStartApplied_ = true;
    return;
  }
  // Before our own start, a start under our id is a predecessor's (or a twin that our own
  // start will stop in turn).
  if (!ownStartApplied_ || reported_) return;
  reported_ = true;
  onTwin_("another gateway started as node " + node_ + " (its node.start " + event.id +
          " came after this one's): two gateways share a node id, from a copied data directory or the same "
          "--node-id; its start ended this one's sessions, so this one stops");
}

}  // namespace wsd
