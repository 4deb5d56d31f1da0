// Moving the damaged part of the embedded log aside (see the header).
#include "log/log_repair.h"

#include <fcntl.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "log/directory_lock.h"
#include "log/log_inspection.h"

namespace wsd::log {
namespace {

namespace fs = std::filesystem;

Error repairError(const std::string& what, const std::string& path, int error = errno) {
  return makeError("log_io", what + " " + path + ": " + std::strerror(error));
}

Result<std::string> makeDamagedFolder(const std::string& directory, const std::string& stamp) {
  const std::string stem = directory + "/" + kDamagedPrefix + stamp;
  std::string folder = stem;
  std::error_code ec;
  for (int n = 2; fs::exists(folder, ec); ++n) folder = stem + "-" + std::to_string(n);
  if (!fs::create_directory(folder, ec)) return makeError("log_io", "cannot create " + folder + ": " + ec.message());
  return folder;
}

// Copies the segment whole into the folder, then cuts it back to `keepBytes`.
Status copyAsideAndCut(FileIo& io, const std::string& path, const std::string& copy, std::uint64_t keepBytes) {
  auto data = readFile(path);
  if (!data.ok()) return data.error();
  if (auto kept = writeNewFile(io, copy, *data); !kept.ok()) return kept;
  const int fd = io.open(path, O_WRONLY | O_CLOEXEC, 0);
  if (fd < 0) return repairError("cannot open", path);
  const bool cut = io.ftruncate(fd, static_cast<off_t>(keepBytes)) == 0 && io.fsync(fd) == 0;
  const int savedErrno = errno;
  io.close(fd);
  if (!cut) return repairError("cannot cut back", path, savedErrno);
  return okStatus();
}

std::string bytesText(std::uint64_t bytes) { return std::to_string(bytes) + " bytes"; }

}  // namespace

Result<RepairReport> repairLog(const std::string& directory, std::uint32_t maxRecord, const std::string& stamp,
                               FileIo& io) {
  auto lock = DirectoryLock::acquire(directory);  // never under a running wsd
  if (!lock.ok()) return lock.error();
  auto in = inspectLog(directory, maxRecord);
  if (!in.ok()) return in.error();
  RepairReport report;
  report.keptRecords = in->end;
  if (!in->firstBreak) return report;
  const LogBreak at = *in->firstBreak;
  report.problem = in->describe(at);
  auto folder = makeDamagedFolder(directory, stamp);
  if (!folder.ok()) return folder.error();
  report.damagedFolder = *folder;
  // Later segments first: until the damaged one is cut, the log stays as damaged as it
  // was, so an interrupted repair is simply run again.
  for (std::size_t i = in->segments.size(); i-- > at.segment + 1;) {
    const SegmentFile& segment = in->segments[i];
    if (io.rename(in->pathOf(segment), *folder + "/" + segment.name) != 0) {
      return repairError("cannot move aside", in->pathOf(segment));
    }
    report.moved.insert(report.moved.begin(), segment.name + " (" + bytesText(segment.bytes) + ", moved whole)");
  }
  const SegmentFile& broken = in->segments[at.segment];
  if (at.misplaced) {  // a gap or overlap: the whole file is out of place
    if (io.rename(in->pathOf(broken), *folder + "/" + broken.name) != 0) {
      return repairError("cannot move aside", in->pathOf(broken));
    }
    report.moved.insert(report.moved.begin(), broken.name + " (" + bytesText(broken.bytes) + ", moved whole)");
  } else {
    if (auto cut = copyAsideAndCut(io, in->pathOf(broken), *folder + "/" + broken.name, at.byte); !cut.ok()) {
      return cut.error();
    }
    report.moved.insert(report.moved.begin(), broken.name + " (copied whole; the log keeps its first " +
                                                  bytesText(at.byte) + ", " + bytesText(broken.bytes - at.byte) +
                                                  " from the damage on are only in the copy)");
  }
  if (syncDirectory(io, *folder) != 0 || syncDirectory(io, directory) != 0) {
    return repairError("cannot fsync", directory);
  }
  return report;
}

}  // namespace wsd::log
