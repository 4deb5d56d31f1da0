// Running the Parquet writer (see the header).
#include "parquet_export.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <vector>

extern char** environ;

namespace wsd::wslog {

Result<std::unique_ptr<ParquetWriter>> ParquetWriter::start(const std::string& python, const std::string& outPath) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return makeError("parquet_failed", std::string("pipe: ") + std::strerror(errno));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[0], STDIN_FILENO);  // dup2 clears CLOEXEC on the copy
  std::vector<std::string> args = {python, "-c", parquetWriterScript(), outPath};
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, python.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[0]);
  if (spawned != 0) {
    ::close(fds[1]);
    return makeError("parquet_failed", "cannot run " + python + " (--python): " + std::strerror(spawned));
  }
  std::FILE* input = ::fdopen(fds[1], "wb");
  if (input == nullptr) {
    ::close(fds[1]);
    ::waitpid(pid, nullptr, 0);
    return makeError("parquet_failed", "fdopen failed");
  }
  std::signal(SIGPIPE, SIG_IGN);  // a writer that dies early is an error from fwrite, not a killed wslog
  return std::unique_ptr<ParquetWriter>(new ParquetWriter(input, pid));
}

Status ParquetWriter::finish() {
  const bool closed = std::fclose(input_) == 0;
  input_ = nullptr;
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && closed) return okStatus();
  return makeError("parquet_failed", "the Parquet writer failed (exit status " +
                                         std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ")");
}

ParquetWriter::~ParquetWriter() {
  if (input_ != nullptr) std::fclose(input_);
  if (pid_ > 0) ::waitpid(pid_, nullptr, 0);
}

}  // namespace wsd::wslog
