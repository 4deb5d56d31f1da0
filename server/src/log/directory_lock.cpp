#include "log/directory_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace wsd::log {
namespace {

// The pid the holder wrote, for the message (best effort: empty if unreadable).
std::string holderPid(int fd) {
  char buffer[32] = {};
  const ssize_t n = ::pread(fd, buffer, sizeof buffer - 1, 0);
  std::string pid(buffer, n > 0 ? static_cast<std::size_t>(n) : 0);
  while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
  return pid;
}

}  // namespace

Result<DirectoryLock> DirectoryLock::acquire(const std::string& directory) {
  const std::string path = directory + "/" + kLockFile;
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return makeError("log_io", "cannot open " + path + ": " + std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    const std::string pid = error == EWOULDBLOCK ? holderPid(fd) : "";
    ::close(fd);
    if (error != EWOULDBLOCK) return makeError("log_io", "cannot lock " + path + ": " + std::strerror(error));
    return makeError("log_in_use", directory + " is in use by another process" +
                                       (pid.empty() ? std::string() : " (pid " + pid + ")") +
                                       ": stop it first; one process at a time writes the log");
  }
  // The pid only makes a second process's message clearer: the lock holds without it.
  const std::string pid = std::to_string(::getpid()) + "\n";
  const bool wrotePid = ::ftruncate(fd, 0) == 0 && ::pwrite(fd, pid.data(), pid.size(), 0) > 0;
  static_cast<void>(wrotePid);
  return DirectoryLock(fd);
}

DirectoryLock& DirectoryLock::operator=(DirectoryLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

DirectoryLock::~DirectoryLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the descriptor releases the flock
}

}  // namespace wsd::log
