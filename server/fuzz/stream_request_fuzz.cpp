// Fuzzes what the SSE and polling routes read to find a session (gateway/routes/stream_routes.cpp):
// the wsd_conn cookie and the Last-Event-ID header ("<connId>:<seq>").
// Input: the Cookie header on the first line, Last-Event-ID after it.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/http_request.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto newline = input.find('\n');
  wsd::HttpRequest request;
  request.cookie = std::string(input.substr(0, newline));
  const std::string conn = request.cookieValue("wsd_conn");
  if (!conn.empty() && request.cookie.find(conn) == std::string::npos) std::abort();

  if (newline == std::string_view::npos) return 0;
  request.lastEventId = std::string(input.substr(newline + 1));
  auto lastEventId = wsd::parseLastEventId(request.lastEventId);
  if (!lastEventId) return 0;
  // The connId is everything before the last ':', the sequence number follows it.
  if (request.lastEventId.compare(0, lastEventId->conn.size(), lastEventId->conn) != 0 ||
      request.lastEventId[lastEventId->conn.size()] != ':') {
    std::abort();
  }
  const char first = request.lastEventId[lastEventId->conn.size() + 1];
  if (first < '0' || first > '9') std::abort();
  return 0;
}
