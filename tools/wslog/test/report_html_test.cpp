// The report page: self-contained, every number a data point, user text escaped.
#include "report_html.h"

#include <gtest/gtest.h>

namespace wsd::wslog {
namespace {

constexpr std::int64_t kM0 = 28'576'200;  // 2024-05-01T14:00Z

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

ReportData sample() {
  ReportData d;
  d.events = 42;
  d.messages = 5;
  d.firstTs = kM0 * 60'000;
  d.lastTs = (kM0 + 2) * 60'000;
  d.messagesPerMinute["message.direct"] = {{kM0, 3}, {kM0 + 2, 1}};
  d.messagesPerMinute["message.broadcast"] = {{kM0 + 1, 1}};
  d.connectionsPerMinute = {{kM0, 2}, {kM0 + 1, 1}};
  d.onlinePerMinute = {{kM0, 2}};
  d.messagesBySender = {{"p/alice", 4}, {"p/<script>", 1}};
  d.mailOutcomes = {{"sent", 2}, {"failed", 1}};
  return d;
}

TEST(ReportHtml, NeedsNothingFromTheNetworkToBeViewed) {
  const auto page = renderReport(sample(), {});
  EXPECT_EQ(page.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_EQ(page.find("<script"), std::string::npos);
  EXPECT_EQ(page.find("http://"), std::string::npos);
  EXPECT_EQ(page.find("https://"), std::string::npos);
  EXPECT_NE(page.find("default-src 'none'"), std::string::npos);
}

TEST(ReportHtml, DrawsEveryMinuteAsAPointOfItsSeries) {
  const auto page = renderReport(sample(), {});
  EXPECT_EQ(count(page, "class=\"point\" data-series=\"message.direct\""), 2u);
  EXPECT_EQ(count(page, "class=\"point\" data-series=\"message.broadcast\""), 1u);
  EXPECT_EQ(count(page, "class=\"point\" data-series=\"connections\""), 2u);
  EXPECT_EQ(count(page, "class=\"point\" data-series=\"online\""), 1u);
  EXPECT_NE(page.find("data-series=\"message.direct\" data-x=\"2024-05-01T14:00Z\" data-value=\"3\""),
            std::string::npos);
}

TEST(ReportHtml, DrawsSendersAndOutcomesAsBarsWithTheirValues) {
  const auto page = renderReport(sample(), {});
  EXPECT_NE(page.find("data-series=\"senders\" data-x=\"p/alice\" data-value=\"4\""), std::string::npos);
  // Every outcome has its bar, the ones that never happened at 0.
  EXPECT_NE(page.find("data-series=\"mail\" data-x=\"accepted\" data-value=\"0\""), std::string::npos);
  EXPECT_NE(page.find("data-series=\"mail\" data-x=\"sent\" data-value=\"2\""), std::string::npos);
  EXPECT_EQ(count(page, "class=\"bar\" data-series=\"webhooks\""), 2u);
  EXPECT_NE(page.find("data-metric=\"events\"><b>42</b>"), std::string::npos);
}

TEST(ReportHtml, EscapesWhatUsersNamed) {
  const auto page = renderReport(sample(), {});
  EXPECT_EQ(page.find("p/<script>"), std::string::npos);
  EXPECT_NE(page.find("p/&lt;script&gt;"), std::string::npos);
  EXPECT_EQ(escapeHtml(R"(<a href="x">'&'</a>)"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
}

TEST(ReportHtml, AnEmptyLogStillGivesAPageThatSaysSo) {
  const auto page = renderReport({}, {});
  EXPECT_NE(page.find("nothing in the log"), std::string::npos);
  EXPECT_EQ(page.find("class=\"point\""), std::string::npos);
}

}  // namespace
}  // namespace wsd::wslog
