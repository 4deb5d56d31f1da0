// Mail requests under another limit (see the header), and the report.
#include "whatif.h"

#include "time_text.h"

namespace wsd::wslog {

void WhatIf::add(const MailRequestSeen& r) {
  const TokenKey key{r.project, r.token};
  auto& outcome = perToken_[key];
  ++outcome.requests;
  if (r.accepted) ++outcome.wasAccepted;
  bool would = false;
  if (!r.tokenValid) {
    ++outcome.invalidToken;
  } else {
    const std::int64_t window = rule_.windowMs.value_or(r.windowMs);
    auto& accepted = windows_[key];
    while (!accepted.empty() && accepted.front() <= r.ts - window) accepted.pop_front();
    would = static_cast<std::int64_t>(accepted.size()) < rule_.limit;
    if (would) accepted.push_back(r.ts);
  }
  if (would) ++outcome.wouldAccept;
  if (would == r.accepted) return;
  ++(would ? outcome.nowAccepted : outcome.nowRefused);
  changes_.push_back({r, would});
}

namespace {

std::string row(const std::vector<std::string>& cells, const std::vector<std::size_t>& widths) {
  std::string line;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    const std::string pad(widths[i] > cells[i].size() ? widths[i] - cells[i].size() : 0, ' ');
    line += "  " + (i < 2 ? cells[i] + pad : pad + cells[i]);
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line + "\n";
}

std::string ruleText(const WhatIfRule& rule) {
  return std::to_string(rule.limit) + " per " +
         (rule.windowMs ? std::to_string(*rule.windowMs / 1000) + " s" : std::string("each request's own window"));
}

}  // namespace

std::string renderWhatIf(const WhatIf& w, const WhatIfRule& rule, bool details) {
  if (w.perToken().empty()) return "no mail.request events\n";
  std::vector<std::vector<std::string>> rows{{"project", "token", "requests", "accepted", "would accept", "refused",
                                              "would refuse", "now refused", "now accepted"}};
  TokenOutcome total;
  for (const auto& [key, o] : w.perToken()) {
    rows.push_back({key.first, key.second, std::to_string(o.requests), std::to_string(o.wasAccepted),
                    std::to_string(o.wouldAccept), std::to_string(o.requests - o.wasAccepted),
                    std::to_string(o.requests - o.wouldAccept), std::to_string(o.nowRefused),
                    std::to_string(o.nowAccepted)});
    total.requests += o.requests;
    total.wasAccepted += o.wasAccepted;
    total.wouldAccept += o.wouldAccept;
    total.nowRefused += o.nowRefused;
    total.nowAccepted += o.nowAccepted;
  }
  rows.push_back({"total", "", std::to_string(total.requests), std::to_string(total.wasAccepted),
                  std::to_string(total.wouldAccept), std::to_string(total.requests - total.wasAccepted),
                  std::to_string(total.requests - total.wouldAccept), std::to_string(total.nowRefused),
                  std::to_string(total.nowAccepted)});
  std::vector<std::size_t> widths(rows.front().size(), 0);
  for (const auto& r : rows) {
    for (std::size_t i = 0; i < r.size(); ++i) widths[i] = std::max(widths[i], r[i].size());
  }
  std::string out = "mail requests under a limit of " + ruleText(rule) + "\n";
  for (const auto& r : rows) out += row(r, widths);
  if (!details) return out;
  out += "\ndecided differently\n";
  for (const auto& c : w.changes()) {
    out += "  " + formatTime(c.request.ts) + " " + c.request.id + " " + c.request.project + " " + c.request.token +
           ": was " + (c.request.accepted ? "accepted" : "refused") + ", would be " +
           (c.wouldAccept ? "accepted" : "refused") + "\n";
  }
  return out;
}

}  // namespace wsd::wslog
