// Where the server is: the parts of Options::url, and the endpoint URLs built from them
// (docs/protocol.md, "Connecting"). Pure functions; any thread.
#pragma once

#include <string>
#include <string_view>

#include "wsclient/types.h"

namespace wsclient::detail {

struct ServerUrl {
  bool secure = false;  // https:// or wss://
  std::string host;     // without brackets, even for IPv6 literals
  int port = 0;
  std::string prefix;  // "" or "/some/path" (no trailing slash)
};

// Accepts http, https, ws and wss URLs with an optional port and path; no query, no user.
Result<ServerUrl> parseServerUrl(std::string_view url);

// "http://host:port" (or https), for curl.
std::string httpOrigin(const ServerUrl& url);
// "host:port" as the Host header wants it (IPv6 in brackets).
std::string hostHeader(const ServerUrl& url);
// "project=P&token=T&mode=M", percent-encoded.
std::string sessionQuery(std::string_view project, std::string_view token, Mode mode);
// Percent-encodes everything but RFC 3986 unreserved characters.
std::string percentEncode(std::string_view text);

}  // namespace wsclient::detail
