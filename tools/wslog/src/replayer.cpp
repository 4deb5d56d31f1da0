// Bounded replay through the Projector (see the header).
#include "replayer.h"

#include <algorithm>

#include "core/json.h"

namespace wsd::wslog {

bool Replayer::within(const LogRecord& record) {
  const auto partition = record.position.partition;
  if (closed_.contains(partition)) return false;
  if (bound_.until) {
    auto it = bound_.until->find(partition);
    if (it == bound_.until->end() || record.position.offset >= it->second) return false;
  }
  if (bound_.asOfMs && record.event->ts > *bound_.asOfMs) {
    closed_.insert(partition);
    return false;
  }
  return true;
}

Effects Replayer::apply(const LogRecord& record) {
  const Event& e = *record.event;
  projects_.insert(e.project);
  if (e.type == EventType::kProjectCreate || e.type == EventType::kProjectDelete) {
    projects_.insert(json::string(e.data, "key").value_or(""));
  }
  applied_[record.position.partition] = record.position.offset + 1;
  ++count_;
  lastTs_ = std::max(lastTs_, e.ts);
  return projector_.apply(e);
}

}  // namespace wsd::wslog
