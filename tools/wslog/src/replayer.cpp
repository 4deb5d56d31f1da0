// Bounded replay through the Projector (see the header).
#include "replayer.h"

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
  cursor_.advance(*record.event, record.position.partition, record.position.offset);
  return projector_.apply(*record.event);
}

}  // namespace wsd::wslog
