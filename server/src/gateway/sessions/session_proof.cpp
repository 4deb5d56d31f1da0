#include "gateway/sessions/session_proof.h"

#include "core/constant_time.h"
#include "core/error_codes.h"
#include "core/session_secret.h"

namespace wsd {
namespace {

constexpr std::string_view kCookie = "wsd_conn";

}  // namespace

SessionClaim claimedSession(const HttpRequest& request) {
  const std::string cookie = request.cookieValue(kCookie);
  SessionClaim claim;
  claim.conn = request.param("connId");
  if (claim.conn.empty()) {
    // Named by the secret alone: it proves what it names.
    const std::string& secret = request.sessionSecret.empty() ? cookie : request.sessionSecret;
    if (!secret.empty()) claim = {connIdOf(secret), true};
    return claim;
  }
  claim.proven = provesOwnership(request, claim.conn);
  return claim;
}

bool provesOwnership(const HttpRequest& request, std::string_view conn) {
  // Either will do: a browser's cookie belongs to the last session that set it, which may
  // be another tab's, so a client that names its session sends the header too.
  return provesSession(request.sessionSecret, conn) || provesSession(request.cookieValue(kCookie), conn);
}

std::optional<Refusal> refusalOf(const SessionClaim& claim) {
  if (claim.conn.empty()) {
    return Refusal{404, error_codes::kUnknownConn.name,
                   "no session named: open one with GET first, then send its secret"};
  }
  if (!claim.proven) {
    return Refusal{403, error_codes::kSessionSecretRequired.name,
                   "the request does not carry the secret of session '" + claim.conn +
                       "' (the Wsd-Session-Secret header, or the wsd_conn cookie)"};
  }
  return std::nullopt;
}

bool queryMatchesSession(const HttpRequest& request, std::string_view project, std::string_view token) {
  const std::string queryProject = request.param("project");
  const std::string queryToken = request.param("token");
  if (!queryProject.empty() && (queryProject != project || queryToken.empty())) return false;
  return queryToken.empty() || equalInConstantTime(queryToken, token);
}

std::string sessionCookie(std::string_view secret, bool secure) {
  std::string cookie = std::string(kCookie) + "=" + std::string(secret) + "; Path=/; HttpOnly; SameSite=Lax";
  if (secure) cookie += "; Secure";
  return cookie;
}

}  // namespace wsd
