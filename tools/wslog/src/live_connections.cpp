// Open connections over the log (see the header).
#include "live_connections.h"

#include "core/json.h"

namespace wsd::wslog {

bool LiveConnections::apply(const Event& e) {
  const std::size_t before = conns_.size();
  switch (e.type) {
    case EventType::kConnOpen:
      if (conns_.emplace(e.conn, Holder{e.project, e.node}).second) ++perProject_[e.project];
      break;
    case EventType::kConnClose:
      if (auto it = conns_.find(e.conn); it != conns_.end()) {
        --perProject_[it->second.project];
        conns_.erase(it);
      }
      break;
    case EventType::kNodeStart: endNodeSessions(e.project, e.node); break;
    case EventType::kNodeDown: endNodeSessions(e.project, json::string(e.data, "node").value_or("")); break;
    default: break;
  }
  return conns_.size() != before;
}

std::size_t LiveConnections::inProject(const std::string& project) const {
  auto it = perProject_.find(project);
  return it == perProject_.end() ? 0 : it->second;
}

// O(open connections): node events are rare (a start, or a gateway declared down).
void LiveConnections::endNodeSessions(const std::string& project, const std::string& node) {
  if (project.empty()) return;  // the node table's copy of the event ends nothing
  for (auto it = conns_.begin(); it != conns_.end();) {
    if (it->second.project == project && it->second.node == node) {
      --perProject_[project];
      it = conns_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace wsd::wslog
