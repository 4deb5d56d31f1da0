// wsd's configuration: one table of options (config.cpp), each with its flag, default
// and meaning. `wsd --help` prints the table and docs/operations.md is checked against
// it by a test, so the documentation cannot drift from the code.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"

namespace wsd {

// kLogRepair is not a role but a command: `wsd log repair` mends the embedded log and exits.
enum class Role { kAll, kServe, kProject, kMail, kHooks, kLogRepair };

struct Config {
  Role role = Role::kAll;
  std::string listenHost = "127.0.0.1";
  int listenPort = 8080;
  std::string adminToken;  // empty: WSD_ADMIN_TOKEN, else generated and kept in the data dir
  std::string dataDir = "./data";
  std::string nodeId;                       // empty: generated once and kept in the data dir
  double heartbeatSeconds = 15;             // mode=long ping interval
  std::int64_t offlineTtlSeconds = 259200;  // 3 days
  std::int64_t tokenTtlSeconds = 2592000;   // default token lifetime: 30 days (0 = never)
  std::size_t maxMessageBytes = 65536;
  double rateLimit = 1000;  // messages per second per connection
  double rateBurst = 2000;
  std::size_t multicastMax = 1000;
  std::size_t inboxMax = 1000;
  std::size_t roomsPerConn = 64;
  std::size_t connsPerProject = 100000;
  bool wsDeflate = false;                     // permessage-deflate when a WebSocket client offers it
  std::size_t wsDeflateThreshold = 256;       // bytes; shorter messages go out uncompressed
  std::size_t wsReceiveBuffer = 4096;         // bytes per WebSocket connection, without compression
  double pollTimeoutSeconds = 25;             // how long a GET /poll is held
  double pollSessionTimeoutSeconds = 60;      // a poll session not polled this long ends
  double sseResumeSeconds = 5;                // an SSE stream may come back with Last-Event-ID this long
  std::size_t sseReplayMessages = 1024;       // messages kept per SSE session for resuming
  std::size_t sessionOutputBytes = 4u << 20;  // output one session may hold (gateway/output_budget.h)
  std::size_t outputBytes = 1u << 30;         // output all sessions of a gateway may hold
  std::size_t sessionOutputMessages = 10000;  // messages one session may hold
  std::string fsync = "everysec";             // always | everysec | never
  std::string kafkaBrokers;                   // empty: the embedded log in the data dir
  std::string kafkaTopic = "wsd.events";
  int kafkaPartitions = 4;
  // librdkafka properties the operator sets on top of wsd's (KEY=VALUE, repeatable).
  std::vector<std::pair<std::string, std::string>> kafkaProducerConfig;
  std::vector<std::pair<std::string, std::string>> kafkaConsumerConfig;
  double nodeHeartbeatSeconds = 2;  // with Kafka: how often this gateway says it is alive
  double nodeTimeoutSeconds = 10;   // with Kafka: a gateway silent this long is declared down
  std::string redisUrl;             // empty: no Redis projections
  std::string projectorGroup = "wsd-projector";
  std::int64_t mailLimit = 10;  // mails per token per window
  double mailWindowSeconds = 60;
  double mailTimeoutSeconds = 30;  // a relay's time for one mail
  std::string mailFrom = "noreply@localhost.localdomain";
  std::string mailFromName = "WebSocket Server";
  std::string smtpUrl;  // smtp:// or smtps://; empty: no SMTP relay
  std::string smtpUser;
  std::string smtpPassword;  // also $WSD_SMTP_PASSWORD
  std::string smtpStarttls = "try";
  std::string mailHttpUrl;  // a MailChannels-compatible API; empty: none
  std::string mailHttpKey;  // also $WSD_MAIL_HTTP_KEY
  // Webhooks: attempts per delivery (the first included), each attempt's time, and the
  // wait before the second attempt (doubling after each failure).
  int webhookAttempts = 5;
  double webhookTimeoutSeconds = 10;
  double webhookBackoffSeconds = 1;
  bool showHelp = false;
  bool showVersion = false;
};

// Parses argv; a bad flag or value fails with a message that says what to change.
Result<Config> parseConfig(const std::vector<std::string>& args);
std::string helpText();
const char* versionString();

}  // namespace wsd
