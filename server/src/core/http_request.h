// An HTTP request as the routes see it, and the pure parsing behind it: query arguments,
// cookies and the SSE Last-Event-ID. No network types here (gateway/net/http.h reads the
// headers off a connection into this), so the parsing is unit tested and fuzzed alone.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wsd {

struct HttpRequest {
  std::string method;  // GET, POST, PATCH, DELETE, OPTIONS, PUT
  std::string path;
  std::vector<std::pair<std::string, std::string>> query;  // url-decoded
  std::string authorization;
  std::string lastEventId;
  std::string cookie;
  std::string origin;  // the Origin header a browser sets; empty when absent
  std::string
      sessionSecret;    // Wsd-Session-Secret: an SSE or polling session's proof (gateway/sessions/session_proof.h)
  bool secure = false;  // came over TLS, here or (X-Forwarded-Proto: https) at a proxy
  std::string body;
  bool bodyTooLarge = false;

  // The first query argument called `name`; empty when absent.
  std::string param(std::string_view name) const;
  // The value of cookie `name` in the Cookie header; empty when absent.
  std::string cookieValue(std::string_view name) const;
};

// The path of a request URI: everything before the first '?'.
std::string_view pathOfUri(std::string_view uri);

// One query argument ("name=value", already url-decoded) as name and value; an argument
// without '=' has an empty value.
std::pair<std::string, std::string> splitQueryArgument(std::string_view argument);

// What an SSE client's Last-Event-ID names: "<connId>:<seq>", the id of the last event it
// saw (gateway/sessions/sse_session.h). The connId may itself hold ':', so the last one splits.
struct LastEventId {
  std::string conn;
  std::uint64_t seq = 0;
};
std::optional<LastEventId> parseLastEventId(std::string_view header);

}  // namespace wsd
