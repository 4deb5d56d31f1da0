// wslog report's numbers: one pass over the log through wsd's own Projector (so presence
// follows exactly wsd's rules: node restarts, kicks, several sessions of one uid), folded
// into minutes. Pure: fed records in log order; memory grows with minutes, uids and
// connections alive at once, not with events.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/effects.h"
#include "core/event.h"
#include "live_connections.h"
#include "time_text.h"

namespace wsd::wslog {

using MinuteCounts = std::map<std::int64_t, std::uint64_t>;  // minute -> a count in it

struct ReportData {
  std::uint64_t events = 0;
  std::int64_t firstTs = 0;  // 0 with no events
  std::int64_t lastTs = 0;
  std::set<std::string> projects;  // every project key an event named ("" left out)
  std::set<std::string> uids;      // "project/uid" of every uid bound
  std::uint64_t messages = 0;      // message.direct, .multicast, .broadcast and room.message events
  std::map<std::string, MinuteCounts> messagesPerMinute;  // event type -> minute -> messages
  // Levels, for the minutes in which they changed: the most connections open, and uids
  // online (all projects), at any moment of the minute.
  MinuteCounts connectionsPerMinute;
  MinuteCounts onlinePerMinute;
  std::uint64_t peakConnections = 0;
  std::uint64_t peakOnline = 0;
  std::map<std::string, std::uint64_t> messagesBySender;  // "project/uid" -> messages it sent
  std::map<std::string, std::uint64_t> mailOutcomes;      // "accepted", "rejected", "sent", "failed"
  std::map<std::string, std::uint64_t> webhookOutcomes;   // "delivered", "failed"
};

class ReportAggregator {
 public:
  // `e` was applied with `effects` (the Projector's answer for it).
  void add(const Event& e, const Effects& effects);
  const ReportData& data() const { return data_; }

 private:
  void countMessage(const Event& e);
  void followPresence(const Event& e, const Effects& effects);

  ReportData data_;
  LiveConnections connections_;
  std::map<std::string, std::string> senderOfConn_;  // conn -> "project/uid", while it is open
  std::uint64_t online_ = 0;
};

// The `count` senders with the most messages, most first (ties by name).
std::vector<std::pair<std::string, std::uint64_t>> topSenders(const ReportData& data, std::size_t count);

}  // namespace wsd::wslog
