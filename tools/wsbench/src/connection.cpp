#include "connection.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace wsbench {
namespace {

constexpr std::size_t kReadChunk = 64 * 1024;

}  // namespace

Connection::~Connection() {
  if (fd_ >= 0) ::close(fd_);
}

bool Connection::start(const Target& target, in_addr source, std::string& error) {
  fd_ = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd_ < 0) {
    error = std::string("socket: ") + std::strerror(errno);
    return false;
  }
  int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  // The port is chosen at connect(), for the whole address pair, rather than at bind() for
  // the source address alone.
  setsockopt(fd_, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
  sockaddr_in local{};
  local.sin_family = AF_INET;
  local.sin_addr = source;
  if (bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
    error = std::string("bind: ") + std::strerror(errno);
    return false;
  }
  if (connect(fd_, reinterpret_cast<const sockaddr*>(&target.server), sizeof target.server) != 0 &&
      errno != EINPROGRESS) {
    error = std::string("connect: ") + std::strerror(errno);
    return false;
  }
  if (transport_ == Transport::kWs) {
    out_ = upgradeRequest(target.host, target.path);
  } else {
    out_ = "GET " + target.path + " HTTP/1.1\r\nHost: " + target.host + "\r\nAccept: text/event-stream\r\n\r\n";
  }
  handler_ = [this](std::uint32_t events) { onEvents(events); };
  loop_.add(fd_, EPOLLIN | EPOLLOUT, &handler_);
  watchingWrite_ = true;
  return true;
}

void Connection::close(const std::string& why) {
  if (state_ == State::kClosed) return;
  state_ = State::kClosed;
  loop_.remove(fd_);
  ::close(fd_);
  fd_ = -1;
  if (onClose) onClose(why);
}

void Connection::send(std::string_view json) {
  if (state_ == State::kClosed) return;
  out_ += encodeText(json, mask_);
  if (state_ == State::kOpen) flush();
}

void Connection::watch(bool wantWrite) {
  if (wantWrite == watchingWrite_ || fd_ < 0) return;
  watchingWrite_ = wantWrite;
  loop_.modify(fd_, EPOLLIN | (wantWrite ? static_cast<std::uint32_t>(EPOLLOUT) : 0U), &handler_);
}

void Connection::onEvents(std::uint32_t events) {
  if (state_ == State::kClosed) return;
  if ((events & (EPOLLERR | EPOLLHUP)) != 0 && (events & EPOLLIN) == 0) return close("connection refused or reset");
  if (state_ == State::kConnecting && (events & EPOLLOUT) != 0) state_ = State::kHandshake;
  if ((events & EPOLLIN) != 0) readAll();
  if (state_ != State::kClosed && (events & EPOLLOUT) != 0) flush();
}

void Connection::flush() {
  while (outOffset_ < out_.size()) {
    const ssize_t n = ::send(fd_, out_.data() + outOffset_, out_.size() - outOffset_, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      return close(std::string("send: ") + std::strerror(errno));
    }
    outOffset_ += static_cast<std::size_t>(n);
  }
  if (outOffset_ == out_.size()) {
    out_.clear();
    outOffset_ = 0;
  }
  watch(!out_.empty());
}

void Connection::readAll() {
  std::array<char, kReadChunk> buffer{};
  for (;;) {
    const ssize_t n = ::recv(fd_, buffer.data(), buffer.size(), 0);
    if (n == 0)
      return close(state_ == State::kOpen ? "closed by the server" : "closed by the server during the handshake");
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) return;
      return close(std::string("recv: ") + std::strerror(errno));
    }
    const std::string_view bytes(buffer.data(), static_cast<std::size_t>(n));
    if (state_ == State::kOpen) {
      if (transport_ == Transport::kWs)
        onWsBytes(bytes);
      else
        onSseBytes(bytes);
    } else {
      in_.append(bytes);
      onHandshakeBytes();
    }
    if (state_ == State::kClosed) return;
  }
}

void Connection::onHandshakeBytes() {
  const auto end = in_.find("\r\n\r\n");
  if (end == std::string::npos) return;
  const std::string headers = in_.substr(0, end);
  std::string rest = in_.substr(end + 4);
  in_.clear();
  const char* expected = transport_ == Transport::kWs ? "HTTP/1.1 101" : "HTTP/1.1 200";
  if (headers.rfind(expected, 0) != 0) return close("handshake refused: " + headers.substr(0, headers.find('\r')));
  state_ = State::kOpen;
  sseChunked_ = headers.find("chunked") != std::string::npos;
  if (!rest.empty()) {
    if (transport_ == Transport::kWs)
      onWsBytes(rest);
    else
      onSseBytes(rest);
  }
  if (state_ == State::kOpen) flush();
}

void Connection::onWsBytes(std::string_view bytes) {
  frames_.feed(bytes);
  while (auto frame = frames_.next()) {
    switch (frame->opcode) {
      case 1:
        if (onMessage) onMessage(frame->payload);
        break;
      case 8: return close("close frame from the server");
      case 9:
        out_ += encodePong(frame->payload, mask_);
        flush();
        break;
      default: break;
    }
    if (state_ == State::kClosed) return;
  }
  if (frames_.failed()) close("malformed frame from the server");
}

// Chunked transfer coding, undone just enough for a stream: "<hex>\r\n<data>\r\n".
void Connection::onSseBytes(std::string_view bytes) {
  if (!sseChunked_) return onSseBody(bytes);
  in_.append(bytes);
  std::size_t pos = 0;
  for (;;) {
    const auto lineEnd = in_.find("\r\n", pos);
    if (lineEnd == std::string::npos) break;
    const std::size_t size = std::strtoul(in_.c_str() + pos, nullptr, 16);
    if (in_.size() < lineEnd + 2 + size + 2) break;
    onSseBody(std::string_view(in_).substr(lineEnd + 2, size));
    pos = lineEnd + 2 + size + 2;
    if (size == 0) return close("the server ended the stream");
  }
  in_.erase(0, pos);
}

void Connection::onSseBody(std::string_view body) {
  sseEvents_.append(body);
  std::size_t start = 0;
  for (;;) {
    const auto end = sseEvents_.find("\n\n", start);
    if (end == std::string::npos) break;
    std::string_view event = std::string_view(sseEvents_).substr(start, end - start);
    start = end + 2;
    for (std::size_t line = 0; line < event.size();) {
      auto next = event.find('\n', line);
      if (next == std::string_view::npos) next = event.size();
      const auto text = event.substr(line, next - line);
      if (text.rfind("data: ", 0) == 0 && onMessage) onMessage(text.substr(6));
      line = next + 1;
    }
    if (state_ == State::kClosed) return;
  }
  sseEvents_.erase(0, start);
}

}  // namespace wsbench
