// A TCP proxy between the SDK and wsd, to make links fail for real: it can refuse
// WebSocket upgrades (as some corporate proxies do) and requests on chosen paths with a
// 403, and it can freeze its open connections: bytes stop flowing both ways while the
// sockets stay open, as on a dead network path (new connections still work).
//
// Threads: an accept thread and one thread per connection, woken through pipes (never by
// timeouts). Control methods are safe from any thread.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace wsclient::test {

class TcpProxy {
 public:
  struct Rules {
    bool refuseUpgrade = false;                // answer 403 to requests with "Upgrade: websocket"
    std::vector<std::string> refusedPrefixes;  // answer 403 to requests starting so ("GET /sse")
  };

  TcpProxy(int upstreamPort, Rules rules);
  ~TcpProxy();
  TcpProxy(const TcpProxy&) = delete;
  TcpProxy& operator=(const TcpProxy&) = delete;

  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // Connections open now stop forwarding, for good.
  void freeze();
  // While set, every new request is answered 403 (as an unreachable server would refuse it).
  void refuseNew(bool refuse) { refuseAll_ = refuse; }
  // Requests answered 403 so far, and upgrade requests seen (refused or not).
  int refusals() const { return refusals_; }
  int upgrades() const { return upgrades_; }

 private:
  struct Connection;
  void acceptLoop();
  void serve(const std::shared_ptr<Connection>& connection);
  bool refuses(const std::string& head);

  int upstreamPort_;
  Rules rules_;
  int listenFd_ = -1;
  int port_ = 0;
  int stopPipe_[2] = {-1, -1};
  std::thread acceptor_;
  std::mutex mutex_;  // guards connections_
  std::vector<std::shared_ptr<Connection>> connections_;
  std::atomic<int> refusals_{0};
  std::atomic<int> upgrades_{0};
  std::atomic<bool> refuseAll_{false};
};

}  // namespace wsclient::test
