#include "http_call.h"

#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace wsbench {

HttpAnswer httpCall(const sockaddr_in& server, const std::string& host, const std::string& method,
                    const std::string& path, const std::string& body, const std::string& bearer,
                    const std::vector<std::string>& headers) {
  HttpAnswer answer;
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    answer.error = std::strerror(errno);
    return answer;
  }
  timeval timeout{10, 0};  // setup calls are quick or broken
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  if (connect(fd, reinterpret_cast<const sockaddr*>(&server), sizeof server) != 0) {
    answer.error = std::string("connect: ") + std::strerror(errno);
    ::close(fd);
    return answer;
  }
  std::string request =
      method + " " + path + " HTTP/1.1\r\nHost: " + host +
      "\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
      "\r\n";
  if (!bearer.empty()) request += "Authorization: Bearer " + bearer + "\r\n";
  for (const auto& header : headers) request += header + "\r\n";
  request += "\r\n" + body;
  for (std::size_t sent = 0; sent < request.size();) {
    const ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  std::string response;
  char buffer[8192];
  for (;;) {
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    response.append(buffer, static_cast<std::size_t>(n));
    // Content-Length bounded answers end here without waiting for the close.
    const auto end = response.find("\r\n\r\n");
    const auto length = response.find("content-length: ");
    if (end != std::string::npos && length != std::string::npos && length < end &&
        response.size() >= end + 4 + std::stoul(response.substr(length + 16))) {
      break;
    }
  }
  ::close(fd);
  if (response.rfind("HTTP/1.1 ", 0) != 0) {
    answer.error = "no HTTP answer";
    return answer;
  }
  answer.status = std::atoi(response.c_str() + 9);
  const auto end = response.find("\r\n\r\n");
  if (end != std::string::npos) answer.body = response.substr(end + 4);
  return answer;
}

std::string jsonString(const std::string& json, const std::string& key) {
  const std::string needle = "\"" + key + "\":\"";
  const auto start = json.find(needle);
  if (start == std::string::npos) return {};
  const auto from = start + needle.size();
  const auto to = json.find('"', from);
  return to == std::string::npos ? std::string() : json.substr(from, to - from);
}

}  // namespace wsbench
