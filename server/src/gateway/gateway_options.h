// The limits and timings the gateway works with (filled from app/config.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/mail_request.h"
#include "core/projector.h"
#include "gateway/sessions/output_budget.h"

namespace wsd {

struct GatewayOptions {
  std::string listenHost = "127.0.0.1";
  int listenPort = 8080;
  std::string adminToken;
  std::string node;
  std::string version;  // shown by /metrics (wsd_build_info)
  // The log the projections come from: "embedded", or the Kafka topic's name; and the
  // limits they are built with. GET /admin/state-snapshot reports both, so that a replay
  // elsewhere builds the same state.
  std::string logName = "embedded";
  ProjectorLimits projectorLimits;
  std::int64_t heartbeatMs = 15000;
  std::int64_t offlineTtlMs = 259200000;
  std::int64_t tokenTtlMs = 2592000000;  // 0: tokens issued without expiresAt never expire
  std::size_t maxMessageBytes = 65536;
  double rateLimit = 1000;
  double rateBurst = 2000;
  std::size_t multicastMax = 1000;
  std::size_t connsPerProject = 100000;
  std::int64_t pollTimeoutMs = 25000;
  std::int64_t pollSessionTimeoutMs = 60000;
  std::int64_t sseResumeMs = 5000;
  std::size_t sseReplayMessages = 1024;
  OutputBudget::Limits output{4u << 20, 1u << 30, 10000};  // output held for clients (output_budget.h)
  bool wsDeflate = false;                                  // permessage-deflate when a WebSocket client offers it
  std::size_t wsDeflateThreshold = 256;                    // messages shorter than this go out uncompressed
  std::size_t wsReceiveBuffer = 4096;                      // bytes per WebSocket connection, without compression
  std::int64_t nodeHeartbeatMs = 0;                        // 0: single gateway, no node.alive events
  std::int64_t nodeTimeoutMs = 10000;                      // a gateway silent this long is declared down
  std::int64_t mailLimit = 10;                             // accepted mails per token per window
  std::int64_t mailWindowMs = 60000;
  std::int64_t mailTimeoutMs = 30000;  // the relay's time; POST /mail waits this plus the log's
  mail::SenderDefaults mailSender;
};

}  // namespace wsd
