// The per-project Origin allowlist, checked at the handshake of /ws, /sse and /poll.
//
// Why: a browser sends a page's cookies and credentials along with a WebSocket upgrade to
// any site, and WebSocket has no CORS: a hostile page can open a connection to wsd with a
// token it found (or one a cookie-authenticated backend hands out) and act as the user
// (cross-site WebSocket hijacking). The browser does set `Origin`, which the page cannot
// forge; a project that lists its own origins refuses every other one (403
// origin_not_allowed). Clients that are not browsers send no Origin and are not affected.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace wsd {

// Whether `origin` (the header's value; empty when absent) may connect to a project that
// allows `allowed` (empty: any). Scheme and host compare case-insensitively, the port
// exactly (a missing one is the scheme's default: 80 for http, 443 for https); a value
// that is not scheme://host[:port] (such as "null") matches only itself.
bool originAllowed(std::string_view origin, const std::vector<std::string>& allowed);

}  // namespace wsd
