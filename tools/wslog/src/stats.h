// wslog stats: what the log holds, counted in one pass. Pure: fed events in log order,
// it keeps counters (memory grows with projects, types, uids and minutes, not with
// events), and renders them as plain-text tables.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "core/event.h"
#include "live_connections.h"

namespace wsd::wslog {

struct Peak {
  std::size_t count = 0;
  std::int64_t at = 0;  // ts of the event that reached it; 0 when count is 0
};

struct ProjectStats {
  std::uint64_t events = 0;
  std::uint64_t messages = 0;  // message.direct, .multicast and .broadcast events
  std::uint64_t mailRequests = 0;
  std::set<std::string> uids;  // every uid bound in the project
  Peak connections;
};

struct StatsReport {
  std::uint64_t events = 0;
  std::int64_t firstTs = 0;
  std::int64_t lastTs = 0;
  std::map<std::string, std::uint64_t> perType;
  std::map<std::string, ProjectStats> perProject;  // "" holds the node table's events
  std::map<std::pair<std::string, std::string>, std::uint64_t> perProjectType;
  std::map<std::int64_t, std::uint64_t> messagesPerMinute;  // minute (ms / 60000) -> messages
  Peak connections;                                         // over every project
};

class StatsAggregator {
 public:
  void add(const Event& e);
  const StatsReport& report() const { return report_; }

 private:
  void countConnections(const Event& e);

  StatsReport report_;
  LiveConnections live_;
};

struct StatsLayout {
  bool perMinute = false;       // list every minute with messages
  bool perProjectType = false;  // the project x type table
};

std::string renderStats(const StatsReport& report, const StatsLayout& layout);

bool isMessage(EventType type);

}  // namespace wsd::wslog
