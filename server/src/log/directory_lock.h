// The embedded log's directory has one writer at a time: a running wsd, or `wsd log
// repair`. Two writers would interleave records or cut what the other just wrote, so a
// writable open takes an exclusive flock(2) on DIRECTORY/LOCK and holds it while open.
// The kernel drops the lock when the process ends, however it ends, so a crash never
// leaves a stale lock behind. Readers (wslog, read-only opens) take no lock.
#pragma once

#include <string>

#include "core/result.h"

namespace wsd::log {

inline constexpr const char* kLockFile = "LOCK";

class DirectoryLock {
 public:
  // Error code log_in_use (naming the holder's pid when it wrote one), or log_io.
  static Result<DirectoryLock> acquire(const std::string& directory);

  DirectoryLock(DirectoryLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  DirectoryLock& operator=(DirectoryLock&& other) noexcept;
  DirectoryLock(const DirectoryLock&) = delete;
  DirectoryLock& operator=(const DirectoryLock&) = delete;
  ~DirectoryLock();

 private:
  explicit DirectoryLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace wsd::log
