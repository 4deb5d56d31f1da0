#include "app/config.h"

#include <CLI/Config.hpp>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>
#include <utility>

#include "app/config_units.h"

namespace wsd {
namespace {

// Bounds every fractional option (seconds, rates); far beyond any sane setting.
constexpr double kMaxSetting = 1e9;

bool toDouble(const std::string& s, double& out, double min) {
  char* end = nullptr;
  out = std::strtod(s.c_str(), &end);
  // Finite only: an infinite rate or interval would overflow where it becomes milliseconds.
  return end != s.c_str() && *end == '\0' && std::isfinite(out) && out >= min && out <= kMaxSetting;
}

// A whole number from `min` up to what `Int` holds: a value beyond either bound is refused,
// not wrapped into another number.
template <typename Int>
bool toInt(const std::string& s, Int& out, long long min) {
  long long v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size() || v < min) return false;
  if (std::cmp_greater(v, std::numeric_limits<Int>::max())) return false;
  out = static_cast<Int>(v);
  return true;
}

// KEY=VALUE, appended to `out` (a repeatable option).
bool toProperty(const std::string& s, std::vector<std::pair<std::string, std::string>>& out) {
  auto eq = s.find('=');
  if (eq == 0 || eq == std::string::npos) return false;
  out.emplace_back(s.substr(0, eq), s.substr(eq + 1));
  return true;
}

bool toListen(const std::string& s, Config& c) {
  auto colon = s.rfind(':');
  if (colon == std::string::npos) return false;
  c.listenHost = s.substr(0, colon);
  if (c.listenHost.size() >= 2 && c.listenHost.front() == '[')
    c.listenHost = c.listenHost.substr(1, c.listenHost.size() - 2);
  return toInt(s.substr(colon + 1), c.listenPort, 0) && c.listenPort <= 65535;
}

bool toText(std::string& field, const std::string& v, bool mayBeEmpty = false) {
  field = v;
  return mayBeEmpty || !v.empty();
}

bool toChoice(std::string& field, const std::string& v, std::initializer_list<const char*> choices) {
  field = v;
  for (const char* choice : choices) {
    if (v == choice) return true;
  }
  return false;
}

// A file's `true`/`false` reads as on/off.
bool toSwitch(bool& field, const std::string& v) {
  field = v == "on" || v == "true";
  return field || v == "off" || v == "false";
}

using K = OptionKind;
constexpr unsigned kGateway = kForServe;
constexpr unsigned kFollowers = kForAll;  // every role that reads the log

// ---- The table: one row per option ----
std::vector<Option> buildTable() {
  return {
      {"config", "FILE", nullptr, "none",
       "read options from this TOML file (NAME = VALUE lines; see wsd config example)", K::kText, kForAll, false,
       [](Config& c, const std::string& v) { return toText(c.configFile, v); }},
      {"listen", "HOST:PORT", "127.0.0.1:8080", nullptr,
       "address for clients, the admin API and the dashboard (port 0 picks a free one)", K::kText, kGateway, false,
       [](Config& c, const std::string& v) { return toListen(v, c); }},
      {"admin-token", "TOKEN", nullptr, "generated and kept in DATA_DIR/admin-token", "bearer token of the admin API",
       K::kText, kGateway, true, [](Config& c, const std::string& v) { return toText(c.adminToken, v); }},
      {"data-dir", "DIR", "./data", nullptr, "where the embedded event log and generated secrets live", K::kText,
       kForAll, false, [](Config& c, const std::string& v) { return toText(c.dataDir, v); }},
      {"node-id", "ID", nullptr, "generated once and kept in DATA_DIR/node-id", "this gateway's name in the event log",
       K::kText, kForServe | kForMail | kForHooks, false,
       [](Config& c, const std::string& v) { return toText(c.nodeId, v); }},
      {"log-level", "LEVEL", "info", nullptr, "least important log lines written: debug, info, warn or error", K::kText,
       kForAll, false,
       [](Config& c, const std::string& v) {
         return toChoice(c.logLevel, v, {"debug", "info", "warn", "error"});
       }},
      {"log-format", "FORMAT", "text", nullptr,
       "log lines on stderr: text (time, level, message) or json (one object per line)", K::kText, kForAll, false,
       [](Config& c, const std::string& v) {
         return toChoice(c.logFormat, v, {"text", "json"});
       }},
      {"backend-wait", "DURATION", "60s", nullptr,
       "how long a role waits for an unreachable Kafka or Redis before it exits with status 1 (0 = forever)",
       K::kDuration, kForAll, false,
       [](Config& c, const std::string& v) { return toDouble(v, c.backendWaitSeconds, 0); }},
      {"heartbeat-interval", "DURATION", "15s", nullptr,
       "mode=long: time between server pings; two unanswered pings close", K::kDuration, kGateway, false,
       [](Config& c, const std::string& v) { return toDouble(v, c.heartbeatSeconds, 0.01); }},
      {"offline-ttl", "DURATION", "3d", nullptr, "how long offline messages are kept (whole seconds)", K::kDuration,
       kForAll, false, [](Config& c, const std::string& v) { return toInt(v, c.offlineTtlSeconds, 1); }},
      {"token-ttl", "DURATION", "30d", nullptr,
       "lifetime of a token issued without expiresAt (whole seconds; 0 = never expires)", K::kDuration, kGateway, false,
       [](Config& c, const std::string& v) { return toInt(v, c.tokenTtlSeconds, 0); }},
      {"max-message-bytes", "SIZE", "64KiB", nullptr,
       "largest client message; a larger one closes with 1009 (413 on POST)", K::kSize, kGateway, false,
       [](Config& c, const std::string& v) { return toInt(v, c.maxMessageBytes, 64); }},
      {"rate-limit", "PER_SECOND", "1000", nullptr, "client messages per second per connection", K::kNumber, kGateway,
       false, [](Config& c, const std::string& v) { return toDouble(v, c.rateLimit, 0.001); }},
      {"rate-burst", "MESSAGES", "2000", nullptr, "messages a connection may send at once before the rate applies",
       K::kNumber, kGateway, false, [](Config& c, const std::string& v) { return toDouble(v, c.rateBurst, 1); }},
      {"max-multicast", "UIDS", "1000", nullptr, "recipients of one multicast", K::kWhole, kGateway, false,
       [](Config& c, const std::string& v) { return toInt(v, c.multicastMax, 1); }},
      {"max-inbox", "MESSAGES", "1000", nullptr, "stored offline messages per uid", K::kWhole, kFollowers, false,
       [](Config& c, const std::string& v) { return toInt(v, c.inboxMax, 1); }},
      {"max-rooms-per-conn", "ROOMS", "64", nullptr, "rooms one connection may be in", K::kWhole, kFollowers, false,
       [](Config& c, const std::string& v) { return toInt(v, c.roomsPerConn, 1); }},
      {"max-conns-per-project", "CONNECTIONS", "100000", nullptr, "live connections per project on this gateway",
       K::kWhole, kGateway, false, [](Config& c, const std::string& v) { return toInt(v, c.connsPerProject, 1); }},
      {"ws-deflate", "MODE", "off", nullptr, "WebSocket permessage-deflate: on (for clients that offer it) or off",
       K::kText, kGateway, false, [](Config& c, const std::string& v) { return toSwitch(c.wsDeflate, v); }},
      {"ws-deflate-threshold", "SIZE", "256", nullptr, "WebSocket messages shorter than this are sent uncompressed",
       K::kSize, kGateway, false, [](Config& c, const std::string& v) { return toInt(v, c.wsDeflateThreshold, 0); }},
      {"ws-receive-buffer", "SIZE", "4KiB", nullptr,
       "each WebSocket connection's receive buffer (without compression): memory per connection, "
       "against what one pass reads from a busy client",
       K::kSize, kGateway, false, [](Config& c, const std::string& v) { return toInt(v, c.wsReceiveBuffer, 128); }},
      {"poll-timeout", "DURATION", "25s", nullptr, "how long GET /poll waits for a message before answering []",
       K::kDuration, kGateway, false,
       [](Config& c, const std::string& v) { return toDouble(v, c.pollTimeoutSeconds, 0.01); }},
      {"poll-session-timeout", "DURATION", "60s", nullptr, "a polling session not polled this long ends", K::kDuration,
       kGateway, false, [](Config& c, const std::string& v) { return toDouble(v, c.pollSessionTimeoutSeconds, 0.01); }},
      {"sse-resume-window", "DURATION", "5s", nullptr,
       "how long an SSE session waits for its stream to come back (then it ends like a dropped socket)", K::kDuration,
       kGateway, false, [](Config& c, const std::string& v) { return toDouble(v, c.sseResumeSeconds, 0); }},
      {"sse-replay-messages", "MESSAGES", "1024", nullptr, "messages kept per SSE session for Last-Event-ID", K::kWhole,
       kGateway, false, [](Config& c, const std::string& v) { return toInt(v, c.sseReplayMessages, 0); }},
      {"session-output-budget", "SIZE", "4MiB", nullptr,
       "output one session may hold for its client (queued, or kept for an SSE resume); a session over it is "
       "closed (1008 output_over_budget) and its unreceived direct messages are kept offline (0 = unbounded)",
       K::kSize, kGateway, false, [](Config& c, const std::string& v) { return toInt(v, c.sessionOutputBytes, 0); }},
      {"session-output-messages", "MESSAGES", "10000", nullptr,
       "messages one session may hold for its client; a session over it is closed (1008 slow_consumer) "
       "(0 = unbounded)",
       K::kWhole, kGateway, false,
       [](Config& c, const std::string& v) { return toInt(v, c.sessionOutputMessages, 0); }},
      {"output-budget", "SIZE", "1GiB", nullptr,
       "output all sessions of a gateway may hold; past it, the sessions holding the most are closed (1013 "
       "server_output_full) (0 = unbounded)",
       K::kSize, kGateway, false, [](Config& c, const std::string& v) { return toInt(v, c.outputBytes, 0); }},
      {"fsync", "POLICY", "everysec", nullptr, "embedded log: always (before acknowledging), everysec, or never",
       K::kText, kForServe, false,
       [](Config& c, const std::string& v) {
         return toChoice(c.fsync, v, {"always", "everysec", "never"});
       }},
      {"chain-key", "KEY", nullptr, "none: checkpoints are not signed",
       "the operator's key that signs the log chain's checkpoints, and the projector's partition checkpoints "
       "(HMAC-SHA256); keep it where whoever can edit the log cannot read it",
       K::kText, kForServe | kForProject, true, [](Config& c, const std::string& v) { return toText(c.chainKey, v); }},
      {"chain-checkpoint-records", "RECORDS", "10000", nullptr,
       "a chain checkpoint after this many records (with Kafka: of one process's chain in one partition; the "
       "projector: a partition checkpoint after this many records of a partition) (0 = none by count)",
       K::kWhole, kForServe | kForProject, false,
       [](Config& c, const std::string& v) { return toInt(v, c.chainCheckpointRecords, 0); }},
      {"chain-checkpoint-interval", "DURATION", "60s", nullptr,
       "a chain (or partition) checkpoint once this long passed since the last one, if records came since "
       "(0 = none by time)",
       K::kDuration, kForServe | kForProject, false,
       [](Config& c, const std::string& v) { return toDouble(v, c.chainCheckpointSeconds, 0); }},
      {"kafka-brokers", "HOST:PORT[,...]", nullptr, "none: the embedded log in DATA_DIR/log",
       "use this Apache Kafka cluster as the event log", K::kText, kFollowers, false,
       [](Config& c, const std::string& v) { return toText(c.kafkaBrokers, v); }},
      {"kafka-topic", "TOPIC", "wsd.events", nullptr, "the event log's topic (key = project)", K::kText, kFollowers,
       false, [](Config& c, const std::string& v) { return toText(c.kafkaTopic, v); }},
      {"kafka-partitions", "N", "4", nullptr, "partitions of the topic when wsd creates it", K::kWhole, kFollowers,
       false, [](Config& c, const std::string& v) { return toInt(v, c.kafkaPartitions, 1); }},
      {"kafka-producer-config", "KEY=VALUE", nullptr, "none",
       "a librdkafka property for the producer, over wsd's own (repeatable; in the environment separated by ;)",
       K::kList, kFollowers, false,
       [](Config& c, const std::string& v) { return toProperty(v, c.kafkaProducerConfig); }},
      {"kafka-consumer-config", "KEY=VALUE", nullptr, "none",
       "a librdkafka property for every consumer, over wsd's own (repeatable; in the environment separated by ;)",
       K::kList, kFollowers, false,
       [](Config& c, const std::string& v) { return toProperty(v, c.kafkaConsumerConfig); }},
      {"node-heartbeat", "DURATION", "2s", nullptr, "with Kafka: how often this gateway appends node.alive",
       K::kDuration, kGateway, false,
       [](Config& c, const std::string& v) { return toDouble(v, c.nodeHeartbeatSeconds, 0.05); }},
      {"node-timeout", "DURATION", "10s", nullptr,
       "with Kafka: a gateway silent this long is declared down (its uids go offline); at least twice --node-heartbeat",
       K::kDuration, kGateway, false,
       [](Config& c, const std::string& v) { return toDouble(v, c.nodeTimeoutSeconds, 0.1); }},
      {"redis", "redis://HOST[:PORT][/DB]", nullptr, "none: projections only in each process's memory",
       "with Kafka: the projector keeps the projections in this Redis (roles project and all)", K::kText,
       kForServe | kForProject, false,
       [](Config& c, const std::string& v) {
         c.redisUrl = v;
         return v.starts_with("redis://");
       }},
      {"projector-group", "GROUP", "wsd-projector", nullptr, "the Kafka consumer group the projectors share", K::kText,
       kForProject, false, [](Config& c, const std::string& v) { return toText(c.projectorGroup, v); }},
      {"mail-limit", "MAILS", "10", nullptr, "POST /mail: mails accepted per token per window (more get 429)",
       K::kWhole, kGateway, false, [](Config& c, const std::string& v) { return toInt(v, c.mailLimit, 0); }},
      {"mail-window", "DURATION", "60s", nullptr, "POST /mail: the rate limit's sliding window", K::kDuration, kGateway,
       false, [](Config& c, const std::string& v) { return toDouble(v, c.mailWindowSeconds, 0.001); }},
      {"mail-timeout", "DURATION", "30s", nullptr, "how long the mailer gives a relay for one mail (then 502)",
       K::kDuration, kGateway | kForMail, false,
       [](Config& c, const std::string& v) { return toDouble(v, c.mailTimeoutSeconds, 0.1); }},
      {"mail-from", "ADDRESS", "noreply@localhost.localdomain", nullptr, "sender of mails that name no `from`",
       K::kText, kGateway, false, [](Config& c, const std::string& v) { return toText(c.mailFrom, v); }},
      {"mail-from-name", "NAME", "WebSocket Server", nullptr, "sender name of mails that name no `fromName`", K::kText,
       kGateway, false, [](Config& c, const std::string& v) { return toText(c.mailFromName, v, true); }},
      {"smtp-url", "smtp[s]://HOST:PORT", nullptr, "none",
       "the mailer sends through this SMTP relay (smtps: TLS at once)", K::kText, kForMail, false,
       [](Config& c, const std::string& v) {
         c.smtpUrl = v;
         return v.starts_with("smtp://") || v.starts_with("smtps://");
       }},
      {"smtp-user", "USER", nullptr, "none", "SMTP AUTH user name", K::kText, kForMail, false,
       [](Config& c, const std::string& v) { return toText(c.smtpUser, v, true); }},
      {"smtp-password", "PASSWORD", nullptr, "none", "SMTP AUTH password (prefer the environment variable)", K::kText,
       kForMail, true, [](Config& c, const std::string& v) { return toText(c.smtpPassword, v, true); }},
      {"smtp-starttls", "MODE", "try", nullptr, "smtp://: try (STARTTLS when offered), require, or off", K::kText,
       kForMail, false,
       [](Config& c, const std::string& v) {
         return toChoice(c.smtpStarttls, v, {"try", "require", "off"});
       }},
      {"mail-http-url", "URL", nullptr, "none",
       "the mailer posts mails to this MailChannels-compatible JSON API instead", K::kText, kForMail, false,
       [](Config& c, const std::string& v) {
         c.mailHttpUrl = v;
         return v.starts_with("http://") || v.starts_with("https://");
       }},
      {"mail-http-key", "KEY", nullptr, "none", "X-Api-Key header for --mail-http-url", K::kText, kForMail, true,
       [](Config& c, const std::string& v) { return toText(c.mailHttpKey, v, true); }},
      {"webhook-attempts", "N", "5", nullptr,
       "webhooks: attempts per delivery, the first included (then webhook.failed)", K::kWhole, kForHooks, false,
       [](Config& c, const std::string& v) { return toInt(v, c.webhookAttempts, 1) && c.webhookAttempts <= 100; }},
      {"webhook-timeout", "DURATION", "10s", nullptr, "webhooks: how long one attempt may take, connecting included",
       K::kDuration, kForHooks, false,
       [](Config& c, const std::string& v) { return toDouble(v, c.webhookTimeoutSeconds, 0.1); }},
      {"webhook-backoff", "DURATION", "1s", nullptr,
       "webhooks: wait before the second attempt; doubles after each failure (at most 300 seconds)", K::kDuration,
       kForHooks, false, [](Config& c, const std::string& v) { return toDouble(v, c.webhookBackoffSeconds, 0.01); }},
  };
}

const Option* findOption(std::string_view name) {
  for (const auto& o : optionTable()) {
    if (name == o.name) return &o;
  }
  return nullptr;
}

bool parseRole(const std::string& word, Role& role) {
  static const std::map<std::string, Role, std::less<>> kRoles = {{"all", Role::kAll},
                                                                  {"serve", Role::kServe},
                                                                  {"project", Role::kProject},
                                                                  {"mail", Role::kMail},
                                                                  {"hooks", Role::kHooks}};
  auto it = kRoles.find(word);
  if (it == kRoles.end()) return false;
  role = it->second;
  return true;
}

// The combinations that cannot work, refused before anything starts.
Result<Config> checkRole(Config config) {
  if (!config.redisUrl.empty() && config.kafkaBrokers.empty()) {
    return makeError("bad_config",
                     "--redis needs --kafka-brokers: the projector reads the log as a Kafka consumer group");
  }
  if (!config.smtpUrl.empty() && !config.mailHttpUrl.empty()) {
    return makeError("bad_config", "name one mail relay: --smtp-url or --mail-http-url, not both");
  }
  if (config.role == Role::kMail && config.kafkaBrokers.empty()) {
    return makeError("bad_config", "wsd mail needs --kafka-brokers: with the embedded log, wsd all sends the mail");
  }
  if (config.role == Role::kHooks && config.kafkaBrokers.empty()) {
    return makeError("bad_config", "wsd hooks needs --kafka-brokers: with the embedded log, wsd all delivers webhooks");
  }
  if (config.role == Role::kLogRepair && !config.kafkaBrokers.empty()) {
    return makeError("bad_config",
                     "wsd log repair mends the embedded log in DATA_DIR/log; a Kafka broker keeps its own");
  }
  // A heartbeat as long as the timeout gets a healthy gateway declared down between two
  // of its heartbeats, ending its sessions everywhere.
  if (!config.kafkaBrokers.empty() && config.nodeTimeoutSeconds < 2 * config.nodeHeartbeatSeconds) {
    return makeError("bad_config", "--node-timeout (" + secondsText(config.nodeTimeoutSeconds) +
                                       "s) must be at least twice --node-heartbeat (" +
                                       secondsText(config.nodeHeartbeatSeconds) +
                                       "s): a gateway would be declared down between its heartbeats");
  }
  if (config.role == Role::kProject && config.redisUrl.empty()) {
    return makeError("bad_config", "wsd project needs --kafka-brokers and --redis: it projects the log into Redis");
  }
  return config;
}

// ---- Reading the three sources ----

// What each source said, by option name; a stronger source replaces a weaker one whole.
using Layer = std::map<std::string, Setting, std::less<>>;

struct CommandLine {
  Role role = Role::kAll;
  bool showHelp = false;
  bool showVersion = false;
  Layer flags;
};

// A leading command word: a role, `log repair`, or `config print|example`. Returns how
// many arguments it used.
Result<std::size_t> readCommand(const std::vector<std::string>& args, Role& role) {
  if (args.empty() || args[0].starts_with("-")) return std::size_t{0};
  if (args[0] == "log") {
    if (args.size() < 2 || args[1] != "repair") return makeError("bad_config", "wsd log needs a command: repair");
    role = Role::kLogRepair;
    return std::size_t{2};
  }
  if (args[0] == "config") {
    if (args.size() >= 2 && args[1] == "print")
      role = Role::kConfigPrint;
    else if (args.size() >= 2 && args[1] == "example")
      role = Role::kConfigExample;
    else
      return makeError("bad_config", "wsd config needs a command: print or example");
    return std::size_t{2};
  }
  if (!parseRole(args[0], role)) {
    return makeError(
        "bad_config",
        "unknown role '" + args[0] + "': use all, serve, project, mail or hooks (or wsd log repair, wsd config print)");
  }
  return std::size_t{1};
}

Result<CommandLine> readCommandLine(const std::vector<std::string>& args) {
  CommandLine line;
  auto used = readCommand(args, line.role);
  if (!used.ok()) return used.error();
  for (std::size_t i = *used; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      line.showHelp = true;
      continue;
    }
    if (arg == "--version") {
      line.showVersion = true;
      continue;
    }
    std::string flag = arg, value;
    bool hasValue = false;
    if (auto eq = arg.find('='); eq != std::string::npos) {
      flag = arg.substr(0, eq), value = arg.substr(eq + 1), hasValue = true;
    }
    const Option* option = flag.starts_with("--") ? findOption(std::string_view(flag).substr(2)) : nullptr;
    if (option == nullptr) return makeError("bad_config", "unknown option '" + flag + "' (see wsd --help)");
    if (!hasValue) {
      if (i + 1 >= args.size()) return makeError("bad_config", flag + " needs a value: " + option->value);
      value = args[++i];
    }
    auto& setting = line.flags[option->name];
    setting.option = option->name;
    setting.source = Source::kFlag;
    if (option->kind != OptionKind::kList) setting.values.clear();  // the last one given wins
    setting.values.push_back(value);
  }
  return line;
}

std::vector<std::string> splitList(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string item; std::getline(in, item, ';');) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

Layer readEnvironment(const EnvLookup& env) {
  Layer layer;
  for (const auto& o : optionTable()) {
    const char* value = env(envName(o.name));
    // Empty is unset: an EnvironmentFile line `WSD_ADMIN_TOKEN=` leaves the default.
    if (value == nullptr || *value == '\0') continue;
    Setting s{o.name, {value}, Source::kEnv};
    if (o.kind == OptionKind::kList) s.values = splitList(value);
    layer[o.name] = std::move(s);
  }
  return layer;
}

// The file's `NAME = VALUE` lines, read by CLI11's TOML reader. Sections, unknown names
// and `config` itself are refused: a typo in a file must not pass for a default.
Result<Layer> readFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return makeError("bad_config", "cannot read the configuration file " + path + " (from --config)");
  Layer layer;
  for (const auto& item : CLI::ConfigTOML().from_config(in)) {
    if (!item.parents.empty()) {
      if (item.name == "++" || item.name == "--") continue;  // CLI11's section markers
      return makeError("bad_config", path + ": sections are not used; write every option at the top level");
    }
    const Option* option = findOption(item.name);
    if (option == nullptr || std::string_view(option->name) == "config")
      return makeError("bad_config", path + ": unknown option '" + item.name + "' (see wsd --help)");
    if (option->kind != OptionKind::kList && item.inputs.size() != 1)
      return makeError("bad_config", path + ": " + item.name + " takes one value, not a list");
    layer[option->name] = Setting{option->name, item.inputs, Source::kFile};
  }
  return layer;
}

std::string fromWhere(const Setting& s, const Config& c) {
  switch (s.source) {
    case Source::kFlag: return "from the command line";
    case Source::kEnv: return "from " + envName(s.option);
    case Source::kFile: return "from " + c.configFile;
    case Source::kDefault: return "by default";
  }
  return "";
}

// A duration or size in the text an option's setter reads (seconds, bytes).
Result<std::string> normalized(const Option& o, const std::string& value) {
  if (o.kind == OptionKind::kDuration) {
    auto seconds = parseDurationSeconds(value);
    if (!seconds.ok()) return seconds.error();
    return secondsText(*seconds);
  }
  if (o.kind == OptionKind::kSize) {
    auto bytes = parseSizeBytes(value);
    if (!bytes.ok()) return bytes.error();
    return std::to_string(*bytes);
  }
  return value;
}

Status apply(Config& config, const Option& o, const Setting& s) {
  for (const auto& value : s.values) {
    auto text = normalized(o, value);
    if (!text.ok() || !o.set(config, *text)) {
      std::string why = text.ok() ? "expected " + std::string(o.value) : text.error().message;
      return makeError("bad_config",
                       "bad value '" + value + "' for --" + o.name + " " + fromWhere(s, config) + " (" + why + ")");
    }
  }
  return okStatus();
}

// The configuration file named on the command line, else in WSD_CONFIG.
Result<Layer> readNamedFile(Config& config, const Layer& flags, const Layer& env) {
  const Layer* named = flags.contains("config") ? &flags : env.contains("config") ? &env : nullptr;
  if (named == nullptr) return Layer{};
  if (auto applied = apply(config, *findOption("config"), named->at("config")); !applied.ok()) return applied.error();
  return readFile(config.configFile);
}

}  // namespace

const std::vector<Option>& optionTable() {
  static const std::vector<Option> kTable = buildTable();
  return kTable;
}

std::string envName(std::string_view option) {
  std::string name = "WSD_";
  for (char ch : option) name += ch == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return name;
}

std::string sourceName(Source source) {
  switch (source) {
    case Source::kDefault: return "default";
    case Source::kFile: return "file";
    case Source::kEnv: return "env";
    case Source::kFlag: return "flag";
  }
  return "default";
}

std::string rolesText(unsigned roles) {
  if (roles == kForAll) return "all";
  std::string out;
  for (auto [bit, name] :
       {std::pair{kForServe, "serve"}, {kForProject, "project"}, {kForMail, "mail"}, {kForHooks, "hooks"}}) {
    if ((roles & bit) != 0) out += (out.empty() ? "" : ", ") + std::string(name);
  }
  return out;
}

Result<Config> parseConfig(const std::vector<std::string>& args) {
  return parseConfig(args, [](const std::string& name) { return std::getenv(name.c_str()); });
}

Result<Config> parseConfig(const std::vector<std::string>& args, const EnvLookup& env) {
  auto line = readCommandLine(args);
  if (!line.ok()) return line.error();
  Config config;
  config.role = line->role;
  config.showHelp = line->showHelp;
  config.showVersion = line->showVersion;
  const Layer fromEnv = readEnvironment(env);
  auto fromFile = readNamedFile(config, line->flags, fromEnv);
  if (!fromFile.ok()) return fromFile.error();
  const std::array<const Layer*, 3> strongestFirst = {&line->flags, &fromEnv, &fromFile.value()};
  for (const auto& o : optionTable()) {
    const Setting* chosen = nullptr;
    for (const Layer* layer : strongestFirst) {
      if (auto it = layer->find(o.name); chosen == nullptr && it != layer->end()) chosen = &it->second;
    }
    if (chosen == nullptr) continue;
    if (auto applied = apply(config, o, *chosen); !applied.ok()) return applied.error();
    config.settings.push_back(*chosen);
  }
  return checkRole(config);
}

const char* versionString() { return "wsd 0.1.0"; }

}  // namespace wsd
