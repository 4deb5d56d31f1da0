// Folding the log into the report's numbers (see the header).
#include "report_data.h"

#include <algorithm>

#include "core/json.h"

namespace wsd::wslog {
namespace {

bool isMessageType(EventType type) {
  return type == EventType::kMessageDirect || type == EventType::kMessageMulticast ||
         type == EventType::kMessageBroadcast || type == EventType::kRoomMessage;
}

// A level changed from `before` to `after` in `minute`: the minute's peak covers both (the
// level it started the minute at counts as much as the ones it reached).
void raise(MinuteCounts& counts, std::int64_t minute, std::uint64_t before, std::uint64_t after) {
  auto [slot, added] = counts.try_emplace(minute, before);
  slot->second = std::max({slot->second, before, after});
}

// "mail.accepted" -> "accepted"
std::string outcomeOf(EventType type) {
  const std::string name(eventTypeName(type));
  return name.substr(name.find('.') + 1);
}

}  // namespace

void ReportAggregator::add(const Event& e, const Effects& effects) {
  if (data_.events == 0) data_.firstTs = e.ts;
  ++data_.events;
  data_.firstTs = std::min(data_.firstTs, e.ts);
  data_.lastTs = std::max(data_.lastTs, e.ts);
  if (!e.project.empty()) data_.projects.insert(e.project);
  const std::int64_t minute = minuteOf(e.ts);
  const std::uint64_t openBefore = connections_.total();
  if (connections_.apply(e)) {
    data_.peakConnections = std::max<std::uint64_t>(data_.peakConnections, connections_.total());
    raise(data_.connectionsPerMinute, minute, openBefore, connections_.total());
  }
  followPresence(e, effects);
  countMessage(e);
  switch (e.type) {
    case EventType::kMailAccepted:
    case EventType::kMailRejected:
    case EventType::kMailSent:
    case EventType::kMailFailed: ++data_.mailOutcomes[outcomeOf(e.type)]; break;
    case EventType::kWebhookDelivered:
    case EventType::kWebhookFailed: ++data_.webhookOutcomes[outcomeOf(e.type)]; break;
    default: break;
  }
}

void ReportAggregator::countMessage(const Event& e) {
  if (!isMessageType(e.type)) return;
  ++data_.messages;
  ++data_.messagesPerMinute[std::string(eventTypeName(e.type))][minuteOf(e.ts)];
  if (auto it = senderOfConn_.find(e.conn); it != senderOfConn_.end()) ++data_.messagesBySender[it->second];
}

// Online uids change only where the Projector reports a transition (first session of a
// uid online, last one gone), as wsd tells the project's clients.
void ReportAggregator::followPresence(const Event& e, const Effects& effects) {
  if (e.type == EventType::kUidBind && !effects.rejection) {
    const std::string who = e.project + "/" + json::string(e.data, "uid").value_or("");
    senderOfConn_[e.conn] = who;
    data_.uids.insert(who);
  }
  if (e.type == EventType::kConnClose) senderOfConn_.erase(e.conn);
  const std::uint64_t before = online_;
  bool changed = false;
  for (const auto& change : effects.changes) {
    if (change.kind == Change::Kind::kOnline) ++online_, changed = true;
    if (change.kind == Change::Kind::kOffline && online_ > 0) --online_, changed = true;
  }
  if (!changed) return;
  data_.peakOnline = std::max(data_.peakOnline, online_);
  raise(data_.onlinePerMinute, minuteOf(e.ts), before, online_);
}

std::vector<std::pair<std::string, std::uint64_t>> topSenders(const ReportData& data, std::size_t count) {
  std::vector<std::pair<std::string, std::uint64_t>> all(data.messagesBySender.begin(), data.messagesBySender.end());
  std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  if (all.size() > count) all.resize(count);
  return all;
}

}  // namespace wsd::wslog
