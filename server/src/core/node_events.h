// A gateway's verdict on another gateway (gateway/cluster/node_liveness.cpp) as the event that
// records it: node.down (schemas/events/node.down.json). node.start and node.alive carry
// no data and are plain newEvent()s; node.applied is acknowledgment() (core/decide.h).
#pragma once

#include <memory>
#include <string>

#include "core/decide.h"
#include "core/event.h"

namespace wsd {

// `downNode` was silent past --node-timeout. One event per `project` with sessions on it
// (the projector ends them) and one with an empty project (the node is forgotten).
std::shared_ptr<Event> nodeDownEvent(std::string project, const std::string& downNode, const DecideContext& ctx);

}  // namespace wsd
