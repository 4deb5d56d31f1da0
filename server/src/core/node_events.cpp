#include "core/node_events.h"

namespace wsd {

std::shared_ptr<Event> nodeDownEvent(std::string project, const std::string& downNode, const DecideContext& ctx) {
  auto e = newEvent(EventType::kNodeDown, std::move(project), "", ctx);
  e->data.AddMember("node", rapidjson::Value(downNode.c_str(), e->alloc()), e->alloc());
  return e;
}

}  // namespace wsd
