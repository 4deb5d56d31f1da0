// `wsd log repair`: moves the damaged part of the embedded log aside, so that wsd starts
// again on the records before the damage. Nothing is deleted: the segment holding the
// damage is copied whole into DIRECTORY/damaged-<stamp>/ and then cut back to its intact
// records, and every later segment is moved (renamed) into the same folder. A crash in
// the middle leaves the log damaged as before, and running the repair again finishes it.
// Run it while wsd is stopped.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"
#include "log/file_io.h"
#include "log/segment_format.h"

namespace wsd::log {

struct RepairReport {
  std::string problem;             // where the log broke (Inspection::describe); empty: it was intact
  Offset keptRecords = 0;          // the log now holds records 0 .. keptRecords-1
  std::string damagedFolder;       // where the rest went; empty when nothing moved
  std::vector<std::string> moved;  // one line per file: what went into damagedFolder
};

// `stamp` names the folder (a UTC time such as 20240501T140000Z); a folder of that name
// that exists already gets a suffix.
Result<RepairReport> repairLog(const std::string& directory, std::uint32_t maxRecord, const std::string& stamp,
                               FileIo& io);

}  // namespace wsd::log
