// Counting (StatsAggregator) and the tables of `wslog stats`.
#include "stats.h"

#include <algorithm>
#include <cstdio>
#include <vector>

#include "core/json.h"
#include "time_text.h"

namespace wsd::wslog {
namespace {

// A plain-text table: the first `textColumns` columns left-aligned, numbers right-aligned,
// two spaces between columns.
class Table {
 public:
  Table(std::vector<std::string> header, std::size_t textColumns = 1) : textColumns_(textColumns) {
    rows_.push_back(std::move(header));
  }
  void row(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  std::string render() const {
    std::vector<std::size_t> widths;
    for (const auto& row : rows_) {
      widths.resize(std::max(widths.size(), row.size()));
      for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
    }
    std::string out;
    for (const auto& row : rows_) {
      std::string line;
      for (std::size_t i = 0; i < row.size(); ++i) {
        const std::string pad(widths[i] - row[i].size(), ' ');
        line += "  " + (i < textColumns_ ? row[i] + pad : pad + row[i]);
      }
      while (!line.empty() && line.back() == ' ') line.pop_back();
      out += line + "\n";
    }
    return out;
  }

 private:
  std::size_t textColumns_;
  std::vector<std::vector<std::string>> rows_;
};

std::string num(std::uint64_t n) { return std::to_string(n); }

std::string peakText(const Peak& peak) { return peak.count == 0 ? "-" : formatTime(peak.at); }

std::string projectName(const std::string& key) { return key.empty() ? "(none: node table)" : key; }

std::string typeTable(const StatsReport& r) {
  Table t({"type", "events"});
  for (const auto& [type, count] : r.perType) t.row({type, num(count)});
  t.row({"total", num(r.events)});
  return "events by type\n" + t.render();
}

std::string projectTable(const StatsReport& r) {
  Table t({"project", "events", "messages", "mail requests", "active uids", "peak conns", "peak at"});
  for (const auto& [key, p] : r.perProject) {
    t.row({projectName(key), num(p.events), num(p.messages), num(p.mailRequests), num(p.uids.size()),
           num(p.connections.count), peakText(p.connections)});
  }
  return "by project\n" + t.render();
}

std::string projectTypeTable(const StatsReport& r) {
  Table t({"project", "type", "events"}, 2);
  for (const auto& [key, count] : r.perProjectType) t.row({projectName(key.first), key.second, num(count)});
  return "events by project and type\n" + t.render();
}

std::string minuteSummary(const StatsReport& r) {
  if (r.messagesPerMinute.empty()) return "messages per minute: no messages\n";
  std::uint64_t total = 0;
  auto busiest = r.messagesPerMinute.begin();
  for (auto it = r.messagesPerMinute.begin(); it != r.messagesPerMinute.end(); ++it) {
    total += it->second;
    if (it->second > busiest->second) busiest = it;
  }
  const auto span = r.messagesPerMinute.rbegin()->first - r.messagesPerMinute.begin()->first + 1;
  char mean[64];
  std::snprintf(mean, sizeof(mean), "%.1f", static_cast<double>(total) / static_cast<double>(span));
  return "messages per minute: mean " + std::string(mean) + " over " + std::to_string(span) + " minute(s), peak " +
         num(busiest->second) + " at " + formatMinute(busiest->first * kMsPerMinute) + "\n";
}

std::string minuteTable(const StatsReport& r) {
  Table t({"minute", "messages"});
  for (const auto& [minute, count] : r.messagesPerMinute) t.row({formatMinute(minute * kMsPerMinute), num(count)});
  return t.render();
}

}  // namespace

bool isMessage(EventType type) {
  return type == EventType::kMessageDirect || type == EventType::kMessageMulticast ||
         type == EventType::kMessageBroadcast;
}

void StatsAggregator::add(const Event& e) {
  auto& r = report_;
  if (r.events == 0) r.firstTs = e.ts;
  r.firstTs = std::min(r.firstTs, e.ts);
  r.lastTs = std::max(r.lastTs, e.ts);
  ++r.events;
  const std::string type(eventTypeName(e.type));
  ++r.perType[type];
  ++r.perProjectType[{e.project, type}];
  auto& project = r.perProject[e.project];
  ++project.events;
  if (isMessage(e.type)) {
    ++project.messages;
    ++r.messagesPerMinute[minuteOf(e.ts)];
  }
  if (e.type == EventType::kMailRequest) ++project.mailRequests;
  if (e.type == EventType::kUidBind) {
    if (auto uid = json::string(e.data, "uid")) project.uids.insert(*uid);
  }
  countConnections(e);
}

void StatsAggregator::countConnections(const Event& e) {
  if (!live_.apply(e)) return;
  if (live_.total() > report_.connections.count) report_.connections = {live_.total(), e.ts};
  auto& project = report_.perProject[e.project];
  const std::size_t open = live_.inProject(e.project);
  if (open > project.connections.count) project.connections = {open, e.ts};
}

std::string renderStats(const StatsReport& r, const StatsLayout& layout) {
  if (r.events == 0) return "no events\n";
  std::string out = std::to_string(r.events) + " events from " + formatTime(r.firstTs) + " to " + formatTime(r.lastTs) +
                    "\npeak connections: " + num(r.connections.count) +
                    (r.connections.count > 0 ? " at " + formatTime(r.connections.at) : "") + "\n" + minuteSummary(r) +
                    "\n" + typeTable(r) + "\n" + projectTable(r);
  if (layout.perProjectType) out += "\n" + projectTypeTable(r);
  if (layout.perMinute && !r.messagesPerMinute.empty()) out += "\nmessages per minute\n" + minuteTable(r);
  return out;
}

}  // namespace wsd::wslog
