// Inspecting the embedded log's directory (see the header). Reads only.
#include "log/log_inspection.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "log/directory_lock.h"
#include "log/file_io.h"

namespace wsd::log {
namespace {

namespace fs = std::filesystem;

struct Listing {
  std::vector<SegmentFile> segments;
  std::vector<std::string> unknown;
};

bool keptAside(const fs::directory_entry& entry, const std::string& name) {
  std::error_code ec;
  return entry.is_directory(ec) && (name == kTornFolder || name.starts_with(kDamagedPrefix));
}

Result<Listing> listDirectory(const std::string& directory) {
  Listing listing;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(directory, ec)) {
    const std::string name = entry.path().filename().string();
    std::error_code statError;
    const auto base = parseSegmentName(name);
    if (base && entry.is_regular_file(statError)) {
      listing.segments.push_back({name, *base, static_cast<std::uint64_t>(entry.file_size(statError)), {}});
    } else if (!keptAside(entry, name) && name != kLockFile) {
      listing.unknown.push_back(name);
    }
  }
  if (ec) return makeError("log_io", "cannot list " + directory + ": " + ec.message());
  std::sort(listing.segments.begin(), listing.segments.end(),
            [](const SegmentFile& a, const SegmentFile& b) { return a.base < b.base; });
  std::sort(listing.unknown.begin(), listing.unknown.end());
  return listing;
}

// Segment names and record counts must agree: each segment starts where the one before
// it ends (the first at 0).
std::string gapProblem(Offset base, Offset expected) {
  const std::string start = "the segment starts at offset " + std::to_string(base) + " but ";
  if (base > expected) {
    return start + "the log before it ends at offset " + std::to_string(expected) + " (records " +
           std::to_string(expected) + ".." + std::to_string(base - 1) + " are missing)";
  }
  return start + "the log before it already holds records up to offset " + std::to_string(expected - 1) +
         " (they overlap)";
}

// The bad stretches of one segment's bytes, appended to `check`; returns whether the
// segment is whole (no stretch), so that the next one's start can be checked.
bool findStretches(const std::string& path, std::string_view data, Offset base, bool last, std::uint32_t maxRecord,
                   FullCheck& check) {
  std::optional<Offset> offset = base;
  std::size_t pos = 0;
  while (pos < data.size()) {
    const RecordAt at = checkRecordAt(data, pos, maxRecord);
    if (at.check == RecordCheck::kIntact) {
      ++check.intactRecords;
      if (offset) ++*offset;
      pos += kRecordHeaderBytes + at.length;
      continue;
    }
    const std::size_t resume = findIntactRecord(data, pos + 1, maxRecord).value_or(data.size());
    const bool torn = classifyBadRecord(data, pos, at, maxRecord, last) == Flaw::kTornTail;
    check.findings.push_back({path, pos, resume, offset, std::string(describe(at.check)), torn});
    offset.reset();  // what the stretch held is unknown, so are the offsets after it
    pos = resume;
  }
  return offset.has_value();
}

}  // namespace

std::string Inspection::describe(const LogBreak& at) const {
  return directory + "/" + segments[at.segment].name + ": " + at.problem + " at byte " + std::to_string(at.byte) +
         " (record offset " + std::to_string(at.offset) + ")";
}

Result<Inspection> inspectLog(const std::string& directory, std::uint32_t maxRecord) {
  auto listing = listDirectory(directory);
  if (!listing.ok()) return listing.error();
  Inspection in;
  in.directory = directory;
  in.segments = std::move(listing->segments);
  in.unknown = std::move(listing->unknown);
  for (std::size_t i = 0; i < in.segments.size(); ++i) {
    SegmentFile& segment = in.segments[i];
    if (segment.base != in.end) {
      in.firstBreak = LogBreak{i, 0, in.end, Flaw::kDamage, gapProblem(segment.base, in.end), true};
      break;
    }
    auto data = readFile(in.pathOf(segment));
    if (!data.ok()) return data.error();
    segment.scan = scanSegment(*data, maxRecord, i + 1 == in.segments.size());
    in.end += segment.scan.records;
    if (segment.scan.flaw != Flaw::kNone) {
      in.firstBreak = LogBreak{i, segment.scan.intactBytes, in.end, segment.scan.flaw, segment.scan.problem, false};
      break;
    }
  }
  return in;
}

Result<FullCheck> checkEveryRecord(const std::string& directory, std::uint32_t maxRecord) {
  auto listing = listDirectory(directory);
  if (!listing.ok()) return listing.error();
  FullCheck check;
  check.unknown = std::move(listing->unknown);
  check.segments = listing->segments.size();
  Offset expected = 0;
  bool expectedKnown = true;  // not after a damaged segment
  for (std::size_t i = 0; i < listing->segments.size(); ++i) {
    const SegmentFile& segment = listing->segments[i];
    const std::string path = directory + "/" + segment.name;
    if (expectedKnown && segment.base != expected) {
      check.findings.push_back({path, 0, 0, segment.base, gapProblem(segment.base, expected), false});
    }
    auto data = readFile(path);
    if (!data.ok()) return data.error();
    const std::uint64_t before = check.intactRecords;
    expectedKnown = findStretches(path, *data, segment.base, i + 1 == listing->segments.size(), maxRecord, check);
    expected = segment.base + (check.intactRecords - before);
  }
  return check;
}

}  // namespace wsd::log
