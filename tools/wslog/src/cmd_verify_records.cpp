// wslog verify --records: every record of the embedded log's segment files checked
// (length, CRC, segment names against record counts), each bad stretch reported with its
// file and byte. Reads only; safe while wsd runs (its tail may be mid-write: a torn tail
// is a note, not damage).
#include <cstdio>

#include "commands.h"
#include "log/log_inspection.h"

namespace wsd::wslog {
namespace {

void printFinding(const log::Finding& f) {
  std::printf("%s%s byte %llu", f.tornTail ? "note: " : "", f.path.c_str(), static_cast<unsigned long long>(f.byte));
  if (f.offset) std::printf(" (record offset %llu)", static_cast<unsigned long long>(*f.offset));
  std::printf(": %s", f.problem.c_str());
  if (f.tornTail) {
    std::printf(" — a torn tail, which wsd cuts at start (keeping the bytes in torn/)\n");
  } else if (f.endByte > f.byte) {
    std::printf("; %llu byte(s) up to the next intact record\n", static_cast<unsigned long long>(f.endByte - f.byte));
  } else {
    std::printf("\n");
  }
}

}  // namespace

int runVerifyRecords(const Options& o) {
  auto check = log::checkEveryRecord(o.source.logDir, log::kDefaultMaxRecordBytes);
  if (!check.ok()) return fail(check.error());
  std::size_t damaged = 0;
  for (const auto& finding : check->findings) {
    printFinding(finding);
    if (!finding.tornTail) ++damaged;
  }
  for (const auto& name : check->unknown)
    std::printf("note: %s/%s: not a segment; left alone\n", o.source.logDir.c_str(), name.c_str());
  std::printf("verify: %zu segment(s), %llu intact record(s), %zu bad stretch(es) in %s\n", check->segments,
              static_cast<unsigned long long>(check->intactRecords), damaged, o.source.logDir.c_str());
  if (damaged == 0) return kExitOk;
  std::printf("wsd will not start on this log; `wsd log repair --data-dir DATA_DIR` moves the damage aside\n");
  return kExitDiffers;
}

}  // namespace wsd::wslog
