// A real wsd for one test: its own data dir and admin token, a free port (kept across
// restart(), so clients reconnect to the same URL), its stderr kept for failure messages,
// and the admin API calls the tests need. The binary comes from $WSD_BIN (CMake passes
// $<TARGET_FILE:wsd>).
//
// Threads: call it from the test's thread; a reader thread of its own drains stderr.
#pragma once

#include <sys/types.h>

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace wsclient::test {

class WsdServer {
 public:
  explicit WsdServer(std::vector<std::string> extraArgs = {});
  ~WsdServer();  // stops it and removes its data dir
  WsdServer(const WsdServer&) = delete;
  WsdServer& operator=(const WsdServer&) = delete;

  // Starts wsd (port 0 the first time, the same port after) and waits until it listens;
  // false (see error()) when it does not within 20 s.
  bool start();
  // SIGTERM, then waits for the exit (SIGKILL after 10 s).
  void stop();
  bool restart() {
    stop();
    return start();
  }

  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  const std::string& error() const { return error_; }
  std::string log() const;

  // ---- Admin API (docs/protocol.md, "Admin API") ----
  bool createProject(const std::string& key);
  std::string createToken(const std::string& project);  // "" on failure (see error())
  // A token that expires at `expiresAtMs` (ms since the epoch; a past one is expired).
  std::string createToken(const std::string& project, long long expiresAtMs);
  bool revokeToken(const std::string& project, const std::string& token);
  // PATCH /project with `settingsJson` (e.g. {"offlineDelivery":"at_least_once"}).
  bool updateProject(const std::string& key, const std::string& settingsJson);
  // POST /project/secret: the new server secret, "" on failure.
  std::string rotateSecret(const std::string& key);

 private:
  void readStderr(int fd);
  std::string issueToken(const std::string& requestJson);  // POST /token
  bool waitListening(std::size_t from);

  std::vector<std::string> extraArgs_;
  std::string dataDir_;
  std::string adminToken_;
  std::string error_;
  int port_ = 0;
  pid_t pid_ = -1;
  std::thread reader_;
  mutable std::mutex mutex_;  // guards log_, exited_
  std::condition_variable changed_;
  std::string log_;
  bool exited_ = true;
};

// The project and token most tests use, on a started server.
struct Tenant {
  std::string project;
  std::string token;
};
// Creates project `key` and a token for it; empty token on failure.
Tenant makeTenant(WsdServer& server, const std::string& key = "app");

}  // namespace wsclient::test
