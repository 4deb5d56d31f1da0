// Following what a projection has applied (see the header).
#include "core/projection_cursor.h"

#include <algorithm>
#include <cassert>

#include "core/json.h"

namespace wsd {

void ProjectionCursor::advance(const Event& event, std::int32_t partition, std::int64_t offset) {
  assert(offset >= 0);
  auto [it, added] = next_.try_emplace(partition, offset + 1);
  assert(added || it->second <= offset);  // in order, each record once
  it->second = std::max(it->second, offset + 1);
  projects_.insert(event.project);
  if (event.type == EventType::kProjectCreate || event.type == EventType::kProjectDelete) {
    projects_.insert(json::string(event.data, "key").value_or(""));
  }
  ++applied_;
  lastTs_ = std::max(lastTs_, event.ts);
}

}  // namespace wsd
