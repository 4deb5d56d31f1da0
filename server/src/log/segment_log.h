// The embedded event log: an append-only sequence of records kept in segment files in
// one directory. It is the default source of truth when no Kafka broker is configured.
//
// On-disk format (one record):   u32 length (LE) | u32 crc32 of payload (LE) | payload
// Segment files are named by the offset of their first record, 20 decimal digits,
// e.g. 00000000000000000000.log, and roll over at `segment_bytes`.
//
// Invariants kept here:
//  1. Offsets are dense: record N+1 follows record N, across segment boundaries.
//  2. After open() the log ends at its last intact record: a torn or corrupt tail
//     (short header, short payload, CRC mismatch, absurd length) is truncated and
//     reported through `Options::warn`; later segments, if any, are removed.
//  3. append() returns only after write(2) has handed the record to the kernel, so a
//     SIGKILL after it returns loses nothing; sync() adds fsync(2) for power loss.
//  4. Opened `read_only` (tools reading a live log, e.g. wslog), it writes nothing: the
//     directory must exist, a torn or corrupt tail is reported and read around rather
//     than truncated (the writer may be in the middle of that record), append() fails.
//     The log is the records intact at open(); later appends are not seen.
//
// Threads: not thread-safe; one owner thread (the backend thread) calls everything.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace wsd::log {

using Offset = std::uint64_t;

class SegmentLog {
 public:
  struct Options {
    std::string directory;                         // created if missing
    std::uint64_t segment_bytes = 64ull << 20;     // roll over after this many bytes
    std::uint32_t max_record_bytes = 16u << 20;    // a larger length field means corruption
    std::function<void(const std::string&)> warn;  // recovery notices; may be empty
    bool read_only = false;                        // see invariant 4
  };

  static Result<std::unique_ptr<SegmentLog>> open(Options options);
  ~SegmentLog();
  SegmentLog(const SegmentLog&) = delete;
  SegmentLog& operator=(const SegmentLog&) = delete;

  // Appends one record; returns its offset.
  Result<Offset> append(std::string_view payload);
  // Appends several records with one write(2) per segment touched; returns the first offset.
  Result<Offset> appendBatch(const std::vector<std::string>& payloads);
  // fsync(2) of the active segment.
  Status sync();
  // A descriptor of the active segment, or -1 if there is none, for an fsync on another
  // thread while this one goes on appending (and may roll to a new segment). The caller
  // closes it.
  Result<int> duplicateActiveFd() const;
  // The active segment's path, for messages.
  std::string activePath() const;
  // Calls `visit` for every record with offset >= from, in order. Stops early and returns
  // the error if reading fails.
  Status replay(Offset from, const std::function<void(Offset, std::string_view)>& visit) const;

  Offset nextOffset() const;  // offset the next append will get (== record count)

 private:
  struct Impl;
  explicit SegmentLog(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace wsd::log
