#include "options_check.h"

#include <algorithm>

#include "server_url.h"

namespace wsclient::detail {
namespace {

Status bad(const std::string& what) { return Status{ErrorCode::kInvalidOptions, what}; }

Status checkTransports(const std::vector<TransportKind>& transports) {
  if (transports.empty()) return bad("transports: name at least one of ws, sse, poll");
  for (auto it = transports.begin(); it != transports.end(); ++it) {
    if (std::find(it + 1, transports.end(), *it) != transports.end()) {
      return bad(std::string("transports: ") + toString(*it) + " is listed twice");
    }
  }
  return Status{};
}

Status checkReconnect(const ReconnectOptions& r) {
  if (r.initialDelay.count() <= 0) return bad("reconnect.initialDelay must be > 0");
  if (r.maxDelay < r.initialDelay) return bad("reconnect.maxDelay must be >= reconnect.initialDelay");
  if (!(r.multiplier >= 1.0)) return bad("reconnect.multiplier must be >= 1");
  if (!(r.jitter >= 0.0 && r.jitter <= 1.0)) return bad("reconnect.jitter must be within [0, 1]");
  return Status{};
}

}  // namespace

Status checkOptions(const Options& options) {
  if (auto url = parseServerUrl(options.url); !url.ok()) return url.status();
  if (options.project.empty()) return bad("project: required");
  if (options.token.empty()) return bad("token: required");
  if (Status s = checkTransports(options.transports); !s.ok()) return s;
  if (Status s = checkReconnect(options.reconnect); !s.ok()) return s;
  if (options.heartbeat.pingAfter.count() > 0 && options.heartbeat.deadAfter.count() <= 0) {
    return bad("heartbeat.deadAfter must be > 0 when heartbeat.pingAfter is");
  }
  if (options.connectTimeout.count() <= 0) return bad("connectTimeout must be > 0");
  if (options.requestTimeout.count() <= 0) return bad("requestTimeout must be > 0");
  if (options.maxQueued == 0) return bad("maxQueued must be >= 1");
  if (options.maxMessageBytes == 0) return bad("maxMessageBytes must be >= 1");
  return Status{};
}

}  // namespace wsclient::detail
