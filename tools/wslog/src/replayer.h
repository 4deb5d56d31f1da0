// Rebuilding the projections from the log with wsd's own Projector, up to a bound: an
// offset per partition (--until-offset, or the offsets a live projection says it holds)
// and/or a time (--as-of). Pure: the store is whatever the caller hands in (in memory,
// or the Redis store's write-behind copy).
//
// "As of T" is the longest prefix of each partition whose events all have ts <= T: the
// state the log had reached just before its first event after T. (A project's events are
// in one partition, so each project's state is one that really existed.)
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>

#include "core/projection_cursor.h"
#include "core/projector.h"
#include "record.h"

namespace wsd::wslog {

struct ReplayBound {
  std::optional<Offsets> until;        // next offset per partition; absent partitions: nothing
  std::optional<std::int64_t> asOfMs;  // last ts included
};

class Replayer {
 public:
  Replayer(store::StateStore& store, ProjectorLimits limits, ReplayBound bound)
      : projector_(store, limits), bound_(std::move(bound)) {}

  // Whether the record is inside the bound (then it must be applied, in log order).
  bool within(const LogRecord& record);
  // Applies the record's event; the effects say what the server told whom.
  Effects apply(const LogRecord& record);

  // Every project key an applied event named (snapshotOf needs them).
  const std::set<std::string>& projects() const { return cursor_.projects(); }
  // Next offset per partition after what was applied.
  const Offsets& applied() const { return cursor_.next(); }
  std::uint64_t count() const { return cursor_.applied(); }
  std::int64_t lastTs() const { return cursor_.lastTs(); }

 private:
  Projector projector_;
  ReplayBound bound_;
  std::set<std::int32_t> closed_;  // partitions whose prefix ended (as of)
  ProjectionCursor cursor_;
};

}  // namespace wsd::wslog
