// A FileIo for tests: does the real calls, writes down each one ("write 00000000000000000000.log",
// "fsync DIR" for the log directory), and fails the ones it is told to, as a full or
// failing disk would.
#pragma once

#include <cerrno>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "log/file_io.h"

namespace wsd::log::testing {

class RecordingFileIo final : public FileIo {
 public:
  std::string directory;  // the log directory, written down as "DIR"
  std::vector<std::string> calls;
  std::string failWritesTo;    // a file name: writes to it fail with ENOSPC
  std::string failFsyncOf;     // a file name (or DIR): its next fsync fails with EIO, once
  std::string failOpenOf;      // a file name: opening it fails with ENOSPC, once
  bool failFtruncate = false;  // every ftruncate fails with EIO

  int open(const std::string& path, int flags, mode_t mode) override {
    const std::string name = nameOf(path);
    calls.push_back("open " + name);
    if (name == failOpenOf) {
      failOpenOf.clear();
      return failWith(ENOSPC);
    }
    const int fd = systemFileIo().open(path, flags, mode);
    if (fd >= 0) names_[fd] = name;
    return fd;
  }
  ssize_t write(int fd, const void* data, std::size_t size) override {
    calls.push_back("write " + names_[fd]);
    if (names_[fd] == failWritesTo) return failWith(ENOSPC);
    return systemFileIo().write(fd, data, size);
  }
  int fsync(int fd) override {
    calls.push_back("fsync " + names_[fd]);
    if (names_[fd] == failFsyncOf) {
      failFsyncOf.clear();
      return failWith(EIO);
    }
    return systemFileIo().fsync(fd);
  }
  int ftruncate(int fd, off_t size) override {
    calls.push_back("ftruncate " + names_[fd] + " " + std::to_string(size));
    if (failFtruncate) return failWith(EIO);
    return systemFileIo().ftruncate(fd, size);
  }
  int rename(const std::string& from, const std::string& to) override {
    calls.push_back("rename " + nameOf(from) + " " + nameOf(to));
    return systemFileIo().rename(from, to);
  }
  int close(int fd) override {
    calls.push_back("close " + names_[fd]);
    names_.erase(fd);
    return systemFileIo().close(fd);
  }

 private:
  static int failWith(int error) {
    errno = error;
    return -1;
  }
  std::string nameOf(const std::string& path) const {
    if (std::filesystem::path(path) == std::filesystem::path(directory)) return "DIR";
    return std::filesystem::path(path).filename().string();
  }

  std::map<int, std::string> names_;
};

}  // namespace wsd::log::testing
