// The system's file calls behind the FileIo seam.
#include "log/file_io.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace wsd::log {
namespace {

class SystemFileIo final : public FileIo {
 public:
  int open(const std::string& path, int flags, mode_t mode) override { return ::open(path.c_str(), flags, mode); }
  ssize_t write(int fd, const void* data, std::size_t size) override { return ::write(fd, data, size); }
  int fsync(int fd) override { return ::fsync(fd); }
  int ftruncate(int fd, off_t size) override { return ::ftruncate(fd, size); }
  int rename(const std::string& from, const std::string& to) override { return std::rename(from.c_str(), to.c_str()); }
  int close(int fd) override { return ::close(fd); }
};

Error fileError(const std::string& what, const std::string& path, int error = errno) {
  return makeError("log_io", what + " " + path + ": " + std::strerror(error));
}

}  // namespace

FileIo& systemFileIo() {
  static SystemFileIo io;
  return io;
}

int syncDirectory(FileIo& io, const std::string& directory) {
  const int fd = io.open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  if (fd < 0) return -1;
  const int synced = io.fsync(fd);
  const int savedErrno = errno;
  io.close(fd);
  errno = savedErrno;
  return synced;
}

// Writes all of `bytes` to a new file `path` and syncs it; the file must not exist.
Status writeNewFile(FileIo& io, const std::string& path, std::string_view bytes) {
  const int fd = io.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return fileError("cannot create", path);
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = io.write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      Error error = fileError("cannot write", path);
      io.close(fd);
      return error;
    }
    done += static_cast<std::size_t>(n);
  }
  const bool synced = io.fsync(fd) == 0;
  const int savedErrno = errno;
  io.close(fd);
  if (!synced) return fileError("cannot fsync", path, savedErrno);
  return okStatus();
}

Result<std::string> readFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return makeError("log_io", "cannot open " + path + ": " + std::strerror(errno));
  std::string data;
  std::string buffer(1 << 20, '\0');
  for (;;) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Error error = makeError("log_io", "cannot read " + path + ": " + std::strerror(errno));
      ::close(fd);
      return error;
    }
    if (n == 0) break;
    data.append(buffer.data(), static_cast<std::size_t>(n));
  }
  ::close(fd);
  return data;
}

}  // namespace wsd::log
