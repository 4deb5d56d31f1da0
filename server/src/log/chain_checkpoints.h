// What a log needs to write its chain's checkpoints (core/log_chain.h): when, signed with
// which key, and how their envelopes are made. Shared by the embedded and the Kafka log.
#pragma once

#include <functional>
#include <memory>

#include "core/event.h"
#include "core/log_chain.h"

namespace wsd::log {

struct Checkpoints {
  chain::CheckpointPolicy policy;
  // A new event's envelope (id, ts, node); runs under the log's chain lock, so one call at
  // a time. Null: no checkpoints are written (and a Kafka log writes no chain at all).
  std::function<std::shared_ptr<Event>()> newEvent;
};

}  // namespace wsd::log
