#include "options.h"

#include <cstdlib>
#include <functional>
#include <map>

namespace wsbench {
namespace {

bool number(const std::string& text, double& out, double min) {
  char* end = nullptr;
  out = std::strtod(text.c_str(), &end);
  return end != text.c_str() && *end == '\0' && out >= min;
}

bool integer(const std::string& text, int& out, int min) {
  double value = 0;
  if (!number(text, value, min) || value != static_cast<int>(value)) return false;
  out = static_cast<int>(value);
  return true;
}

using Setter = std::function<bool(Options&, const std::string&)>;

const std::map<std::string, Setter>& setters() {
  static const std::map<std::string, Setter> kSetters = {
      {"--url", [](Options& o, const std::string& v) { return (o.url = v).rfind("http://", 0) == 0; }},
      {"--admin-token", [](Options& o, const std::string& v) { return !(o.adminToken = v).empty(); }},
      {"--project", [](Options& o, const std::string& v) { return !(o.project = v).empty(); }},
      {"--token", [](Options& o, const std::string& v) { return !(o.token = v).empty(); }},
      {"--transport",
       [](Options& o, const std::string& v) {
         o.transport = v == "sse" ? Transport::kSse : Transport::kWs;
         return v == "ws" || v == "sse";
       }},
      {"--connections", [](Options& o, const std::string& v) { return integer(v, o.connections, 1); }},
      {"--rate", [](Options& o, const std::string& v) { return number(v, o.rate, 0.001); }},
      {"--duration", [](Options& o, const std::string& v) { return number(v, o.durationSeconds, 0.01); }},
      {"--warmup", [](Options& o, const std::string& v) { return number(v, o.warmupSeconds, 0); }},
      {"--payload", [](Options& o, const std::string& v) { return integer(v, o.payloadBytes, 0); }},
      {"--server-pid", [](Options& o, const std::string& v) { return integer(v, o.serverPid, 1); }},
      {"--per-source-address", [](Options& o, const std::string& v) { return integer(v, o.perSourceAddress, 1); }},
  };
  return kSetters;
}

bool parseMode(const std::string& word, Mode& mode) {
  static const std::map<std::string, Mode> kModes = {{"idle", Mode::kIdle},           {"direct", Mode::kDirect},
                                                     {"broadcast", Mode::kBroadcast}, {"echo", Mode::kEcho},
                                                     {"room", Mode::kRoom},           {"recovery", Mode::kRecovery}};
  auto it = kModes.find(word);
  if (it == kModes.end()) return false;
  mode = it->second;
  return true;
}

}  // namespace

std::optional<Options> parseOptions(const std::vector<std::string>& args, std::string& error) {
  Options options;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      options.help = true;
    } else if (arg == "--json") {
      options.json = true;
    } else if (i == 0 && arg.rfind("--", 0) != 0) {
      if (!parseMode(arg, options.mode)) {
        error = "unknown mode '" + arg + "': use idle, direct, broadcast, echo, room or recovery";
        return std::nullopt;
      }
    } else {
      auto setter = setters().find(arg);
      if (setter == setters().end()) {
        error = "unknown option '" + arg + "' (see wsbench --help)";
        return std::nullopt;
      }
      if (i + 1 >= args.size() || !setter->second(options, args[i + 1])) {
        error = "bad or missing value for " + arg + " (see wsbench --help)";
        return std::nullopt;
      }
      ++i;
    }
  }
  if (!options.help && options.adminToken.empty() && (options.project.empty() || options.token.empty())) {
    error = "give --admin-token (a project and token are made for the run) or --project and --token";
    return std::nullopt;
  }
  return options;
}

std::string usage() {
  return "usage: wsbench idle|direct|broadcast|echo|room|recovery --url http://HOST:PORT (--admin-token T | --project "
         "P --token "
         "T)\n"
         "               [--transport ws|sse] [--connections N] [--rate R] [--duration S] [--warmup S]\n"
         "               [--payload BYTES] [--server-pid PID] [--per-source-address N] [--json]\n\n"
         "  idle       open --connections at --rate per second and hold them (unbound) for --duration;\n"
         "             reports the server's memory per connection (with --server-pid)\n"
         "  direct     --connections sender/receiver pairs; one-to-one messages at --rate per second in total,\n"
         "             open loop: latency is measured from each message's scheduled send time\n"
         "  broadcast  --connections subscribers; one publisher broadcasts at --rate per second\n"
         "  echo       --connections closed loops: each sends to itself, and again when it arrives\n"
         "  room       --connections members of one room (bound, room notices unsubscribed); one member\n"
         "             sends room_send at --rate per second, delivered to every other member\n\n"
         "  --transport is that of receivers (direct), subscribers (broadcast), members (room) and idle connections;\n"
         "  senders always use WebSocket. Latencies are in microseconds.\n";
}

}  // namespace wsbench
