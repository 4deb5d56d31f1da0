// wsbench's command line: the scenario, the server, the load's shape, and the report.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "connection.h"

namespace wsbench {

enum class Mode { kIdle, kDirect, kBroadcast, kEcho, kRoom, kRecovery };

struct Options {
  Mode mode = Mode::kDirect;
  std::string url = "http://127.0.0.1:8080";  // wsd's base URL (http only: loopback runs)
  std::string adminToken;                     // creates a project and token for the run
  std::string project, token;                 // or use these
  Transport transport = Transport::kWs;       // of receivers and idle connections
  int connections = 100;                      // idle: held; direct: pairs; broadcast, room: subscribers; echo: loops
  double rate = 1000;                         // direct, broadcast, room: messages/s; idle: connections opened/s
  double durationSeconds = 10;
  double warmupSeconds = 1;      // latencies of messages sent earlier are not recorded
  int payloadBytes = 0;          // padding added to each message
  int serverPid = 0;             // read this process's CPU time and memory from /proc
  int perSourceAddress = 20000;  // connections per 127.x source address
  bool json = false;
  bool help = false;
};

// Parses argv (without the program name); the error says what to change.
std::optional<Options> parseOptions(const std::vector<std::string>& args, std::string& error);
std::string usage();

}  // namespace wsbench
