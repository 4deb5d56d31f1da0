#include "app/config.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <limits>
#include <sstream>
#include <utility>

namespace wsd {
namespace {

using Setter = std::function<bool(Config&, const std::string&)>;

struct Option {
  const char* flag;
  const char* value;      // placeholder shown in --help
  const char* byDefault;  // the default, as documented
  const char* meaning;
  Setter set;
};

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

const std::vector<Option>& options() {
  static const std::vector<Option> kOptions = {
      {"--listen", "HOST:PORT", "127.0.0.1:8080",
       "address for clients, the admin API and the dashboard (port 0 picks a free one)",
       [](Config& c, const std::string& v) { return toListen(v, c); }},
      {"--admin-token", "TOKEN", "$WSD_ADMIN_TOKEN, else generated and kept in DATA_DIR/admin-token",
       "bearer token of the admin API",
       [](Config& c, const std::string& v) {
         c.adminToken = v;
         return !v.empty();
       }},
      {"--data-dir", "DIR", "./data", "where the embedded event log and generated secrets live",
       [](Config& c, const std::string& v) {
         c.dataDir = v;
         return !v.empty();
       }},
      {"--node-id", "ID", "generated once and kept in DATA_DIR/node-id", "this gateway's name in the event log",
       [](Config& c, const std::string& v) {
         c.nodeId = v;
         return !v.empty();
       }},
      {"--heartbeat-interval", "SECONDS", "15", "mode=long: seconds between server pings; two unanswered pings close",
       [](Config& c, const std::string& v) { return toDouble(v, c.heartbeatSeconds, 0.01); }},
      {"--offline-ttl", "SECONDS", "259200", "how long offline messages are kept (3 days)",
       [](Config& c, const std::string& v) { return toInt(v, c.offlineTtlSeconds, 1); }},
      {"--token-ttl", "SECONDS", "2592000", "lifetime of a token issued without expiresAt (30 days; 0 = never expires)",
       [](Config& c, const std::string& v) { return toInt(v, c.tokenTtlSeconds, 0); }},
      {"--max-message-bytes", "BYTES", "65536", "largest client message; a larger one closes with 1009 (413 on POST)",
       [](Config& c, const std::string& v) { return toInt(v, c.maxMessageBytes, 64); }},
      {"--rate-limit", "PER_SECOND", "1000", "client messages per second per connection",
       [](Config& c, const std::string& v) { return toDouble(v, c.rateLimit, 0.001); }},
      {"--rate-burst", "MESSAGES", "2000", "messages a connection may send at once before the rate applies",
       [](Config& c, const std::string& v) { return toDouble(v, c.rateBurst, 1); }},
      {"--max-multicast", "UIDS", "1000", "recipients of one multicast",
       [](Config& c, const std::string& v) { return toInt(v, c.multicastMax, 1); }},
      {"--max-inbox", "MESSAGES", "1000", "stored offline messages per uid",
       [](Config& c, const std::string& v) { return toInt(v, c.inboxMax, 1); }},
      {"--max-rooms-per-conn", "ROOMS", "64", "rooms one connection may be in",
       [](Config& c, const std::string& v) { return toInt(v, c.roomsPerConn, 1); }},
      {"--max-conns-per-project", "CONNECTIONS", "100000", "live connections per project on this gateway",
       [](Config& c, const std::string& v) { return toInt(v, c.connsPerProject, 1); }},
      {"--ws-deflate", "MODE", "off", "WebSocket permessage-deflate: on (for clients that offer it) or off",
       [](Config& c, const std::string& v) {
         c.wsDeflate = v == "on";
         return v == "on" || v == "off";
       }},
      {"--ws-deflate-threshold", "BYTES", "256", "WebSocket messages shorter than this are sent uncompressed",
       [](Config& c, const std::string& v) { return toInt(v, c.wsDeflateThreshold, 0); }},
      {"--ws-receive-buffer", "BYTES", "4096",
       "each WebSocket connection's receive buffer (without compression): memory per connection, "
       "against what one pass reads from a busy client",
       [](Config& c, const std::string& v) { return toInt(v, c.wsReceiveBuffer, 128); }},
      {"--poll-timeout", "SECONDS", "25", "how long GET /poll waits for a message before answering []",
       [](Config& c, const std::string& v) { return toDouble(v, c.pollTimeoutSeconds, 0.01); }},
      {"--poll-session-timeout", "SECONDS", "60", "a polling session not polled this long ends",
       [](Config& c, const std::string& v) { return toDouble(v, c.pollSessionTimeoutSeconds, 0.01); }},
      {"--sse-resume-window", "SECONDS", "5",
       "how long an SSE session waits for its stream to come back (then it ends like a dropped socket)",
       [](Config& c, const std::string& v) { return toDouble(v, c.sseResumeSeconds, 0); }},
      {"--sse-replay-messages", "MESSAGES", "1024", "messages kept per SSE session for Last-Event-ID",
       [](Config& c, const std::string& v) { return toInt(v, c.sseReplayMessages, 0); }},
      {"--session-output-budget", "BYTES", "4194304",
       "output one session may hold for its client (queued, or kept for an SSE resume); a session over it is "
       "closed (1008 output_over_budget) and its unreceived direct messages are kept offline (0 = unbounded)",
       [](Config& c, const std::string& v) { return toInt(v, c.sessionOutputBytes, 0); }},
      {"--session-output-messages", "MESSAGES", "10000",
       "messages one session may hold for its client; a session over it is closed (1008 slow_consumer) "
       "(0 = unbounded)",
       [](Config& c, const std::string& v) { return toInt(v, c.sessionOutputMessages, 0); }},
      {"--output-budget", "BYTES", "1073741824",
       "output all sessions of a gateway may hold; past it, the sessions holding the most are closed (1013 "
       "server_output_full) (0 = unbounded)",
       [](Config& c, const std::string& v) { return toInt(v, c.outputBytes, 0); }},
      {"--fsync", "POLICY", "everysec", "embedded log: always (before acknowledging), everysec, or never",
       [](Config& c, const std::string& v) {
         c.fsync = v;
         return v == "always" || v == "everysec" || v == "never";
       }},
      {"--kafka-brokers", "HOST:PORT[,...]", "none: the embedded log in DATA_DIR/log",
       "use this Apache Kafka cluster as the event log",
       [](Config& c, const std::string& v) {
         c.kafkaBrokers = v;
         return !v.empty();
       }},
      {"--kafka-topic", "TOPIC", "wsd.events", "the event log's topic (key = project)",
       [](Config& c, const std::string& v) {
         c.kafkaTopic = v;
         return !v.empty();
       }},
      {"--kafka-partitions", "N", "4", "partitions of the topic when wsd creates it",
       [](Config& c, const std::string& v) { return toInt(v, c.kafkaPartitions, 1); }},
      {"--kafka-producer-config", "KEY=VALUE", "none",
       "a librdkafka property for the producer, over wsd's own (repeatable)",
       [](Config& c, const std::string& v) { return toProperty(v, c.kafkaProducerConfig); }},
      {"--kafka-consumer-config", "KEY=VALUE", "none",
       "a librdkafka property for every consumer, over wsd's own (repeatable)",
       [](Config& c, const std::string& v) { return toProperty(v, c.kafkaConsumerConfig); }},
      {"--node-heartbeat", "SECONDS", "2", "with Kafka: how often this gateway appends node.alive",
       [](Config& c, const std::string& v) { return toDouble(v, c.nodeHeartbeatSeconds, 0.05); }},
      {"--node-timeout", "SECONDS", "10",
       "with Kafka: a gateway silent this long is declared down (its uids go offline)",
       [](Config& c, const std::string& v) { return toDouble(v, c.nodeTimeoutSeconds, 0.1); }},
      {"--redis", "redis://HOST[:PORT][/DB]", "none: projections only in each process's memory",
       "with Kafka: the projector keeps the projections in this Redis (roles project and all)",
       [](Config& c, const std::string& v) {
         c.redisUrl = v;
         return v.rfind("redis://", 0) == 0;
       }},
      {"--projector-group", "GROUP", "wsd-projector", "the Kafka consumer group the projectors share",
       [](Config& c, const std::string& v) {
         c.projectorGroup = v;
         return !v.empty();
       }},
      {"--mail-limit", "MAILS", "10", "POST /mail: mails accepted per token per window (more get 429)",
       [](Config& c, const std::string& v) { return toInt(v, c.mailLimit, 0); }},
      {"--mail-window", "SECONDS", "60", "POST /mail: the rate limit's sliding window",
       [](Config& c, const std::string& v) { return toDouble(v, c.mailWindowSeconds, 0.001); }},
      {"--mail-timeout", "SECONDS", "30", "how long the mailer gives a relay for one mail (then 502)",
       [](Config& c, const std::string& v) { return toDouble(v, c.mailTimeoutSeconds, 0.1); }},
      {"--mail-from", "ADDRESS", "noreply@localhost.localdomain", "sender of mails that name no `from`",
       [](Config& c, const std::string& v) {
         c.mailFrom = v;
         return !v.empty();
       }},
      {"--mail-from-name", "NAME", "WebSocket Server", "sender name of mails that name no `fromName`",
       [](Config& c, const std::string& v) {
         c.mailFromName = v;
         return true;
       }},
      {"--smtp-url", "smtp[s]://HOST:PORT", "none", "the mailer sends through this SMTP relay (smtps: TLS at once)",
       [](Config& c, const std::string& v) {
         c.smtpUrl = v;
         return v.rfind("smtp://", 0) == 0 || v.rfind("smtps://", 0) == 0;
       }},
      {"--smtp-user", "USER", "none", "SMTP AUTH user name",
       [](Config& c, const std::string& v) {
         c.smtpUser = v;
         return true;
       }},
      {"--smtp-password", "PASSWORD", "$WSD_SMTP_PASSWORD", "SMTP AUTH password (prefer the environment variable)",
       [](Config& c, const std::string& v) {
         c.smtpPassword = v;
         return true;
       }},
      {"--smtp-starttls", "MODE", "try", "smtp://: try (STARTTLS when offered), require, or off",
       [](Config& c, const std::string& v) {
         c.smtpStarttls = v;
         return v == "try" || v == "require" || v == "off";
       }},
      {"--mail-http-url", "URL", "none", "the mailer posts mails to this MailChannels-compatible JSON API instead",
       [](Config& c, const std::string& v) {
         c.mailHttpUrl = v;
         return v.rfind("http://", 0) == 0 || v.rfind("https://", 0) == 0;
       }},
      {"--mail-http-key", "KEY", "$WSD_MAIL_HTTP_KEY", "X-Api-Key header for --mail-http-url",
       [](Config& c, const std::string& v) {
         c.mailHttpKey = v;
         return true;
       }},
      {"--webhook-attempts", "N", "5", "webhooks: attempts per delivery, the first included (then webhook.failed)",
       [](Config& c, const std::string& v) { return toInt(v, c.webhookAttempts, 1) && c.webhookAttempts <= 100; }},
      {"--webhook-timeout", "SECONDS", "10", "webhooks: how long one attempt may take, connecting included",
       [](Config& c, const std::string& v) { return toDouble(v, c.webhookTimeoutSeconds, 0.1); }},
      {"--webhook-backoff", "SECONDS", "1",
       "webhooks: wait before the second attempt; doubles after each failure (at most 300)",
       [](Config& c, const std::string& v) { return toDouble(v, c.webhookBackoffSeconds, 0.01); }},
  };
  return kOptions;
}

bool parseRole(const std::string& word, Role& role) {
  if (word == "all")
    role = Role::kAll;
  else if (word == "serve")
    role = Role::kServe;
  else if (word == "project")
    role = Role::kProject;
  else if (word == "mail")
    role = Role::kMail;
  else if (word == "hooks")
    role = Role::kHooks;
  else
    return false;
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
  if (config.role == Role::kProject && config.redisUrl.empty()) {
    return makeError("bad_config", "wsd project needs --kafka-brokers and --redis: it projects the log into Redis");
  }
  return config;
}

}  // namespace

Result<Config> parseConfig(const std::vector<std::string>& args) {
  Config config;
  if (const char* env = std::getenv("WSD_ADMIN_TOKEN"); env != nullptr) config.adminToken = env;
  if (const char* env = std::getenv("WSD_SMTP_PASSWORD"); env != nullptr) config.smtpPassword = env;
  if (const char* env = std::getenv("WSD_MAIL_HTTP_KEY"); env != nullptr) config.mailHttpKey = env;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      config.showHelp = true;
      continue;
    }
    if (arg == "--version") {
      config.showVersion = true;
      continue;
    }
    if (i == 0 && arg == "log") {
      if (args.size() < 2 || args[1] != "repair") return makeError("bad_config", "wsd log needs a command: repair");
      config.role = Role::kLogRepair;
      ++i;
      continue;
    }
    if (i == 0 && arg.rfind("--", 0) != 0) {
      if (!parseRole(arg, config.role)) {
        return makeError("bad_config",
                         "unknown role '" + arg + "': use all, serve, project, mail or hooks (or wsd log repair)");
      }
      continue;
    }
    std::string flag = arg, value;
    bool hasValue = false;
    if (auto eq = arg.find('='); eq != std::string::npos) {
      flag = arg.substr(0, eq), value = arg.substr(eq + 1), hasValue = true;
    }
    const Option* option = nullptr;
    for (const auto& o : options()) {
      if (flag == o.flag) option = &o;
    }
    if (option == nullptr) return makeError("bad_config", "unknown option '" + flag + "' (see wsd --help)");
    if (!hasValue) {
      if (i + 1 >= args.size()) return makeError("bad_config", flag + " needs a value: " + option->value);
      value = args[++i];
    }
    if (!option->set(config, value)) {
      return makeError("bad_config", "bad value '" + value + "' for " + flag + " (expected " + option->value + ")");
    }
  }
  return checkRole(config);
}

std::string helpText() {
  std::ostringstream out;
  out << "usage: wsd [all|serve|project|mail|hooks] [options]\n"
         "       wsd log repair [--data-dir DIR]\n\n"
         "Roles: all (default) runs every role in one process, on the embedded log in DATA_DIR/log\n"
         "or, with --kafka-brokers, on an Apache Kafka topic (and, with --redis, projects it into Redis).\n"
         "serve is a gateway only; project is a projector only (needs --kafka-brokers and --redis);\n"
         "mail is the mailer only (needs --kafka-brokers; run one per topic); hooks is the webhook\n"
         "dispatcher only (needs --kafka-brokers; run one per topic).\n"
         "wsd log repair moves the damaged part of the embedded log in DATA_DIR/log aside into\n"
         "DATA_DIR/log/damaged-TIME/ (nothing is deleted) so that wsd starts on the records before it.\n\n"
         "Options:\n";
  for (const auto& o : options()) {
    out << "  " << o.flag << " " << o.value << "\n      " << o.meaning << " (default: " << o.byDefault << ")\n";
  }
  out << "  --help\n      print this text\n  --version\n      print the version\n";
  return out.str();
}

const char* versionString() { return "wsd 0.1.0"; }

}  // namespace wsd
