// A live wsd's projections as GET /admin/state-snapshot answers them (docs/analysts.md,
// "Verifying a running wsd"): the canonical snapshot, the log position it reflects and the
// limits it was built with; and how far a replay of the log read here fell short of that
// position. Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/projector.h"
#include "record.h"
#include "snapshot_diff.h"

namespace wsd::wslog {

struct LiveState {
  std::string node;     // the gateway that answered
  std::string logName;  // "embedded", or the Kafka topic it reads
  Offsets offsets;      // every record before these, and none after, is in `snapshot`
  std::uint64_t applied = 0;
  ProjectorLimits limits;
  Snapshot snapshot;
};

// Parses the body of a 200 answer; an error (code bad_snapshot) names what is wrong.
Result<LiveState> parseLiveState(std::string_view body);

// One line per partition whose replay stopped before the live position: "partition 0:
// the log read here ends at offset 40, the live state reflects 0..44 (4 records missing)".
std::vector<std::string> positionShortfalls(const Offsets& live, const Offsets& replayed, bool partitioned);

}  // namespace wsd::wslog
