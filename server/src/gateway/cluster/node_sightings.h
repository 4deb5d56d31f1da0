// When this gateway last heard from each gateway, by its own clock. Liveness is judged on
// these rather than on the times inside the events, which are each sender's own clock: a
// gateway whose clock ran behind the others' by more than --node-timeout would otherwise
// be declared down at every heartbeat (its sessions ended each time), and one whose clock
// ran ahead would pass for alive long after it died. The projections' node table keeps
// the sender's times: it is what the log says, the same on every gateway; this is what
// one gateway saw.
//
// Threads: gateway thread only (fed by an EventPipeline observer).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/event.h"

namespace wsd {

class NodeSightings {
 public:
  // The gateways the projections know when this one starts, each as heard from at
  // `nowMs`: their last word was timed by another clock. One that is gone is declared
  // down a node timeout after this gateway starts.
  void seed(const std::vector<std::pair<std::string, std::int64_t>>& known, std::int64_t nowMs);
  // An applied event, as the projector reads the node table: node.start (with no
  // project) and node.alive mean their node was heard from at `nowMs`; node.down (with
  // no project) forgets the node it names.
  void observe(const Event& event, std::int64_t nowMs);
  // Each known gateway with when it was last heard from, by this gateway's clock.
  const std::map<std::string, std::int64_t>& lastHeard() const { return lastHeard_; }

 private:
  std::map<std::string, std::int64_t> lastHeard_;
};

}  // namespace wsd
