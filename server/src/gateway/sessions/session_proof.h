// Which SSE or polling session a request acts on, and whether it proves that it comes
// from the session's client (core/session_secret.h).
//
// The secret travels in the `Wsd-Session-Secret` header or the `wsd_conn` cookie, never
// in a URL (URLs end up in proxy logs and browser history). A request names its session
// by `connId` and proves it with the secret; a request without `connId` is named by its
// secret alone, which is how the cookie-only POST of a same-origin page finds its session.
// A query's `project` and `token`, when given, must be the session's too.
//
// Threads: any (no state).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "gateway/sessions/handshake.h"

namespace wsd {

struct SessionClaim {
  std::string conn;     // the session named; empty when the request names none
  bool proven = false;  // it carries that session's secret
};

SessionClaim claimedSession(const HttpRequest& request);
// Whether the request carries the secret of session `conn`.
bool provesOwnership(const HttpRequest& request, std::string_view conn);

// The refusal for a claim that names a session without proving it owns it, or none.
std::optional<Refusal> refusalOf(const SessionClaim& claim);

// Whether the request's `project` and `token` query parameters (each optional, but a
// `project` needs its `token`) are those of the session with `project` and `token`.
bool queryMatchesSession(const HttpRequest& request, std::string_view project, std::string_view token);

// The Set-Cookie value that carries `secret` on the client's next requests: HttpOnly, so
// page scripts never read it, and Secure when the request came over TLS.
std::string sessionCookie(std::string_view secret, bool secure);

}  // namespace wsd
