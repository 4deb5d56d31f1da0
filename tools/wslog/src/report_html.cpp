// The report page and its SVG charts (see the header).
#include "report_html.h"

#include <algorithm>
#include <cstdio>
#include <vector>

#include "time_text.h"

namespace wsd::wslog {
namespace {

// ---- geometry ---------------------------------------------------------------------------

constexpr int kWidth = 880;   // every chart's viewBox width
constexpr int kHeight = 260;  // and height
constexpr int kLeft = 56;     // room for the y axis labels
constexpr int kRight = 16;
constexpr int kTop = 16;
constexpr int kBottom = 40;     // room for the x axis labels
constexpr int kBarHeight = 22;  // a horizontal bar and its gap

// Colours for series, in order; a series past the last reuses them.
constexpr const char* kColours[] = {"#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#4b5563"};

std::string fixed(double v) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.1f", v);
  return text;
}

std::string minuteText(std::int64_t minute) { return formatMinute(minute * kMsPerMinute); }

struct Series {
  std::string name;
  const MinuteCounts* counts;
};

struct Scale {
  std::int64_t firstMinute = 0;
  std::int64_t lastMinute = 0;
  std::uint64_t top = 1;
  // The middle of the minute's slot: the plot is cut into one slot per minute of the span.
  double x(std::int64_t minute) const { return kLeft + (static_cast<double>(minute - firstMinute) + 0.5) * slot(); }
  double slot() const {
    return static_cast<double>(kWidth - kLeft - kRight) / static_cast<double>(lastMinute - firstMinute + 1);
  }
  double y(std::uint64_t value) const {
    return kHeight - kBottom - static_cast<double>(value) * (kHeight - kTop - kBottom) / static_cast<double>(top);
  }
};

// `stacked`: the top is the most of all series together in one minute.
Scale scaleOf(const std::vector<Series>& series, bool stacked = false) {
  Scale s;
  bool any = false;
  MinuteCounts sums;
  for (const auto& one : series) {
    for (const auto& [minute, value] : *one.counts) {
      s.firstMinute = any ? std::min(s.firstMinute, minute) : minute;
      s.lastMinute = any ? std::max(s.lastMinute, minute) : minute;
      sums[minute] += value;
      s.top = std::max(s.top, stacked ? sums[minute] : value);
      any = true;
    }
  }
  return s;
}

std::string axes(const Scale& s) {
  const std::string baseline = fixed(kHeight - kBottom);
  std::string out = "<line class=\"axis\" x1=\"" + std::to_string(kLeft) + "\" y1=\"" + baseline + "\" x2=\"" +
                    std::to_string(kWidth - kRight) + "\" y2=\"" + baseline + "\"/>";
  out += "<line class=\"axis\" x1=\"" + std::to_string(kLeft) + "\" y1=\"" + std::to_string(kTop) + "\" x2=\"" +
         std::to_string(kLeft) + "\" y2=\"" + baseline + "\"/>";
  out += "<text class=\"label\" x=\"" + std::to_string(kLeft - 6) + "\" y=\"" + fixed(s.y(s.top) + 4) +
         "\" text-anchor=\"end\">" + std::to_string(s.top) + "</text>";
  out += "<text class=\"label\" x=\"" + std::to_string(kLeft - 6) + "\" y=\"" + fixed(s.y(0) + 4) +
         "\" text-anchor=\"end\">0</text>";
  const std::string below = std::to_string(kHeight - kBottom + 18);
  out += "<text class=\"label\" x=\"" + std::to_string(kLeft) + "\" y=\"" + below + "\">" + minuteText(s.firstMinute) +
         "</text>";
  if (s.lastMinute != s.firstMinute) {
    out += "<text class=\"label\" x=\"" + std::to_string(kWidth - kRight) + "\" y=\"" + below +
           "\" text-anchor=\"end\">" + minuteText(s.lastMinute) + "</text>";
  }
  return out;
}

std::string legend(const std::vector<Series>& series) {
  if (series.size() < 2) return "";
  std::string out = "<p class=\"legend\">";
  for (std::size_t i = 0; i < series.size(); ++i) {
    out += "<span><i style=\"background:" + std::string(kColours[i % std::size(kColours)]) + "\"></i>" +
           escapeHtml(series[i].name) + "</span>";
  }
  return out + "</p>";
}

// One line per series through its minutes, each minute a point.
std::string lineChart(const std::string& name, const std::string& title, const std::vector<Series>& series) {
  std::string out = "<section><h2>" + escapeHtml(title) + "</h2>" + legend(series);
  const Scale s = scaleOf(series);
  out += "<svg class=\"chart\" data-chart=\"" + name + "\" viewBox=\"0 0 " + std::to_string(kWidth) + " " +
         std::to_string(kHeight) + "\" role=\"img\" aria-label=\"" + escapeHtml(title) + "\">" + axes(s);
  for (std::size_t i = 0; i < series.size(); ++i) {
    const std::string colour = kColours[i % std::size(kColours)];
    std::string line, points;
    for (const auto& [minute, value] : *series[i].counts) {
      const std::string x = fixed(s.x(minute)), y = fixed(s.y(value));
      line += (line.empty() ? "" : " ") + x + "," + y;
      points += "<circle class=\"point\" data-series=\"" + escapeHtml(series[i].name) + "\" data-x=\"" +
                minuteText(minute) + "\" data-value=\"" + std::to_string(value) + "\" cx=\"" + x + "\" cy=\"" + y +
                "\" r=\"3\" fill=\"" + colour + "\"><title>" + escapeHtml(series[i].name) + " " + minuteText(minute) +
                ": " + std::to_string(value) + "</title></circle>";
    }
    out += "<polyline fill=\"none\" stroke=\"" + colour + "\" stroke-width=\"2\" points=\"" + line + "\"/>" + points;
  }
  bool empty = std::all_of(series.begin(), series.end(), [](const Series& one) { return one.counts->empty(); });
  if (empty)
    out += "<text class=\"label\" x=\"" + std::to_string(kWidth / 2) + "\" y=\"120\">nothing in the log</text>";
  return out + "</svg></section>";
}

// One column per minute, each series a segment stacked on the ones before it.
std::string stackedColumns(const std::string& name, const std::string& title, const std::vector<Series>& series) {
  std::string out = "<section><h2>" + escapeHtml(title) + "</h2>" + legend(series);
  const Scale s = scaleOf(series, true);
  out += "<svg class=\"chart\" data-chart=\"" + name + "\" viewBox=\"0 0 " + std::to_string(kWidth) + " " +
         std::to_string(kHeight) + "\" role=\"img\" aria-label=\"" + escapeHtml(title) + "\">" + axes(s);
  const double width = std::max(s.slot() * 0.7, 1.0);
  MinuteCounts stackedSoFar;
  for (std::size_t i = 0; i < series.size(); ++i) {
    const std::string colour = kColours[i % std::size(kColours)];
    for (const auto& [minute, value] : *series[i].counts) {
      auto& below = stackedSoFar[minute];
      const double top = s.y(below + value), bottom = s.y(below);
      below += value;
      out += "<rect class=\"point\" data-series=\"" + escapeHtml(series[i].name) + "\" data-x=\"" + minuteText(minute) +
             "\" data-value=\"" + std::to_string(value) + "\" x=\"" + fixed(s.x(minute) - width / 2) + "\" y=\"" +
             fixed(top) + "\" width=\"" + fixed(width) + "\" height=\"" + fixed(std::max(bottom - top, 1.0)) +
             "\" fill=\"" + colour + "\"><title>" + escapeHtml(series[i].name) + " " + minuteText(minute) + ": " +
             std::to_string(value) + "</title></rect>";
    }
  }
  if (stackedSoFar.empty()) {
    out += "<text class=\"label\" x=\"" + std::to_string(kWidth / 2) + "\" y=\"120\">nothing in the log</text>";
  }
  return out + "</svg></section>";
}

// Horizontal bars, one per (label, value), in the order given.
std::string barChart(const std::string& name, const std::string& title,
                     const std::vector<std::pair<std::string, std::uint64_t>>& bars) {
  std::uint64_t top = 1;
  for (const auto& bar : bars) top = std::max(top, bar.second);
  const int height = std::max<int>(static_cast<int>(bars.size()) * kBarHeight + 8, 40);
  std::string out = "<section><h2>" + escapeHtml(title) + "</h2><svg class=\"chart\" data-chart=\"" + name +
                    "\" viewBox=\"0 0 " + std::to_string(kWidth) + " " + std::to_string(height) +
                    "\" role=\"img\" aria-label=\"" + escapeHtml(title) + "\">";
  constexpr int kLabelWidth = 260;
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const auto& [label, value] = bars[i];
    const int y = static_cast<int>(i) * kBarHeight + 4;
    const double w = static_cast<double>(value) * (kWidth - kLabelWidth - 80) / static_cast<double>(top);
    out += "<text class=\"label\" x=\"" + std::to_string(kLabelWidth - 8) + "\" y=\"" + std::to_string(y + 15) +
           "\" text-anchor=\"end\">" + escapeHtml(label) + "</text>";
    out += "<rect class=\"bar\" data-series=\"" + name + "\" data-x=\"" + escapeHtml(label) + "\" data-value=\"" +
           std::to_string(value) + "\" x=\"" + std::to_string(kLabelWidth) + "\" y=\"" + std::to_string(y) +
           "\" width=\"" + fixed(std::max(w, 1.0)) + "\" height=\"" + std::to_string(kBarHeight - 6) + "\" fill=\"" +
           kColours[i % std::size(kColours)] + "\"><title>" + escapeHtml(label) + ": " + std::to_string(value) +
           "</title></rect>";
    out += "<text class=\"label\" x=\"" + fixed(kLabelWidth + std::max(w, 1.0) + 6) + "\" y=\"" +
           std::to_string(y + 15) + "\">" + std::to_string(value) + "</text>";
  }
  if (bars.empty()) out += "<text class=\"label\" x=\"" + std::to_string(kWidth / 2) + "\" y=\"24\">none</text>";
  return out + "</svg></section>";
}

// ---- the page ---------------------------------------------------------------------------

constexpr const char* kStyle =
    "body{font:14px/1.4 system-ui,sans-serif;margin:24px auto;max-width:920px;color:#111827}"
    "h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 6px}.sub{color:#6b7280;margin:0 0 16px}"
    ".metrics{display:grid;grid-template-columns:repeat(4,1fr);gap:8px}"
    ".metric{border:1px solid #e5e7eb;border-radius:6px;padding:8px 10px}.metric b{display:block;font-size:20px}"
    ".metric span{color:#6b7280;font-size:12px}svg.chart{width:100%;height:auto;border:1px solid #e5e7eb;"
    "border-radius:6px}.axis{stroke:#9ca3af}.label{font-size:11px;fill:#4b5563}.legend span{margin-right:14px}"
    ".legend i{display:inline-block;width:10px;height:10px;margin-right:4px;border-radius:2px}";

std::string metric(const std::string& name, const std::string& label, const std::string& value) {
  return "<div class=\"metric\" data-metric=\"" + name + "\"><b>" + escapeHtml(value) + "</b><span>" +
         escapeHtml(label) + "</span></div>";
}

std::uint64_t total(const std::map<std::string, std::uint64_t>& counts) {
  std::uint64_t sum = 0;
  for (const auto& [name, count] : counts) sum += count;
  return sum;
}

std::string headline(const ReportData& d) {
  std::string out = "<div class=\"metrics\">";
  out += metric("events", "events", std::to_string(d.events));
  out += metric("messages", "messages", std::to_string(d.messages));
  out += metric("projects", "projects", std::to_string(d.projects.size()));
  out += metric("uids", "uids bound", std::to_string(d.uids.size()));
  out += metric("peak-connections", "peak connections", std::to_string(d.peakConnections));
  out += metric("peak-online", "peak uids online", std::to_string(d.peakOnline));
  out += metric("mails", "mail outcomes", std::to_string(total(d.mailOutcomes)));
  out += metric("webhooks", "webhook outcomes", std::to_string(total(d.webhookOutcomes)));
  return out + "</div>";
}

std::vector<std::pair<std::string, std::uint64_t>> outcomes(const std::map<std::string, std::uint64_t>& counts,
                                                            std::initializer_list<const char*> names) {
  std::vector<std::pair<std::string, std::uint64_t>> bars;
  for (const char* name : names) {
    auto it = counts.find(name);
    bars.emplace_back(name, it == counts.end() ? 0 : it->second);
  }
  return bars;
}

}  // namespace

std::string escapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string renderReport(const ReportData& d, const ReportOptions& o) {
  std::vector<Series> messageSeries;
  for (const auto& [type, counts] : d.messagesPerMinute) messageSeries.push_back({type, &counts});
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escapeHtml(o.title) +
                    "</title><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
                    "'unsafe-inline'\"><style>" +
                    kStyle + "</style></head><body>";
  out += "<h1>" + escapeHtml(o.title) + "</h1><p class=\"sub\">" + escapeHtml(o.source);
  if (d.events > 0) out += ", " + formatTime(d.firstTs) + " to " + formatTime(d.lastTs);
  out += "</p>" + headline(d);
  out += stackedColumns("messages", "Messages per minute, by type", messageSeries);
  out += lineChart("connections", "Connections open (the most in each minute with a change)",
                   {{"connections", &d.connectionsPerMinute}});
  out += lineChart("online", "Uids online (the most in each minute with a change)", {{"online", &d.onlinePerMinute}});
  out += barChart("senders", "Top uids by messages sent", topSenders(d, o.topSenders));
  out += barChart("mail", "Mail outcomes", outcomes(d.mailOutcomes, {"accepted", "rejected", "sent", "failed"}));
  out += barChart("webhooks", "Webhook outcomes", outcomes(d.webhookOutcomes, {"delivered", "failed"}));
  return out + "</body></html>\n";
}

}  // namespace wsd::wslog
