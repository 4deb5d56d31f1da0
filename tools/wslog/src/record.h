// One record of the event log as every wslog command sees it, whichever log it came
// from: where it is (partition and offset), its bytes, and the event they decode to.
// The embedded log has one partition, 0.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "core/event.h"
#include "core/result.h"

namespace wsd::wslog {

struct Position {
  std::int32_t partition = 0;
  std::int64_t offset = 0;
};

// A record lives only as long as the visit it is handed to.
struct LogRecord {
  Position position;
  std::string_view payload;  // the event's JSON exactly as stored
  const Event* event;        // decoded; never null
};

// partition -> next offset (everything before it), like the projector's wsd:offsets:TOPIC.
using Offsets = std::map<std::int32_t, std::int64_t>;

// "17" (the embedded log) or "2:17" (partition 2 of a topic).
std::string positionText(Position position, bool partitioned);

// "--until-offset": "N" (partition 0, the embedded log) or "P:N[,P:N...]" (a topic's
// partitions; as in wsd:offsets:TOPIC, a partition not named contributes nothing).
Result<Offsets> parseOffsets(std::string_view text);
std::string offsetsText(const Offsets& offsets);

}  // namespace wsd::wslog
