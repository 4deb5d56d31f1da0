// Two gateways must never run under one node id: a second one, started on a copy of the
// first's data directory or with the same --node-id, appends node.start for that id, and
// applying it ends the first one's sessions in every projection while their clients stay
// connected to it, online to themselves and offline to everyone else. The watch notices
// that in the log: once this process's own node.start (the one of the node table) is
// applied, another node.start for the same id can only come from a twin. The later start
// wins, by log order, so exactly one of the two stops.
//
// Threads: gateway thread (an EventPipeline observer).
#pragma once

#include <functional>
#include <string>
#include <utility>

#include "core/event.h"

namespace wsd {

class NodeTwinWatch {
 public:
  // `onTwin` runs once, with what happened in a sentence, when a twin's start is applied.
  NodeTwinWatch(std::string node, std::function<void(const std::string& why)> onTwin)
      : node_(std::move(node)), onTwin_(std::move(onTwin)) {}

  // The id of the node.start (empty project) this process appended.
  void started(std::string ownStartId) { ownStartId_ = std::move(ownStartId); }
  // Every applied event, in log order.
  void observe(const Event& event);

 private:
  std::string node_;
  std::function<void(const std::string&)> onTwin_;
  std::string ownStartId_;
  bool ownStartApplied_ = false;
  bool reported_ = false;
};

}  // namespace wsd
