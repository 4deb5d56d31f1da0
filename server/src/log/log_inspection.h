// Looking over the embedded log's directory without changing anything: which entries are
// segments, where each segment's intact records end, and where the log stops being
// intact. SegmentLog::open decides from it whether to start, cut a torn tail or refuse;
// `wsd log repair` what to move aside; `wslog verify --records` what to report.
//
// Entries of the directory: segment files (segment_format.h), the folders the log keeps
// aside (kTornFolder, and kDamagedPrefix* made by a repair), and anything else, which is
// listed in `unknown` and left alone.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "log/segment_format.h"

namespace wsd::log {

constexpr const char* kTornFolder = "torn";         // cut torn tails, one file each
constexpr const char* kDamagedPrefix = "damaged-";  // what `wsd log repair` moved aside

struct SegmentFile {
  std::string name;  // file name in the directory
  Offset base = 0;
  std::uint64_t bytes = 0;
  SegmentScan scan;  // default (unscanned) for segments after a break
};

// Where the log stops being intact.
struct LogBreak {
  std::size_t segment = 0;  // index into Inspection::segments
  std::uint64_t byte = 0;   // byte position in that segment
  Offset offset = 0;        // the offset the first record not kept would have had
  Flaw flaw = Flaw::kDamage;
  std::string problem;
  bool misplaced = false;  // the segment's name does not follow the log before it (byte 0)
};

struct Inspection {
  std::string directory;
  std::vector<SegmentFile> segments;  // ascending base
  std::vector<std::string> unknown;   // entries that are neither segments nor kept folders
  std::optional<LogBreak> firstBreak;
  Offset end = 0;  // offset after the last intact record (before the break, if any)

  std::string pathOf(const SegmentFile& segment) const { return directory + "/" + segment.name; }
  // "DIR/000...0.log: CRC mismatch at byte 4096 (record offset 201)"
  std::string describe(const LogBreak& at) const;
};

// Reads every segment up to the first break (the ones after it are listed, not read).
Result<Inspection> inspectLog(const std::string& directory, std::uint32_t maxRecord);

// One bad stretch of a segment, for a full check: from `byte` up to the next intact
// record (or the end of the file).
struct Finding {
  std::string path;
  std::uint64_t byte = 0;
  std::uint64_t endByte = 0;
  std::optional<Offset> offset;  // the record offset it sits at, while that is known
  std::string problem;
  bool tornTail = false;  // the last segment's tail, which wsd cuts at start
};

struct FullCheck {
  std::vector<Finding> findings;     // in file order
  std::vector<std::string> unknown;  // as in Inspection
  std::size_t segments = 0;
  std::uint64_t intactRecords = 0;
};

// Reads every segment completely and reports every bad stretch and every gap or overlap
// between segment names and record counts. Cost: reading the whole log once.
Result<FullCheck> checkEveryRecord(const std::string& directory, std::uint32_t maxRecord);

}  // namespace wsd::log
