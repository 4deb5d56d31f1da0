// wslog whatif: past mail requests decided again under another rate limit. Pure.
//
// The rule is the projector's (core/projector.cpp mailRequest, docs/architecture.md
// invariant 5) with the limit swapped: a request is accepted when fewer than `limit`
// requests of its token were accepted in the `window` before its ts. Refused requests do
// not count against the window, so a lower limit can also turn a refusal into an
// acceptance later on. A request whose token was not valid stays refused.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace wsd::wslog {

// One mail.request and what the server decided when it applied it.
struct MailRequestSeen {
  std::string project;
  std::string token;
  std::string id;  // the event id
  std::int64_t ts = 0;
  std::int64_t windowMs = 0;  // the window the request was made under
  bool tokenValid = true;     // false: refused as invalid_token, whatever the limit
  bool accepted = false;      // what the server decided
};

struct WhatIfRule {
  std::int64_t limit = 10;               // mails per token per window
  std::optional<std::int64_t> windowMs;  // nullopt: each request's own window
};

struct TokenOutcome {
  std::uint64_t requests = 0;
  std::uint64_t invalidToken = 0;  // refused for the token, under either rule
  std::uint64_t wasAccepted = 0;
  std::uint64_t wouldAccept = 0;
  std::uint64_t nowRefused = 0;   // accepted then, refused under the new rule
  std::uint64_t nowAccepted = 0;  // refused then, accepted under the new rule
};

struct ChangedDecision {
  MailRequestSeen request;
  bool wouldAccept = false;
};

class WhatIf {
 public:
  explicit WhatIf(WhatIfRule rule) : rule_(rule) {}

  // Requests must come in log order (per token, that is the order they were decided in).
  void add(const MailRequestSeen& request);

  using TokenKey = std::pair<std::string, std::string>;  // project, token
  const std::map<TokenKey, TokenOutcome>& perToken() const { return perToken_; }
  const std::vector<ChangedDecision>& changes() const { return changes_; }

 private:
  WhatIfRule rule_;
  std::map<TokenKey, std::deque<std::int64_t>> windows_;  // accepted request times under the new rule
  std::map<TokenKey, TokenOutcome> perToken_;
  std::vector<ChangedDecision> changes_;
};

// The per-token table, totals, and (with `details`) every request decided differently.
std::string renderWhatIf(const WhatIf& whatIf, const WhatIfRule& rule, bool details);

}  // namespace wsd::wslog
