// The connect check shared by every transport: project, token, mode, the project's
// Origin allowlist and connection caps (this gateway's, and the project's own). A refusal
// carries the HTTP status and the JSON error body that docs/protocol.md lists for handshakes.
#pragma once

#include <optional>
#include <string>
#include <variant>

#include "core/http_request.h"
#include "core/result.h"
#include "gateway/gateway_context.h"
#include "gateway/net/http_response.h"

namespace wsd {

struct Refusal {
  int status;
  std::string code;
  std::string message;
};

struct Admitted {
  SessionIdentity identity;  // conn is freshly generated
};

// `request` carries the query (project, token, mode) and the Origin header.
std::variant<Admitted, Refusal> admit(GatewayContext& ctx, const HttpRequest& request, Transport transport);

// Creates the session's conn.open event (its `connected` comes when it is applied).
void announceOpen(GatewayContext& ctx, const Session& session);

// Is `token` still good for `project` at this moment (for requests on a live session)?
std::optional<Refusal> checkToken(const GatewayContext& ctx, const std::string& project, const std::string& token);

// The project's Origin allowlist (origin_policy.h) for any request a browser can make in
// its name: handshakes, POSTs and poll GETs of its sessions, POST /mail.
std::optional<Refusal> checkOrigin(const GatewayContext& ctx, const std::string& project, const HttpRequest& request);

// The answer to a GET of /ws without the upgrade: the handshake's own check, refused with
// the same status and JSON body, and 426 upgrade_required when the upgrade would be
// admitted. Browsers hide a refused upgrade's answer from the page, so this is where a page
// reads why its WebSocket did not open. Nothing is opened or counted.
HttpResponse plainWsGetResponse(GatewayContext& ctx, const HttpRequest& request);

// The answer to a CORS preflight (OPTIONS). One that names its project in the query is
// refused (403 origin_not_allowed) when the project's allowlist leaves its Origin out;
// one that does not (a cookie-only POST) is let through, and its request is checked.
HttpResponse preflightResponse(const GatewayContext& ctx, const HttpRequest& request);

}  // namespace wsd
