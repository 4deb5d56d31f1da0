// The embedded event log: an append-only sequence of records kept in segment files in
// one directory. It is the default source of truth when no Kafka broker is configured.
// The record format, the segment names and the torn-tail rule are in segment_format.h.
//
// Invariants kept here (guarded by segment_log_test.cpp and file_io order tests):
//  1. Offsets are dense: record N+1 follows record N, across segment boundaries; each
//     segment's name is the offset of its first record.
//  2. Nothing acknowledged is destroyed. open() cuts only a torn tail of the LAST segment
//     (segment_format.h, T1..T4), and first copies the cut bytes into
//     DIRECTORY/torn/<segment>.at-<byte>.torn. Any other bad record, and any gap or
//     overlap between segment names and record counts, makes open() fail with code
//     log_damaged, naming the file and byte and `repair_hint`, having changed nothing.
//     Entries of the directory that are not segments are left alone, with a warning.
//  3. append() returns only after write(2) has handed the records to the kernel, so a
//     SIGKILL after it returns loses nothing. With `sync_each_append` it returns only
//     after fsync(2) of every segment it wrote to and, when it created a segment, of the
//     directory, so a power loss loses nothing acknowledged either. At a roll the old
//     segment is synced before the new one is created, and closed only after. With
//     `defer_rolled_syncs` instead, a rolled segment is closed only once a periodic sync
//     took it (takeUnsynced), so "synced every second" holds across rolls too.
//  4. A failed append reports exactly what is in the log: a batch is written in pieces,
//     one per segment it touches; a piece whose write (or, with sync_each_append, whose
//     fsync) fails is cut back off (ftruncate, then fsync), so the records of the pieces
//     before it are in the log and reported written, and the rest are not. If a piece
//     cannot be cut back off, the log takes no more appends until it is opened again.
//  5. Opened `read_only` (tools reading a live log, e.g. wslog), it writes nothing: the
//     directory must exist, a torn tail or damage is reported and read around rather
//     than cut (the writer may be in the middle of that record), append() fails.
//     The log is the records intact at open(); later appends are not seen.
//
// Threads: not thread-safe; its owner (EmbeddedLog, under its write lock) calls everything.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "log/file_io.h"
#include "log/segment_format.h"

namespace wsd::log {

class SegmentLog {
 public:
  struct Options {
    std::string directory;                                    // created if missing
    std::uint64_t segment_bytes = 64ull << 20;                // roll over after this many bytes
    std::uint32_t max_record_bytes = kDefaultMaxRecordBytes;  // a larger length field means damage
    std::function<void(const std::string&)> warn;             // recovery notices; may be empty
    bool read_only = false;                                   // see invariant 5
    bool sync_each_append = false;                            // see invariant 3 (wsd --fsync always)
    // Without sync_each_append: a segment rolled away stays open until takeUnsynced()
    // hands it over, so that a periodic sync (wsd --fsync everysec) reaches its last
    // records and the new segment's name too, not only the active segment.
    bool defer_rolled_syncs = false;
    std::string repair_hint;  // how to repair damage, told when open() refuses
    FileIo* io = nullptr;     // the file calls that change files; null: the system's
  };

  // What an append did (invariant 4): the first `written` records of the batch are in the
  // log, from offset `first` on; `status` says why the others are not.
  struct Appended {
    Offset first = 0;
    std::size_t written = 0;
    Status status = okStatus();
  };

  static Result<std::unique_ptr<SegmentLog>> open(Options options);
  ~SegmentLog();
  SegmentLog(const SegmentLog&) = delete;
  SegmentLog& operator=(const SegmentLog&) = delete;

  // Appends one record; returns its offset.
  Result<Offset> append(std::string_view payload);
  // Appends several records with one write(2) per segment touched (invariants 3 and 4).
  Appended appendBatch(const std::vector<std::string>& payloads);
  // fsync(2) of the active segment.
  Status sync();
  // What a periodic sync has to flush (defer_rolled_syncs): the segments rolled away
  // since the last call and a duplicate of the active one, for syncUnsynced() on another
  // thread while this one goes on appending (and may roll again).
  struct Unsynced {
    std::vector<int> fds;
    bool newSegments = false;  // segments were created: the directory holds new names
  };
  Result<Unsynced> takeUnsynced();
  // fsync(2) of each descriptor (closing it) and, after new segments, of the directory.
  // Safe on any thread (it touches no state of the log). The first failure is returned;
  // every descriptor is closed either way.
  Status syncUnsynced(const Unsynced& unsynced) const;
  // The active segment's path, for messages.
  std::string activePath() const;
  // Calls `visit` for every record with offset >= from, in order. Stops early and returns
  // the error if reading fails.
  Status replay(Offset from, const std::function<void(Offset, std::string_view)>& visit) const;

  Offset nextOffset() const;  // offset the next append will get (== record count)
  bool syncsEachAppend() const;

 private:
  struct Impl;
  explicit SegmentLog(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace wsd::log
