// How far a projection has read the log: the next offset of each partition, and every
// project key the applied events named. The gateway keeps one beside its projections and
// wslog's replay another, so that a live state and a replay of the log can be compared at
// exactly the same position (GET /admin/state-snapshot, `wslog verify --admin-url`).
//
// The project keys are kept because a snapshot of the projections must name its projects:
// the state store cannot list a project that has only sessions left. O(log n) per event;
// memory grows with the number of partitions and of project keys ever seen.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "core/event.h"

namespace wsd {

using LogOffsets = std::map<std::int32_t, std::int64_t>;  // partition -> next offset (all before it applied)

class ProjectionCursor {
 public:
  // `event`, the record at `offset` of `partition`, was applied. Offsets of a partition
  // only grow: the log hands records over in order.
  void advance(const Event& event, std::int32_t partition, std::int64_t offset);

  const LogOffsets& next() const { return next_; }
  const std::set<std::string>& projects() const { return projects_; }
  std::uint64_t applied() const { return applied_; }  // events applied
  std::int64_t lastTs() const { return lastTs_; }     // the latest event time applied; 0: none

 private:
  LogOffsets next_;
  std::set<std::string> projects_;
  std::uint64_t applied_ = 0;
  std::int64_t lastTs_ = 0;
};

}  // namespace wsd
