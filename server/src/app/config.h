// wsd's configuration: one table of options (config.cpp), each declared once with its
// name, value, default, meaning and the roles it applies to. Every option is read from
// the command line (--NAME), then the environment (WSD_NAME), then a TOML file
// (--config FILE): the first source that sets it wins. `wsd --help`, `wsd config print`,
// `wsd config example` and docs/operations.md (checked by a test) all come from the table.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace wsd {

// kLogRepair and kConfig* are not roles but commands: `wsd log repair` mends the embedded
// log, `wsd config print` shows the effective configuration, `wsd config example` writes a
// starter file; each then exits.
enum class Role { kAll, kServe, kProject, kMail, kHooks, kLogRepair, kConfigPrint, kConfigExample };

// Where an option's value came from, weakest first.
enum class Source { kDefault, kFile, kEnv, kFlag };

// One option as a source set it: every value (several for a repeatable option).
struct Setting {
  std::string option;  // the table's name, e.g. "poll-timeout"
  std::vector<std::string> values;
  Source source = Source::kDefault;
};

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
  std::size_t sessionOutputBytes = 4u << 20;  // output one session may hold (gateway/sessions/output_budget.h)
  std::size_t outputBytes = 1u << 30;         // output all sessions of a gateway may hold
  std::size_t sessionOutputMessages = 10000;  // messages one session may hold
  std::string fsync = "everysec";             // always | everysec | never
  // The embedded log's chain (core/log_chain.h): the key signing its checkpoints (empty:
  // unsigned) and how often one is written.
  std::string chainKey;
  std::int64_t chainCheckpointRecords = 10000;
  double chainCheckpointSeconds = 60;
  std::string kafkaBrokers;  // empty: the embedded log in the data dir
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
  std::string configFile;          // empty: no file (--config, WSD_CONFIG)
  std::string logLevel = "info";   // debug | info | warn | error
  std::string logFormat = "text";  // text | json
  double backendWaitSeconds = 60;  // a role without its Kafka or Redis this long exits (0 = waits forever)
  bool showHelp = false;
  bool showVersion = false;
  std::vector<Setting> settings;  // the options some source set, in table order, with their source
};

// ---- The option table ----

// What an option's value is; durations and sizes accept units (config_units.h).
enum class OptionKind { kText, kWhole, kNumber, kDuration, kSize, kList };

// The roles an option matters to (a bit set); `wsd all` runs every role.
enum RoleBit : unsigned { kForServe = 1, kForProject = 2, kForMail = 4, kForHooks = 8, kForAll = 15 };

struct Option {
  const char* name;       // --NAME on the command line, WSD_NAME in the environment, NAME in a file
  const char* value;      // placeholder shown in --help
  const char* byDefault;  // the default as a value the option reads, or nullptr: unset by default
  const char* unset;      // what an unset option means (when byDefault is nullptr)
  const char* meaning;
  OptionKind kind;
  unsigned roles;  // RoleBit set
  bool secret;     // masked by `wsd config print`, never logged
  std::function<bool(Config&, const std::string&)> set;
};

const std::vector<Option>& optionTable();
std::string envName(std::string_view option);  // "data-dir" -> "WSD_DATA_DIR"
std::string sourceName(Source source);         // default | file | env | flag
std::string rolesText(unsigned roles);         // "serve, mail" or "all"

// Reads the environment through `env` (getenv in wsd; a map in tests): null when unset.
using EnvLookup = std::function<const char*(const std::string&)>;

// wsd's exit status when its configuration must change before it can run: a bad value,
// or a second gateway started under this one's node id (supervisors should not restart).
inline constexpr int kExitConfigMustChange = 2;

// Parses argv, the environment and the --config file; a bad option or value fails with a
// message naming the option and its source, saying what to change.
Result<Config> parseConfig(const std::vector<std::string>& args);
Result<Config> parseConfig(const std::vector<std::string>& args, const EnvLookup& env);

std::string helpText();
std::string configPrintText(const Config& config);  // one line per option, secrets masked
std::string configExampleText();                    // a commented TOML file at the defaults
const char* versionString();

}  // namespace wsd
