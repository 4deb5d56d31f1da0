// Merges a topic's partitions into one stream ordered by event time, each partition
// kept in its own order (a project's events are in one partition, so each project's
// order is the log's). Deterministic: the earliest head goes first, ties to the lowest
// partition, and nothing leaves before every unfinished partition has a head to compare
// with. So the same records always come out in the same order, whatever the order the
// broker delivered them in. Pure; the caller bounds memory by pausing partitions whose
// buffer() grows (KafkaSource does).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "record.h"

namespace wsd::wslog {

// A record waiting for its turn: the bytes and the time it is ordered by; it is decoded
// when it leaves (a decoded Event costs far more memory than its bytes).
struct BufferedRecord {
  Position position;
  std::string payload;
  std::int64_t ts = 0;
};

// The top-level "ts" of an event's JSON, read without building a document (the parse
// stops once it is found); 0 when there is none, as Event::decode has it.
std::int64_t eventTime(std::string_view payload);

class PartitionMerger {
 public:
  explicit PartitionMerger(const std::vector<std::int32_t>& partitions);

  void push(BufferedRecord record);
  // No more records will come from `partition`.
  void finish(std::int32_t partition);

  // The next record in merged order, once it can be known; nullopt: push more first
  // (or, when done(), there is nothing left).
  std::optional<BufferedRecord> pop();
  bool done() const;
  std::size_t buffered(std::int32_t partition) const;
  // Unfinished partitions with nothing buffered: the ones to read from next.
  std::vector<std::int32_t> starved() const;

 private:
  struct Lane {
    std::deque<BufferedRecord> records;
    bool finished = false;
  };
  std::map<std::int32_t, Lane> lanes_;
};

}  // namespace wsd::wslog
