// Mail requests decided again under another limit: the projector's rule, per token.
#include "whatif.h"

#include <gtest/gtest.h>

namespace wsd::wslog {
namespace {

constexpr std::int64_t kMinute = 60'000;

MailRequestSeen request(const std::string& token, std::int64_t ts, bool accepted, bool valid = true) {
  return {"p", token, "id" + std::to_string(ts), ts, kMinute, valid, accepted};
}

TEST(WhatIf, ALowerLimitRefusesWhatWasAccepted) {
  WhatIf w({1, std::nullopt});
  w.add(request("t", 0, true));
  w.add(request("t", 1000, true));
  w.add(request("t", 2000, false));
  const auto& o = w.perToken().at({"p", "t"});
  EXPECT_EQ(o.requests, 3u);
  EXPECT_EQ(o.wasAccepted, 2u);
  EXPECT_EQ(o.wouldAccept, 1u);
  EXPECT_EQ(o.nowRefused, 1u);
  EXPECT_EQ(o.nowAccepted, 0u);
  ASSERT_EQ(w.changes().size(), 1u);
  EXPECT_EQ(w.changes()[0].request.ts, 1000);
}

TEST(WhatIf, AHigherLimitAcceptsWhatWasRefused) {
  WhatIf w({3, std::nullopt});
  w.add(request("t", 0, true));
  w.add(request("t", 1, true));
  w.add(request("t", 2, false));
  w.add(request("t", 3, false));
  const auto& o = w.perToken().at({"p", "t"});
  EXPECT_EQ(o.wouldAccept, 3u);
  EXPECT_EQ(o.nowAccepted, 1u);
}

// As in the projector: a request at ts is judged against accepted ones after ts - window.
TEST(WhatIf, TheWindowSlidesAndOnlyAcceptedRequestsCount) {
  WhatIf w({1, std::nullopt});
  w.add(request("t", 0, true));
  w.add(request("t", kMinute - 1, false));  // inside the window of the first
  w.add(request("t", kMinute, true));       // the first has just left it
  EXPECT_EQ(w.perToken().at({"p", "t"}).wouldAccept, 2u);
  EXPECT_TRUE(w.changes().empty());
}

TEST(WhatIf, AnotherWindowCanBeTried) {
  WhatIf w({1, 10 * kMinute});
  w.add(request("t", 0, true));
  w.add(request("t", 2 * kMinute, true));
  EXPECT_EQ(w.perToken().at({"p", "t"}).nowRefused, 1u);
}

TEST(WhatIf, TokensAreJudgedApartAndAnInvalidTokenStaysRefused) {
  WhatIf w({1, std::nullopt});
  w.add(request("a", 0, true));
  w.add(request("b", 0, true));
  w.add(request("c", 0, false, false));
  EXPECT_EQ(w.perToken().at({"p", "a"}).wouldAccept, 1u);
  EXPECT_EQ(w.perToken().at({"p", "b"}).wouldAccept, 1u);
  EXPECT_EQ(w.perToken().at({"p", "c"}).wouldAccept, 0u);
  EXPECT_EQ(w.perToken().at({"p", "c"}).invalidToken, 1u);
  EXPECT_TRUE(w.changes().empty());
}

TEST(WhatIf, TheReportHasARowPerTokenTotalsAndTheChangedRequests) {
  WhatIfRule rule{1, std::nullopt};
  WhatIf w(rule);
  w.add(request("tok", 1714572000000, true));
  w.add(request("tok", 1714572001000, true));
  auto text = renderWhatIf(w, rule, true);
  EXPECT_NE(text.find("mail requests under a limit of 1 per each request's own window"), std::string::npos);
  EXPECT_NE(
      text.find("  p        tok           2         2             1        0             1            1             0"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("2024-05-01T14:00:01.000Z id1714572001000 p tok: was accepted, would be refused"),
            std::string::npos)
      << text;
  EXPECT_EQ(renderWhatIf(WhatIf(rule), rule, false), "no mail.request events\n");
}

}  // namespace
}  // namespace wsd::wslog
