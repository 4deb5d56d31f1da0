#include "tcp_proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>

namespace wsclient::test {

struct TcpProxy::Connection {
  int client = -1;
  int upstream = -1;
  int wakePipe[2] = {-1, -1};
  std::atomic<bool> frozen{false};
  std::thread thread;
};

namespace {

int connectUpstream(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

bool writeAll(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = write(fd, data, size);
    if (n <= 0) return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

// Wakes whoever polls the pipe's read end.
void poke(int fd) { [[maybe_unused]] const ssize_t n = write(fd, "x", 1); }

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

// Reads until the end of the request head; false if the peer or a wake-up ends it first.
bool readHead(int fd, int wake, std::string& head) {
  char buffer[4096];
  while (head.find("\r\n\r\n") == std::string::npos) {
    pollfd fds[2] = {{fd, POLLIN, 0}, {wake, POLLIN, 0}};
    if (poll(fds, 2, -1) <= 0 || (fds[1].revents & POLLIN) != 0) return false;
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n <= 0) return false;
    head.append(buffer, static_cast<std::size_t>(n));
  }
  return true;
}

// Copies bytes both ways until one side closes, the proxy stops, or the link is frozen
// (then it just holds the sockets open until the proxy stops).
void pump(int a, int b, int wake, const std::atomic<bool>& frozen, int stop) {
  char buffer[16384];
  while (!frozen) {
    pollfd fds[3] = {{a, POLLIN, 0}, {b, POLLIN, 0}, {wake, POLLIN, 0}};
    if (poll(fds, 3, -1) <= 0 || (fds[2].revents & POLLIN) != 0) break;
    for (int i = 0; i < 2; ++i) {
      if ((fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      const ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
      if (n <= 0 || !writeAll(fds[1 - i].fd, buffer, static_cast<std::size_t>(n))) return;
    }
  }
  pollfd held = {stop, POLLIN, 0};
  while (frozen && poll(&held, 1, -1) == 0) {
  }
}

}  // namespace

TcpProxy::TcpProxy(int upstreamPort, Rules rules) : upstreamPort_(upstreamPort), rules_(std::move(rules)) {
  if (pipe(stopPipe_) != 0) return;
  listenFd_ = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof addr;
  if (bind(listenFd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(listenFd_, 64) != 0) return;
  getsockname(listenFd_, reinterpret_cast<sockaddr*>(&addr), &length);
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { acceptLoop(); });
}

TcpProxy::~TcpProxy() {
  if (stopPipe_[1] >= 0) poke(stopPipe_[1]);
  if (acceptor_.joinable()) acceptor_.join();
  std::lock_guard lock(mutex_);
  for (auto& connection : connections_) {
    poke(connection->wakePipe[1]);
    connection->thread.join();
    for (int fd : {connection->client, connection->upstream, connection->wakePipe[0], connection->wakePipe[1]}) {
      if (fd >= 0) close(fd);
    }
  }
  for (int fd : {listenFd_, stopPipe_[0], stopPipe_[1]}) {
    if (fd >= 0) close(fd);
  }
}

void TcpProxy::freeze() {
  std::lock_guard lock(mutex_);
  for (auto& connection : connections_) {
    connection->frozen = true;
    poke(connection->wakePipe[1]);
  }
}

void TcpProxy::acceptLoop() {
  for (;;) {
    pollfd fds[2] = {{listenFd_, POLLIN, 0}, {stopPipe_[0], POLLIN, 0}};
    if (poll(fds, 2, -1) <= 0 || (fds[1].revents & POLLIN) != 0) return;
    const int client = accept(listenFd_, nullptr, nullptr);
    if (client < 0) continue;
    auto connection = std::make_shared<Connection>();
    connection->client = client;
    if (pipe(connection->wakePipe) != 0) {
      close(client);
      continue;
    }
    std::lock_guard lock(mutex_);
    connections_.push_back(connection);
    connection->thread = std::thread([this, connection] { serve(connection); });
  }
}

bool TcpProxy::refuses(const std::string& head) {
  const std::string lowered = lower(head);
  const bool upgrade = lowered.find("\r\nupgrade: websocket") != std::string::npos;
  if (upgrade) ++upgrades_;
  if (refuseAll_ || (upgrade && rules_.refuseUpgrade)) return true;
  return std::any_of(rules_.refusedPrefixes.begin(), rules_.refusedPrefixes.end(),
                     [&](const std::string& prefix) { return head.rfind(prefix, 0) == 0; });
}

// One client connection: the first request's head decides; then bytes flow untouched.
void TcpProxy::serve(const std::shared_ptr<Connection>& connection) {
  std::string head;
  if (!readHead(connection->client, connection->wakePipe[0], head)) return;
  if (refuses(head)) {
    ++refusals_;
    static const std::string kForbidden =
        "HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: 9\r\nConnection: close\r\n\r\nForbidden";
    writeAll(connection->client, kForbidden.data(), kForbidden.size());
    shutdown(connection->client, SHUT_RDWR);
    return;
  }
  connection->upstream = connectUpstream(upstreamPort_);
  if (connection->upstream < 0 || !writeAll(connection->upstream, head.data(), head.size())) {
    shutdown(connection->client, SHUT_RDWR);
    return;
  }
  pump(connection->client, connection->upstream, connection->wakePipe[0], connection->frozen, stopPipe_[0]);
  shutdown(connection->client, SHUT_RDWR);
  shutdown(connection->upstream, SHUT_RDWR);
}

}  // namespace wsclient::test
