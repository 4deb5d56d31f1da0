// The embedded log's on-disk format, as pure functions over bytes (no I/O): framing a
// record, naming a segment, and reading a segment's bytes back, telling an intact record
// from a torn tail (a write the crash cut short) and from damage (anything else).
//
// One record:   u32 length (LE) | u32 crc32 of payload (LE) | payload
// A segment is named by the offset of its first record, 20 decimal digits + ".log".
//
// The torn-tail rule (only ever applied to the log's LAST segment): scanning stops at the
// first record that is not intact, at byte P. The bytes from P to the end of the file are
// a torn tail when one of these holds, and damage otherwise:
//  T1. fewer than a header's 8 bytes remain;
//  T2. every remaining byte is zero (the file grew but its data never reached the disk);
//  T3. the header is plausible (1 <= length <= max) but the record runs past the end of
//      the file, and no intact record starts anywhere after P;
//  T4. the header is plausible and the record ends exactly at the end of the file, but
//      its CRC does not match (the last write reached the disk only in part).
// An appended write can only leave its own bytes incomplete, so a tail torn by a crash
// always matches one of these. A bad record with intact records after it, an impossible
// length followed by non-zero bytes, or any bad record of an earlier segment is damage.
// wsd's payloads are JSON, which never holds a NUL byte, while every plausible header
// does (a length below 16 MiB has a zero high byte): so no intact record can be "found"
// inside a torn payload (T3).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace wsd::log {

using Offset = std::uint64_t;

constexpr std::size_t kRecordHeaderBytes = 8;
// The largest payload a record may have; a larger length field means damage.
constexpr std::uint32_t kDefaultMaxRecordBytes = 16u << 20;
constexpr std::size_t kSegmentNameLength = 24;  // 20 digits + ".log"

std::string segmentName(Offset base);
// The base offset a segment file name stands for, or nothing if `name` is not one.
std::optional<Offset> parseSegmentName(std::string_view name);

// Appends `payload`, framed as one record, to `out`.
void appendRecord(std::string& out, std::string_view payload);

// What is at one position of a segment's bytes.
enum class RecordCheck {
  kIntact,
  kShortHeader,  // fewer than 8 bytes left
  kBadLength,    // length 0 or above the maximum
  kPastEnd,      // plausible length, but the record runs past the end of the bytes
  kCrcMismatch,  // complete, but the payload does not match its CRC
};
std::string_view describe(RecordCheck check);

struct RecordAt {
  RecordCheck check = RecordCheck::kIntact;
  std::size_t length = 0;  // the payload length the header claims
};
RecordAt checkRecordAt(std::string_view data, std::size_t pos, std::uint32_t maxRecord);

// Where the next intact record starts at or after `from`, or nothing. Cost: a header
// read per byte, and a CRC only where the header is plausible (rare inside JSON).
std::optional<std::size_t> findIntactRecord(std::string_view data, std::size_t from, std::uint32_t maxRecord);

enum class Flaw { kNone, kTornTail, kDamage };

// The torn-tail rule: what the bad record `bad` at `pos` makes of the rest of a segment.
Flaw classifyBadRecord(std::string_view data, std::size_t pos, const RecordAt& bad, std::uint32_t maxRecord,
                       bool lastSegment);

// The intact prefix of one segment, and what ends it.
struct SegmentScan {
  std::size_t intactBytes = 0;  // where the first bad record starts (== size when clean)
  std::uint64_t records = 0;    // intact records before it
  Flaw flaw = Flaw::kNone;
  std::string problem;  // what is wrong at intactBytes; empty when clean
};

using RecordVisit = std::function<void(std::uint64_t index, std::string_view payload)>;

// Walks the records of one segment and stops at the first bad one; `lastSegment` allows
// a torn tail (see the rule above). `visit` may be empty.
SegmentScan scanSegment(std::string_view data, std::uint32_t maxRecord, bool lastSegment,
                        const RecordVisit& visit = {});

}  // namespace wsd::log
