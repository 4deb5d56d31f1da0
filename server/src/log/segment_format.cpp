// The embedded log's record format and the torn-tail rule (see the header).
#include "log/segment_format.h"

#include <zlib.h>

#include <algorithm>
#include <cassert>
#include <cstdio>

namespace wsd::log {
namespace {

std::uint32_t crcOf(std::string_view payload) {
  return static_cast<std::uint32_t>(
      crc32(0L, reinterpret_cast<const Bytef*>(payload.data()), static_cast<uInt>(payload.size())));
}

void putU32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

std::uint32_t getU32(std::string_view data, std::size_t pos) {
  const auto* p = reinterpret_cast<const unsigned char*>(data.data() + pos);
  return static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 |
         static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24;
}

bool allZero(std::string_view bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](char c) { return c == 0; });
}

// The torn-tail rule, T1..T4 in the header, for a last segment whose first bad record
// starts at `pos`.
bool isTornTail(std::string_view data, std::size_t pos, const RecordAt& bad, std::uint32_t maxRecord) {
  switch (bad.check) {
    case RecordCheck::kShortHeader: return true;                                                  // T1
    case RecordCheck::kPastEnd: return !findIntactRecord(data, pos + 1, maxRecord);               // T3
    case RecordCheck::kCrcMismatch: return pos + kRecordHeaderBytes + bad.length == data.size();  // T4
    case RecordCheck::kBadLength: return allZero(data.substr(pos));                               // T2
    case RecordCheck::kIntact: break;
  }
  return false;
}

}  // namespace

std::string segmentName(Offset base) {
  char name[32];
  std::snprintf(name, sizeof(name), "%020llu.log", static_cast<unsigned long long>(base));
  return name;
}

std::optional<Offset> parseSegmentName(std::string_view name) {
  if (name.size() != kSegmentNameLength || !name.ends_with(".log")) return std::nullopt;
  Offset base = 0;
  for (char c : name.substr(0, 20)) {
    if (c < '0' || c > '9') return std::nullopt;
    const Offset digit = static_cast<Offset>(c - '0');
    if (base > (UINT64_MAX - digit) / 10) return std::nullopt;  // 20 digits can exceed 2^64
    base = base * 10 + digit;
  }
  return base;
}

void appendRecord(std::string& out, std::string_view payload) {
  assert(!payload.empty());  // a zero length marks damage (or unwritten zeros) on reading
  putU32(out, static_cast<std::uint32_t>(payload.size()));
  putU32(out, crcOf(payload));
  out.append(payload);
}

std::string_view describe(RecordCheck check) {
  switch (check) {
    case RecordCheck::kIntact: return "intact record";
    case RecordCheck::kShortHeader: return "torn record header";
    case RecordCheck::kBadLength: return "impossible record length";
    case RecordCheck::kPastEnd: return "record runs past the end of the file";
    case RecordCheck::kCrcMismatch: return "CRC mismatch";
  }
  return "unknown";
}

RecordAt checkRecordAt(std::string_view data, std::size_t pos, std::uint32_t maxRecord) {
  assert(pos <= data.size());
  if (data.size() - pos < kRecordHeaderBytes) return {RecordCheck::kShortHeader, 0};
  const std::uint32_t length = getU32(data, pos);
  if (length == 0 || length > maxRecord) return {RecordCheck::kBadLength, length};
  if (data.size() - pos - kRecordHeaderBytes < length) return {RecordCheck::kPastEnd, length};
  if (crcOf(data.substr(pos + kRecordHeaderBytes, length)) != getU32(data, pos + 4)) {
    return {RecordCheck::kCrcMismatch, length};
  }
  return {RecordCheck::kIntact, length};
}

std::optional<std::size_t> findIntactRecord(std::string_view data, std::size_t from, std::uint32_t maxRecord) {
  for (std::size_t pos = from; pos + kRecordHeaderBytes < data.size(); ++pos) {
    if (checkRecordAt(data, pos, maxRecord).check == RecordCheck::kIntact) return pos;
  }
  return std::nullopt;
}

Flaw classifyBadRecord(std::string_view data, std::size_t pos, const RecordAt& bad, std::uint32_t maxRecord,
                       bool lastSegment) {
  if (bad.check == RecordCheck::kIntact) return Flaw::kNone;
  return lastSegment && isTornTail(data, pos, bad, maxRecord) ? Flaw::kTornTail : Flaw::kDamage;
}

SegmentScan scanSegment(std::string_view data, std::uint32_t maxRecord, bool lastSegment, const RecordVisit& visit) {
  SegmentScan scan;
  std::size_t pos = 0;
  while (pos < data.size()) {
    const RecordAt at = checkRecordAt(data, pos, maxRecord);
    if (at.check != RecordCheck::kIntact) {
      scan.problem = std::string(describe(at.check));
      if (at.check == RecordCheck::kBadLength) scan.problem += " " + std::to_string(at.length);
      scan.flaw = classifyBadRecord(data, pos, at, maxRecord, lastSegment);
      break;
    }
    if (visit) visit(scan.records, data.substr(pos + kRecordHeaderBytes, at.length));
    ++scan.records;
    pos += kRecordHeaderBytes + at.length;
  }
  scan.intactBytes = pos;
  assert(scan.flaw != Flaw::kNone || scan.intactBytes == data.size());
  return scan;
}

}  // namespace wsd::log
