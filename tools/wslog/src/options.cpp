// The flag table and its parser (see the header).
#include "options.h"

#include <algorithm>
#include <charconv>
#include <functional>

#include "time_text.h"

namespace wsd::wslog {
namespace {

using Setter = std::function<Status(Options&, const std::string&)>;

struct CommandInfo {
  const char* name;
  Command command;
  const char* summary;
};

constexpr CommandInfo kCommands[] = {
    {"export", Command::kExport,
     "write events as JSON Lines, CSV or Parquet (filters: --project --type --uid --since --until)"},
    {"stats", Command::kStats, "counts per type and project, active uids, messages per minute, peak connections"},
    {"replay", Command::kReplay, "rebuild the projections (in memory, or into an empty Redis db) and print a digest"},
    {"verify", Command::kVerify,
     "compare a live Redis projection (--redis) or a live wsd's own state (--admin-url) with a fresh replay, or "
     "(--records) check every record of the embedded log; exit 1 when they differ or a record is bad"},
    {"timeline", Command::kTimeline, "the story of one room (--room) or one user (--uid) of a --project"},
    {"whatif", Command::kWhatIf, "past mail requests decided again under --mail-limit [--mail-window]"},
    {"report", Command::kReport,
     "one self-contained HTML page of charts: messages per minute, connections, uids online, top senders, mail "
     "and webhook outcomes"},
};

constexpr unsigned bit(Command c) { return 1u << static_cast<unsigned>(c); }
constexpr unsigned kAll = 0x7f;
constexpr unsigned kReplays = bit(Command::kReplay) | bit(Command::kVerify);
constexpr unsigned kProjects = kReplays | bit(Command::kTimeline) | bit(Command::kWhatIf) | bit(Command::kReport);
constexpr unsigned kTimed =
    bit(Command::kExport) | bit(Command::kStats) | bit(Command::kTimeline) | bit(Command::kWhatIf);

struct Flag {
  const char* name;
  const char* value;  // nullptr: a switch
  unsigned commands;
  const char* help;
  Setter set;
};

Status bad(const std::string& flag, const std::string& why) { return makeError("usage", flag + ": " + why); }

template <typename Int>
Status toInt(const std::string& flag, const std::string& v, Int& out, Int min) {
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc{} || end != v.data() + v.size() || out < min) {
    return bad(flag, "expected a whole number >= " + std::to_string(min) + ", got '" + v + "'");
  }
  return okStatus();
}

Status toTime(const std::string& v, std::optional<std::int64_t>& out) {
  auto t = parseTime(v);
  if (!t.ok()) return t.error();
  out = *t;
  return okStatus();
}

// "SEQ:HASH", as a log.checkpoint's upTo and hash.
Status addAnchor(const std::string& text, std::vector<chain::Anchor>& anchors) {
  const auto colon = text.find(':');
  chain::Anchor anchor;
  const std::string hash = colon == std::string::npos ? "" : text.substr(colon + 1);
  const bool hex = hash.size() == 64 && hash.find_first_not_of("0123456789abcdef") == std::string::npos;
  if (colon == std::string::npos || !hex ||
      !toInt<std::int64_t>("--anchor", text.substr(0, colon), anchor.seq, 0).ok()) {
    return makeError("usage",
                     "--anchor takes SEQ:HASH (a checkpoint's upTo and its 64 hex digits), not '" + text + "'");
  }
  anchor.hash = hash;
  anchors.push_back(std::move(anchor));
  return okStatus();
}

const std::vector<Flag>& flags() {
  static const std::vector<Flag> kFlags = {
      {"--log-dir", "DIR", kAll, "read the embedded log: DATA_DIR/log of a wsd (read-only, safe while it runs)",
       [](Options& o, const std::string& v) { return o.source.logDir = v, okStatus(); }},
      {"--kafka-brokers", "HOST:PORT[,...]", kAll, "read a Kafka topic instead (every partition, no consumer group)",
       [](Options& o, const std::string& v) { return o.source.kafkaBrokers = v, okStatus(); }},
      {"--kafka-topic", "TOPIC", kAll, "the topic (default wsd.events)",
       [](Options& o, const std::string& v) { return o.source.kafkaTopic = v, okStatus(); }},
      {"--project", "KEY", kAll & ~kReplays & ~bit(Command::kReport), "only this project's events",
       [](Options& o, const std::string& v) { return o.filter.project = v, okStatus(); }},
      {"--type", "TYPE[,TYPE...]", bit(Command::kExport) | bit(Command::kStats),
       "only these event types; \"message.*\" selects a family",
       [](Options& o, const std::string& v) {
         auto types = parseTypeList(v);
         if (!types.ok()) return Status(types.error());
         o.filter.types = std::move(types.value());
         return okStatus();
       }},
      {"--uid", "UID", bit(Command::kExport) | bit(Command::kStats) | bit(Command::kTimeline),
       "only events of this uid: its bind, its messages, its connections' actions",
       [](Options& o, const std::string& v) { return o.filter.uid = v, okStatus(); }},
      {"--since", "TIME", kTimed, "events at or after TIME (ISO-8601, UTC unless a zone is given, or epoch ms)",
       [](Options& o, const std::string& v) { return toTime(v, o.filter.since); }},
      {"--until", "TIME", kTimed, "events before TIME",
       [](Options& o, const std::string& v) { return toTime(v, o.filter.until); }},
      {"--format", "jsonl|csv|parquet", bit(Command::kExport),
       "output format (default jsonl: each line an event as logged; parquet needs --output and pyarrow)",
       [](Options& o, const std::string& v) {
         auto format = parseExportFormat(v);
         if (!format.ok()) return Status(format.error());
         o.format = *format;
         return okStatus();
       }},
      {"--output", "FILE", bit(Command::kExport) | bit(Command::kReport), "write to FILE (default stdout)",
       [](Options& o, const std::string& v) { return o.output = v, okStatus(); }},
      {"--python", "PYTHON", bit(Command::kExport),
       "export --format parquet: the python whose pyarrow writes the file (default python3)",
       [](Options& o, const std::string& v) { return o.python = v, okStatus(); }},
      {"--per-minute", nullptr, bit(Command::kStats), "also list the messages of every minute",
       [](Options& o, const std::string&) { return o.perMinute = true, okStatus(); }},
      {"--by-project-type", nullptr, bit(Command::kStats), "also count every (project, type) pair",
       [](Options& o, const std::string&) { return o.perProjectType = true, okStatus(); }},
      {"--redis", "redis://HOST[:PORT][/DB]", kReplays,
       "replay: write into this (empty) database; verify: the live projection to check",
       [](Options& o, const std::string& v) { return o.redisUrl = v, okStatus(); }},
      {"--admin-url", "http://HOST:PORT", bit(Command::kVerify),
       "verify a live wsd's own state (GET /admin/state-snapshot) against a replay up to the log position it reflects",
       [](Options& o, const std::string& v) { return o.adminUrl = v, okStatus(); }},
      {"--admin-token-file", "FILE", bit(Command::kVerify),
       "verify --admin-url: the file holding wsd's admin token (DATA_DIR/admin-token)",
       [](Options& o, const std::string& v) { return o.adminTokenFile = v, okStatus(); }},
      {"--until-offset", "N | P:N[,P:N...]", kReplays,
       "apply only records before these offsets (verify: default, the offsets Redis holds)",
       [](Options& o, const std::string& v) {
         auto offsets = parseOffsets(v);
         if (!offsets.ok()) return Status(offsets.error());
         o.untilOffset = *offsets;
         return okStatus();
       }},
      {"--as-of", "TIME", bit(Command::kReplay), "the state as of TIME: each partition up to its first event after it",
       [](Options& o, const std::string& v) { return toTime(v, o.asOf); }},
      {"--dump", "FILE", kReplays, "write the canonical dump (one JSON line per Redis key) to FILE, - for stdout",
       [](Options& o, const std::string& v) { return o.dumpPath = v, okStatus(); }},
      {"--max-inbox", "MESSAGES", kProjects, "as wsd's --max-inbox (default 1000): decides inbox_full again",
       [](Options& o, const std::string& v) { return toInt<std::size_t>("--max-inbox", v, o.limits.inboxMax, 1); }},
      {"--max-rooms-per-conn", "ROOMS", kProjects, "as wsd's --max-rooms-per-conn (default 64)",
       [](Options& o, const std::string& v) {
         return toInt<std::size_t>("--max-rooms-per-conn", v, o.limits.roomsPerConn, 1);
       }},
      {"--room", "ROOM", bit(Command::kTimeline), "the room whose story to tell",
       [](Options& o, const std::string& v) { return o.room = v, okStatus(); }},
      {"--mail-limit", "MAILS", bit(Command::kWhatIf), "the limit to try: mails per token per window",
       [](Options& o, const std::string& v) { return toInt<std::int64_t>("--mail-limit", v, o.rule.limit, 0); }},
      {"--mail-window", "SECONDS", bit(Command::kWhatIf), "the window to try (default: each request's own)",
       [](Options& o, const std::string& v) {
         std::int64_t seconds = 0;
         if (auto s = toInt<std::int64_t>("--mail-window", v, seconds, 1); !s.ok()) return s;
         o.rule.windowMs = seconds * 1000;
         return okStatus();
       }},
      {"--records", nullptr, bit(Command::kVerify),
       "check every record of the embedded log's segment files (CRC, framing, segment names) instead of Redis",
       [](Options& o, const std::string&) { return o.records = true, okStatus(); }},
      {"--chain", nullptr, bit(Command::kVerify),
       "check the log's chain instead of Redis (a topic's: every chain in every partition, and each partition's "
       "order against the projector's partition checkpoints): every record's link, and its checkpoints "
       "(docs/analysts.md)",
       [](Options& o, const std::string&) { return o.chain = true, okStatus(); }},
      {"--chain-key-file", "FILE", bit(Command::kVerify),
       "verify --chain: the operator's key (wsd's --chain-key) in FILE, to check the checkpoints' signatures",
       [](Options& o, const std::string& v) { return o.chainKeyFile = v, okStatus(); }},
      {"--anchor", "SEQ:HASH", bit(Command::kVerify),
       "verify --chain: a checkpoint published elsewhere (its upTo and hash); the log must still hold it "
       "(repeatable)",
       [](Options& o, const std::string& v) { return addAnchor(v, o.anchors); }},
      {"--expect-closed", nullptr, bit(Command::kVerify),
       "verify --chain on a topic: every process that wrote it has stopped, so a chain without its closing "
       "checkpoint was cut",
       [](Options& o, const std::string&) { return o.expectClosed = true, okStatus(); }},
      {"--details", nullptr, bit(Command::kWhatIf), "also list every request decided differently",
       [](Options& o, const std::string&) { return o.details = true, okStatus(); }},
  };
  return kFlags;
}

const Flag* findFlag(const std::string& name) {
  for (const auto& f : flags()) {
    if (name == f.name) return &f;
  }
  return nullptr;
}

// verify --admin-url compares at the position the wsd reports, with the limits it reports:
// no other target, bound or limit.
Status checkLiveVerify(const Options& o, const std::vector<std::string>& given) {
  if (o.adminUrl.empty()) {
    if (!o.adminTokenFile.empty()) return makeError("usage", "--admin-token-file goes with verify --admin-url");
    return okStatus();
  }
  if (o.records || o.chain || !o.redisUrl.empty() || o.untilOffset) {
    return makeError("usage",
                     "verify --admin-url checks a wsd at the log position it reports: drop --records, --chain, --redis "
                     "and --until-offset");
  }
  if (o.adminTokenFile.empty()) {
    return makeError("usage", "verify --admin-url needs --admin-token-file FILE (wsd's DATA_DIR/admin-token)");
  }
  for (const char* limit : {"--max-inbox", "--max-rooms-per-conn"}) {
    if (std::find(given.begin(), given.end(), limit) != given.end()) {
      return makeError(
          "usage", std::string("verify --admin-url replays with the limits the wsd reports (its own): drop ") + limit);
    }
  }
  return okStatus();
}

Status checkCommand(const Options& o, const std::vector<std::string>& given) {
  auto has = [&](const char* name) { return std::find(given.begin(), given.end(), name) != given.end(); };
  if (o.source.logDir.empty() == o.source.kafkaBrokers.empty()) {
    return makeError("usage", "name one log: --log-dir DATA_DIR/log, or --kafka-brokers HOST:PORT [--kafka-topic T]");
  }
  if (o.command == Command::kVerify && o.records) {
    if (o.source.logDir.empty()) return makeError("usage", "verify --records reads the embedded log: use --log-dir");
    if (!o.redisUrl.empty() || o.untilOffset || !o.dumpPath.empty()) {
      return makeError("usage", "verify --records checks the files only: drop --redis, --until-offset and --dump");
    }
  }
  if (o.command == Command::kVerify && o.chain) {
    if (o.expectClosed && o.source.kafkaBrokers.empty()) {
      return makeError("usage", "--expect-closed goes with a topic (--kafka-brokers): the embedded log has one chain");
    }
    if (o.records || !o.redisUrl.empty() || o.untilOffset || !o.dumpPath.empty()) {
      return makeError("usage",
                       "verify --chain checks the chain only: drop --records, --redis, --until-offset and --dump");
    }
  } else if (!o.chainKeyFile.empty() || !o.anchors.empty() || o.expectClosed) {
    return makeError("usage", "--chain-key-file, --anchor and --expect-closed go with verify --chain");
  }
  if (auto live = checkLiveVerify(o, given); !live.ok()) return live;
  if (o.command == Command::kVerify && !o.records && !o.chain && o.redisUrl.empty() && o.adminUrl.empty()) {
    return makeError("usage",
                     "verify needs --redis URL or --admin-url URL (or --records to check the embedded log's files, or "
                     "--chain its chain)");
  }
  if (o.command == Command::kTimeline) {
    if (!o.filter.project) return makeError("usage", "timeline needs --project KEY");
    if (o.room.has_value() == o.filter.uid.has_value()) return makeError("usage", "timeline needs --room R or --uid U");
  }
  if (o.format == ExportFormat::kParquet && (o.output.empty() || o.output == "-")) {
    return makeError("usage", "--format parquet writes a file: add --output FILE.parquet");
  }
  if (o.command == Command::kWhatIf && !has("--mail-limit")) return makeError("usage", "whatif needs --mail-limit N");
  return okStatus();
}

}  // namespace

Result<Options> parseOptions(const std::vector<std::string>& args) {
  Options o;
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    o.help = true;
    return o;
  }
  const CommandInfo* command = nullptr;
  for (const auto& c : kCommands) {
    if (args[0] == c.name) command = &c;
  }
  if (command == nullptr) return makeError("usage", "unknown command '" + args[0] + "' (see wslog --help)");
  o.command = command->command;
  std::vector<std::string> given;
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--help" || args[i] == "-h") {
      o.help = true;
      return o;
    }
    const Flag* flag = findFlag(args[i]);
    if (flag == nullptr) return makeError("usage", "unknown option " + args[i] + " (see wslog --help)");
    if ((flag->commands & bit(o.command)) == 0) {
      return makeError("usage", std::string(flag->name) + " does not apply to " + command->name);
    }
    std::string value;
    if (flag->value != nullptr) {
      if (i + 1 >= args.size()) return makeError("usage", std::string(flag->name) + " needs " + flag->value);
      value = args[++i];
    }
    if (auto set = flag->set(o, value); !set.ok()) return set.error();
    given.emplace_back(flag->name);
  }
  if (auto checked = checkCommand(o, given); !checked.ok()) return checked.error();
  return o;
}

std::string usageText() {
  std::string out =
      "wslog: read, export, replay and verify wsd's event log (docs/analysts.md)\n\n"
      "usage: wslog COMMAND (--log-dir DIR | --kafka-brokers HOST:PORT [--kafka-topic T]) [options]\n\ncommands:\n";
  for (const auto& c : kCommands) {
    out += "  " + std::string(c.name) + std::string(10 - std::string(c.name).size(), ' ') + c.summary + "\n";
  }
  out += "\noptions (commands that take them):\n";
  for (const auto& f : flags()) {
    std::string uses;
    for (const auto& c : kCommands) {
      if ((f.commands & bit(c.command)) != 0) uses += (uses.empty() ? "" : ",") + std::string(c.name);
    }
    if (f.commands == kAll) uses = "all";
    std::string left = std::string(f.name) + (f.value != nullptr ? " " + std::string(f.value) : "");
    out += "  " + left + "\n      " + f.help + " [" + uses + "]\n";
  }
  out +=
      "\nexit status: 0 done; 1 verify found differences or bad records; 2 bad usage; 3 the log or Redis could not be "
      "read or written\n";
  return out;
}

}  // namespace wsd::wslog
