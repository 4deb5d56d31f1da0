// Which events an analyst asked for: by project, event type, uid and time range. Pure:
// fed events in log order, it answers per event.
//
// A uid is not in most events: a connection binds to it once, and the connection's later
// actions name only the connection. So matching `--uid U` takes two passes over the log:
// learn() sees every event first and notes the connections that ever bound to U; then
// matches() also takes in those connections' conn.open (which comes before the bind),
// their actions, their end, and a node.start / node.down that ended one of them.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "core/result.h"

namespace wsd::wslog {

struct FilterSpec {
  std::optional<std::string> project;  // nullopt: every project (and node events with none)
  std::vector<std::string> types;      // exact names or "prefix.*"; empty: every type
  std::optional<std::string> uid;      // nullopt: no uid condition
  std::optional<std::int64_t> since;   // ts >= since (ms); nullopt: from the start
  std::optional<std::int64_t> until;   // ts < until (ms); nullopt: to the end
};

// "message.direct,mail.*": each name must be an event type, or a prefix of some with ".*".
Result<std::vector<std::string>> parseTypeList(std::string_view text);

bool typeSelected(const std::vector<std::string>& types, std::string_view type);

// Whether the event's data names `uid` as a party (bind, sender, recipient, target).
bool dataNamesUid(const Event& e, std::string_view uid);

class EventFilter {
 public:
  explicit EventFilter(FilterSpec spec) : spec_(std::move(spec)) {}

  // True when matches() needs a first pass of learn() over the whole log.
  bool needsFirstPass() const { return spec_.uid.has_value(); }
  void learn(const Event& e);
  // Call for every event in log order (it follows the uid's connections as it goes).
  bool matches(const Event& e);

 private:
  bool uidMatches(const Event& e);
  bool endsAConnection(const Event& e, std::string_view node);

  struct Holder {
    std::string project;
    std::string node;
  };

  FilterSpec spec_;
  std::set<std::string> uidConns_;              // learnt: connections that bound to the uid
  std::map<std::string, Holder> liveUidConns_;  // open ones of those: conn -> where
};

}  // namespace wsd::wslog
