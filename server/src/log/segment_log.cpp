#include "log/segment_log.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string_view>

namespace wsd::log {
namespace {

constexpr std::size_t kHeaderBytes = 8;

std::string segmentName(Offset base) {
  char name[32];
  std::snprintf(name, sizeof(name), "%020llu.log", static_cast<unsigned long long>(base));
  return name;
}

// The base offset a segment file's name gives, or nullopt when the name is not 20 decimal
// digits (fitting in an Offset) and ".log": such a file is not a segment.
std::optional<Offset> segmentBase(std::string_view name) {
  constexpr std::size_t kDigits = 20;
  if (name.size() != kDigits + 4 || !name.ends_with(".log")) return std::nullopt;
  Offset base = 0;
  auto [end, ec] = std::from_chars(name.data(), name.data() + kDigits, base);
  if (ec != std::errc{} || end != name.data() + kDigits) return std::nullopt;
  return base;
}

Error ioError(const std::string& what, const std::string& file) {
  return makeError("log_io", what + " " + file + ": " + std::strerror(errno));
}

std::uint32_t crcOf(std::string_view payload) {
  return static_cast<std::uint32_t>(
      crc32(0L, reinterpret_cast<const Bytef*>(payload.data()), static_cast<uInt>(payload.size())));
}

void putU32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

std::uint32_t getU32(const unsigned char* p) {
  return static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 |
         static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24;
}

void frame(std::string& out, std::string_view payload) {
  putU32(out, static_cast<std::uint32_t>(payload.size()));
  putU32(out, crcOf(payload));
  out.append(payload);
}

// Reads a whole segment; segments are bounded by segment_bytes, so this is bounded too.
Result<std::string> readFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ioError("cannot open", path);
  std::string data;
  char buffer[1 << 20];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof(buffer));
    if (n < 0) {
      if (errno == EINTR) continue;
      ::close(fd);
      return ioError("cannot read", path);
    }
    if (n == 0) break;
    data.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return data;
}

// Walks the records of one segment's bytes; stops at the first bad one.
struct ScanResult {
  std::size_t goodBytes = 0;  // length of the intact prefix
  std::uint64_t records = 0;
  std::string problem;  // why the scan stopped early; empty at a clean end
};

template <typename Visit>
ScanResult scan(std::string_view data, std::uint32_t maxRecord, Visit&& visit) {
  ScanResult result;
  std::size_t pos = 0;
  while (pos < data.size()) {
    if (data.size() - pos < kHeaderBytes) {
      result.problem = "torn record header";
      break;
    }
    const auto* header = reinterpret_cast<const unsigned char*>(data.data() + pos);
    std::uint32_t length = getU32(header);
    std::uint32_t crc = getU32(header + 4);
    if (length == 0 || length > maxRecord) {
      result.problem = "impossible record length " + std::to_string(length);
      break;
    }
    if (data.size() - pos - kHeaderBytes < length) {
      result.problem = "torn record payload";
      break;
    }
    std::string_view payload = data.substr(pos + kHeaderBytes, length);
    if (crcOf(payload) != crc) {
      result.problem = "CRC mismatch";
      break;
    }
    visit(result.records, payload);
    ++result.records;
    pos += kHeaderBytes + length;
    result.goodBytes = pos;
  }
  return result;
}

}  // namespace

struct SegmentLog::Impl {
  Options options;
  std::vector<Offset> bases;  // base offset of every segment, ascending
  Offset next = 0;            // offset of the next record
  int activeFd = -1;          // the last segment, opened for appending
  std::uint64_t activeBytes = 0;

  std::string pathOf(Offset base) const { return options.directory + "/" + segmentName(base); }

  ~Impl() {
    if (activeFd >= 0) ::close(activeFd);
  }

  Status openActive() {
    if (activeFd >= 0) ::close(activeFd);
    const std::string path = pathOf(bases.back());
    activeFd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (activeFd < 0) return ioError("cannot open", path);
    struct stat st {};
    if (::fstat(activeFd, &st) != 0) return ioError("cannot stat", path);
    activeBytes = static_cast<std::uint64_t>(st.st_size);
    return okStatus();
  }

  Status roll() {
    bases.push_back(next);
    return openActive();
  }

  // Writes `bytes` completely or not at all (a failed write is cut back off).
  Status writeAll(const std::string& bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
      ssize_t n = ::write(activeFd, bytes.data() + done, bytes.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        Error error = ioError("cannot write", pathOf(bases.back()));
        if (::ftruncate(activeFd, static_cast<off_t>(activeBytes)) != 0) {
          error.message += " (and could not cut the partial record back off)";
        }
        return error;
      }
      done += static_cast<std::size_t>(n);
    }
    activeBytes += bytes.size();
    return okStatus();
  }
};

SegmentLog::SegmentLog(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SegmentLog::~SegmentLog() = default;

// ---- open and recovery ----------------------------------------------------------------

Result<std::unique_ptr<SegmentLog>> SegmentLog::open(Options options) {
  std::error_code ec;
  if (options.read_only) {
    if (!std::filesystem::is_directory(options.directory, ec)) {
      return makeError("log_io", "no log directory " + options.directory);
    }
  } else {
    std::filesystem::create_directories(options.directory, ec);
    if (ec) return makeError("log_io", "cannot create " + options.directory + ": " + ec.message());
  }
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  auto warn = [&](const std::string& message) {
    if (impl->options.warn) impl->options.warn(message);
  };
  for (const auto& entry : std::filesystem::directory_iterator(impl->options.directory, ec)) {
    const std::string name = entry.path().filename().string();
    if (auto base = segmentBase(name)) impl->bases.push_back(*base);
  }
  if (ec) return makeError("log_io", "cannot list " + impl->options.directory + ": " + ec.message());
  std::sort(impl->bases.begin(), impl->bases.end());

  for (std::size_t i = 0; i < impl->bases.size(); ++i) {
    const std::string path = impl->pathOf(impl->bases[i]);
    auto data = readFile(path);
    if (!data.ok()) return data.error();
    if (impl->bases[i] != impl->next) {
      warn(path + ": starts at offset " + std::to_string(impl->bases[i]) + " but " + std::to_string(impl->next) +
           " was expected; the log ends before it");
      impl->bases.resize(i);
      break;
    }
    auto result = scan(*data, impl->options.max_record_bytes, [](std::uint64_t, std::string_view) {});
    impl->next += result.records;
    if (result.problem.empty()) continue;
    if (impl->options.read_only) {  // invariant 4: report, read up to it, change nothing
      warn(path + ": " + result.problem + " at byte " + std::to_string(result.goodBytes) + "; reading stops there");
      impl->bases.resize(i + 1);
      break;
    }
    warn(path + ": " + result.problem + " at byte " + std::to_string(result.goodBytes) + "; truncating the log there");
    if (::truncate(path.c_str(), static_cast<off_t>(result.goodBytes)) != 0) return ioError("cannot truncate", path);
    for (std::size_t j = i + 1; j < impl->bases.size(); ++j) {
      const std::string later = impl->pathOf(impl->bases[j]);
      warn(later + ": removed, it follows a corrupt record");
      std::filesystem::remove(later, ec);
    }
    impl->bases.resize(i + 1);
    break;
  }
  if (!impl->bases.empty() && !impl->options.read_only) {
    if (auto status = impl->openActive(); !status.ok()) return status.error();
  }
  return std::unique_ptr<SegmentLog>(new SegmentLog(std::move(impl)));
}

// ---- append -------------------------------------------------------------------------------

Result<Offset> SegmentLog::append(std::string_view payload) { return appendBatch({std::string(payload)}); }

Result<Offset> SegmentLog::appendBatch(const std::vector<std::string>& payloads) {
  Impl& log = *impl_;
  if (log.options.read_only) return makeError("log_read_only", log.options.directory + " was opened read-only");
  const Offset first = log.next;
  std::string bytes;
  for (const auto& payload : payloads) {
    const std::uint64_t recordBytes = kHeaderBytes + payload.size();
    const bool full = !log.bases.empty() && log.activeBytes + bytes.size() + recordBytes > log.options.segment_bytes &&
                      log.activeBytes + bytes.size() > 0;
    if (log.bases.empty() || full) {
      if (!bytes.empty()) {
        if (auto status = log.writeAll(bytes); !status.ok()) return status.error();
        bytes.clear();
      }
      if (auto status = log.roll(); !status.ok()) return status.error();
    }
    frame(bytes, payload);
    ++log.next;
  }
  if (!bytes.empty()) {
    if (auto status = log.writeAll(bytes); !status.ok()) {
      log.next = first;  // nothing of the failed write is readable
      return status.error();
    }
  }
  return first;
}

Status SegmentLog::sync() {
  if (impl_->activeFd < 0) return okStatus();
  if (::fsync(impl_->activeFd) != 0) return ioError("cannot fsync", activePath());
  return okStatus();
}

Result<int> SegmentLog::duplicateActiveFd() const {
  if (impl_->activeFd < 0) return -1;
  const int fd = ::fcntl(impl_->activeFd, F_DUPFD_CLOEXEC, 0);
  if (fd < 0) return ioError("cannot duplicate the descriptor of", activePath());
  return fd;
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
    scan(*data, log.options.max_record_bytes, [&](std::uint64_t index, std::string_view payload) {
      if (base + index >= from && base + index < end) visit(base + index, payload);
    });
  }
  return okStatus();
}

Offset SegmentLog::nextOffset() const { return impl_->next; }

}  // namespace wsd::log
