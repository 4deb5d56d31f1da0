// The embedded log's segment files: opening (with the torn-tail cut), appending with
// its fsyncs and roll-backs, and replaying. The invariants are in the header.
#include "log/segment_log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cassert>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>

#include "log/directory_lock.h"
#include "log/log_inspection.h"

namespace wsd::log {
namespace {

namespace fs = std::filesystem;

Error ioError(const std::string& what, const std::string& file, int error = errno) {
  return makeError("log_io", what + " " + file + ": " + std::strerror(error));
}

// A name in DIRECTORY/torn for the tail cut from `segment` at `byte`, unused so far.
std::string tornSidePath(const std::string& tornDir, const std::string& segment, std::uint64_t byte) {
  const std::string stem = tornDir + "/" + segment + ".at-" + std::to_string(byte);
  std::string path = stem + ".torn";
  std::error_code ec;
  for (int n = 2; fs::exists(path, ec); ++n) path = stem + "-" + std::to_string(n) + ".torn";
  return path;
}

}  // namespace

struct SegmentLog::Impl {
  Options options;
  FileIo* io = nullptr;
  std::vector<Offset> bases;  // base offset of every segment, ascending
  Offset next = 0;            // offset of the next record
  int activeFd = -1;          // the last segment, opened for appending
  std::uint64_t activeBytes = 0;
  bool rollDue = false;               // a roll failed: the next append must roll first
  std::optional<Error> stopped;       // a failed piece could not be cut back off (invariant 4)
  std::optional<DirectoryLock> lock;  // held by a writable log (directory_lock.h)
  std::vector<int> rolledFds;         // defer_rolled_syncs: segments rolled away, not yet handed over
  bool createdSegments = false;       // defer_rolled_syncs: since the last takeUnsynced()

  std::string pathOf(Offset base) const { return options.directory + "/" + segmentName(base); }

  ~Impl() {
    for (int fd : rolledFds) io->close(fd);
    if (activeFd >= 0) io->close(activeFd);
  }

  Status openActive() {
    const std::string path = pathOf(bases.back());
    activeFd = io->open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (activeFd < 0) return ioError("cannot open", path);
    struct stat st {};
    if (::fstat(activeFd, &st) != 0) return ioError("cannot stat", path);
    activeBytes = static_cast<std::uint64_t>(st.st_size);
    return okStatus();
  }

  Status syncDirectoryIfDurable() {
    if (!options.sync_each_append) return okStatus();
    if (syncDirectory(*io, options.directory) != 0) return ioError("cannot fsync the directory", options.directory);
    return okStatus();
  }

  // Starts a segment at `next`. The old one stays open until the new one's name is on
  // disk; with sync_each_append its records were synced when they were written.
  Status roll() {
    auto opened = openNextSegment();
    if (!opened.ok()) {
      rollDue = true;
      return opened.error();
    }
    if (activeFd >= 0 && options.defer_rolled_syncs)
      rolledFds.push_back(activeFd);
    else if (activeFd >= 0)
      io->close(activeFd);
    createdSegments = true;
    activeFd = *opened;
    activeBytes = 0;
    bases.push_back(next);
    rollDue = false;
    return okStatus();
  }

  // The new segment's descriptor, once its name is on disk (with sync_each_append).
  Result<int> openNextSegment() {
    const std::string path = pathOf(next);
    const int fd = io->open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) return ioError("cannot create", path);
    Status ready = syncDirectoryIfDurable();
    struct stat st {};
    if (ready.ok() && (::fstat(fd, &st) != 0 || st.st_size != 0)) {  // a failed roll leaves an empty file, never more
      ready = makeError("log_io", path + " is not empty where a new segment should start");
    }
    if (!ready.ok()) {
      io->close(fd);
      return ready.error();
    }
    return fd;
  }

  bool needsRoll(std::size_t pending, std::size_t recordBytes) const {
    if (bases.empty() || rollDue) return true;
    const std::uint64_t used = activeBytes + pending;
    return used > 0 && used + recordBytes > options.segment_bytes;
  }

  // Cuts the active segment back to `activeBytes` after a failed write or fsync, and
  // syncs that, so that replay agrees with what the caller is told (invariant 4).
  void cutBack(Error& error) {
    if (io->ftruncate(activeFd, static_cast<off_t>(activeBytes)) == 0 &&
        (!options.sync_each_append || io->fsync(activeFd) == 0)) {
      return;
    }
    error.message += "; the failed write could not be cut back off (" + std::string(std::strerror(errno)) +
                     "), so the log takes no more appends until wsd restarts";
    stopped = error;
  }

  // Writes one piece (records bound for the active segment) completely and, with
  // sync_each_append, syncs it; or leaves nothing of it.
  Status writePiece(const std::string& bytes, std::size_t records) {
    std::size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = io->write(activeFd, bytes.data() + done, bytes.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        Error error = ioError("cannot write", pathOf(bases.back()), n == 0 ? ENOSPC : errno);
        cutBack(error);
        return error;
      }
      done += static_cast<std::size_t>(n);
    }
    if (options.sync_each_append && io->fsync(activeFd) != 0) {
      Error error = ioError("cannot fsync", pathOf(bases.back()));
      cutBack(error);
      return error;
    }
    activeBytes += bytes.size();
    next += records;
    return okStatus();
  }

  // Copies the torn tail aside, then cuts it off the segment (invariant 2).
  Status cutTornTail(const Inspection& in, const LogBreak& at) {
    const SegmentFile& segment = in.segments[at.segment];
    const std::string path = in.pathOf(segment);
    auto data = readFile(path);
    if (!data.ok()) return data.error();
    const std::string tornDir = options.directory + "/" + kTornFolder;
    std::error_code ec;
    fs::create_directories(tornDir, ec);
    if (ec) return makeError("log_io", "cannot create " + tornDir + ": " + ec.message());
    const std::string side = tornSidePath(tornDir, segment.name, at.byte);
    if (auto kept = writeNewFile(*io, side, std::string_view(*data).substr(at.byte)); !kept.ok()) return kept;
    if (syncDirectory(*io, tornDir) != 0 || syncDirectory(*io, options.directory) != 0) {
      return ioError("cannot fsync", tornDir);
    }
    const int fd = io->open(path, O_WRONLY | O_CLOEXEC, 0);
    if (fd < 0) return ioError("cannot open", path);
    const bool cut = io->ftruncate(fd, static_cast<off_t>(at.byte)) == 0 && io->fsync(fd) == 0;
    const int savedErrno = errno;
    io->close(fd);
    if (!cut) return ioError("cannot cut the torn tail off", path, savedErrno);
    warn(in.describe(at) + ": a torn tail of " + std::to_string(data->size() - at.byte) +
         " byte(s) was cut off; the bytes are kept in " + side);
    return okStatus();
  }

  void warn(const std::string& message) const {
    if (options.warn) options.warn(message);
  }
};

SegmentLog::SegmentLog(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SegmentLog::~SegmentLog() = default;

// ---- open and recovery ----------------------------------------------------------------

namespace {

Status prepareDirectory(const SegmentLog::Options& options, FileIo& io) {
  std::error_code ec;
  if (options.read_only) {
    if (!fs::is_directory(options.directory, ec)) return makeError("log_io", "no log directory " + options.directory);
    return okStatus();
  }
  const bool created = fs::create_directories(options.directory, ec);
  if (ec) return makeError("log_io", "cannot create " + options.directory + ": " + ec.message());
  if (created && options.sync_each_append) {  // the new directory's own name
    const std::string parent = fs::path(options.directory).lexically_normal().parent_path().string();
    if (syncDirectory(io, parent.empty() ? "." : parent) != 0) return ioError("cannot fsync", parent);
  }
  return okStatus();
}

Error damaged(const Inspection& in, const LogBreak& at, const std::string& hint) {
  std::string message = in.describe(at) +
                        ". The log is damaged there, not torn: records may follow that were "
                        "acknowledged, so nothing was changed and the log was not opened.";
  if (!hint.empty()) message += " " + hint;
  return makeError("log_damaged", message);
}

}  // namespace

Result<std::unique_ptr<SegmentLog>> SegmentLog::open(Options options) {
  auto impl = std::make_unique<Impl>();
  impl->io = options.io != nullptr ? options.io : &systemFileIo();
  impl->options = std::move(options);
  Impl& log = *impl;
  if (auto ready = prepareDirectory(log.options, *log.io); !ready.ok()) return ready.error();
  if (!log.options.read_only) {
    auto lock = DirectoryLock::acquire(log.options.directory);
    if (!lock.ok()) return lock.error();
    log.lock.emplace(std::move(lock.value()));
  }
  auto in = inspectLog(log.options.directory, log.options.max_record_bytes);
  if (!in.ok()) return in.error();
  for (const auto& name : in->unknown) {
    log.warn(log.options.directory + "/" + name + ": not a segment of the log; left alone");
  }
  std::size_t kept = in->segments.size();
  if (const auto& at = in->firstBreak) {
    kept = at->segment + 1;
    if (log.options.read_only) {  // invariant 5: report, read up to it, change nothing
      log.warn(in->describe(*at) + "; reading stops there");
    } else if (at->flaw == Flaw::kTornTail) {
      if (auto cut = log.cutTornTail(*in, *at); !cut.ok()) return cut.error();
    } else {
      return damaged(*in, *at, log.options.repair_hint);
    }
  }
  for (std::size_t i = 0; i < kept; ++i) log.bases.push_back(in->segments[i].base);
  log.next = in->end;
  if (!log.bases.empty() && !log.options.read_only) {
    if (auto status = log.openActive(); !status.ok()) return status.error();
  }
  return std::unique_ptr<SegmentLog>(new SegmentLog(std::move(impl)));
}

// ---- append -------------------------------------------------------------------------------

Result<Offset> SegmentLog::append(std::string_view payload) {
  auto appended = appendBatch({std::string(payload)});
  if (!appended.status.ok()) return appended.status.error();
  return appended.first;
}

SegmentLog::Appended SegmentLog::appendBatch(const std::vector<std::string>& payloads) {
  Impl& log = *impl_;
  Appended out{log.next, 0, okStatus()};
  if (log.options.read_only) {
    out.status = makeError("log_read_only", log.options.directory + " was opened read-only");
    return out;
  }
  if (log.stopped) {
    out.status = *log.stopped;
    return out;
  }
  std::string piece;
  std::size_t pieceRecords = 0;
  auto flushPiece = [&]() -> Status {
    if (piece.empty()) return okStatus();
    if (auto written = log.writePiece(piece, pieceRecords); !written.ok()) return written;
    out.written += pieceRecords;
    piece.clear();
    pieceRecords = 0;
    return okStatus();
  };
  for (const auto& payload : payloads) {
    if (log.needsRoll(piece.size(), kRecordHeaderBytes + payload.size())) {
      out.status = flushPiece();
      if (out.status.ok()) out.status = log.roll();
      if (!out.status.ok()) return out;
    }
    appendRecord(piece, payload);
    ++pieceRecords;
  }
  out.status = flushPiece();
  assert(log.next == out.first + out.written);
  return out;
}

Status SegmentLog::sync() {
  if (impl_->activeFd < 0) return okStatus();
  if (impl_->io->fsync(impl_->activeFd) != 0) return ioError("cannot fsync", activePath());
  return okStatus();
}

Result<SegmentLog::Unsynced> SegmentLog::takeUnsynced() {
  Impl& log = *impl_;
  Unsynced unsynced;
  if (log.activeFd >= 0) {
    // A descriptor of its own (fsync(2) flushes the file, whichever descriptor names it),
    // opened through the seam so that tests see the sync reach it.
    const int fd = log.io->open(activePath(), O_RDONLY | O_CLOEXEC, 0);
    if (fd < 0) return ioError("cannot open", activePath());
    unsynced.fds.push_back(fd);
  }
  unsynced.fds.insert(unsynced.fds.begin(), log.rolledFds.begin(), log.rolledFds.end());  // oldest first
  log.rolledFds.clear();
  unsynced.newSegments = std::exchange(log.createdSegments, false);
  return unsynced;
}

Status SegmentLog::syncUnsynced(const Unsynced& unsynced) const {
  FileIo& io = *impl_->io;
  Status status = okStatus();
  for (int fd : unsynced.fds) {
    if (io.fsync(fd) != 0 && status.ok()) status = ioError("cannot fsync a segment in", impl_->options.directory);
    io.close(fd);
  }
  if (unsynced.newSegments && syncDirectory(io, impl_->options.directory) != 0 && status.ok()) {
    status = ioError("cannot fsync the directory", impl_->options.directory);
  }
  return status;
}

std::string SegmentLog::activePath() const {
  return impl_->bases.empty() ? impl_->options.directory : impl_->pathOf(impl_->bases.back());
}

// ---- replay -------------------------------------------------------------------------------

Status SegmentLog::replay(Offset from, const std::function<void(Offset, std::string_view)>& visit) const {
  const Impl& log = *impl_;
  for (std::size_t i = 0; i < log.bases.size(); ++i) {
    const Offset base = log.bases[i];
    const Offset end = i + 1 < log.bases.size() ? log.bases[i + 1] : log.next;
    if (end <= from) continue;  // the whole segment is before `from`
    auto data = readFile(log.pathOf(base));
    if (!data.ok()) return data.error();
    scanSegment(*data, log.options.max_record_bytes, true, [&](std::uint64_t index, std::string_view payload) {
      if (base + index >= from && base + index < end) visit(base + index, payload);
    });
  }
  return okStatus();
}

Offset SegmentLog::nextOffset() const { return impl_->next; }

bool SegmentLog::syncsEachAppend() const { return impl_->options.sync_each_append; }

}  // namespace wsd::log
