// The file calls through which the embedded log changes its files: a small seam so that
// a test can record their order (a write, then its fsync, then the directory's) and make
// one of them fail (a full disk) without a real failing device.
//
// Every call behaves as its POSIX namesake: -1 with errno set on failure.
// Locality: any thread; the system implementation keeps no state.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.h"

namespace wsd::log {

class FileIo {
 public:
  virtual ~FileIo() = default;
  virtual int open(const std::string& path, int flags, mode_t mode) = 0;
  virtual ssize_t write(int fd, const void* data, std::size_t size) = 0;
  virtual int fsync(int fd) = 0;
  virtual int ftruncate(int fd, off_t size) = 0;
  virtual int rename(const std::string& from, const std::string& to) = 0;
  virtual int close(int fd) = 0;
};

// The real calls.
FileIo& systemFileIo();

// fsync(2) of a directory, so that the names created or renamed in it are on disk.
// Returns 0, or -1 with errno set.
int syncDirectory(FileIo& io, const std::string& directory);

// Writes all of `bytes` into a new file `path` (which must not exist) and syncs it.
// Error code: log_io.
Status writeNewFile(FileIo& io, const std::string& path, std::string_view bytes);

// A whole file's bytes (reading changes nothing, so it does not go through the seam).
// Segments are bounded by the segment size, so this is bounded too. Error code: log_io.
Result<std::string> readFile(const std::string& path);

}  // namespace wsd::log
