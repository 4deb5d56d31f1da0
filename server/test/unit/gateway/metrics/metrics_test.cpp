// Prometheus metrics: rendering in the text exposition format 0.0.4, the histogram's
// cumulative buckets, counters by label or by index, the server-message type label, and
// the gateway's families (messages by type, disconnects, delivery outcomes, lag).
#include "gateway/metrics/metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "gateway/metrics/gateway_metrics.h"

namespace wsd::metrics {
namespace {

TEST(MetricsRender, WritesHelpTypeAndOneLinePerSample) {
  Family family{"wsd_connections", "Sessions held, by transport", Kind::kGauge, {}};
  family.samples.push_back({"", {{"transport", "ws"}}, 3});
  family.samples.push_back({"", {{"transport", "sse"}}, 0});
  EXPECT_EQ(render({family}),
            "# HELP wsd_connections Sessions held, by transport\n"
            "# TYPE wsd_connections gauge\n"
            "wsd_connections{transport=\"ws\"} 3\n"
            "wsd_connections{transport=\"sse\"} 0\n");
}

TEST(MetricsRender, ASampleWithoutLabelsHasNoBraces) {
  EXPECT_EQ(render({{"wsd_projects", "Projects", Kind::kGauge, {{"", {}, 7}}}}),
            "# HELP wsd_projects Projects\n# TYPE wsd_projects gauge\nwsd_projects 7\n");
}

TEST(MetricsRender, EscapesLabelValuesAndHelpText) {
  Family family{"m", "a \\ b\nc", Kind::kCounter, {{"", {{"l", "q\"b\\n\nx"}}, 1}}};
  EXPECT_EQ(render({family}), "# HELP m a \\\\ b\\nc\n# TYPE m counter\nm{l=\"q\\\"b\\\\n\\nx\"} 1\n");
}

TEST(MetricsRender, SeveralLabelsAreCommaSeparatedInOrder) {
  Family family{"wsd_build_info", "info", Kind::kGauge, {{"", {{"version", "0.1.0"}, {"node", "n1"}}, 1}}};
  EXPECT_NE(render({family}).find("wsd_build_info{version=\"0.1.0\",node=\"n1\"} 1\n"), std::string::npos);
}

TEST(MetricsFormatValue, WritesIntegersPlainAndFractionsShortest) {
  EXPECT_EQ(formatValue(0), "0");
  EXPECT_EQ(formatValue(42), "42");
  EXPECT_EQ(formatValue(-3), "-3");
  EXPECT_EQ(formatValue(1e12), "1000000000000");
  EXPECT_EQ(formatValue(0.0001), "0.0001");
  EXPECT_EQ(formatValue(2.5), "2.5");
  EXPECT_EQ(formatValue(0.1 + 0.2), "0.30000000000000004");  // exact: it reads back as the same double
}

TEST(MetricsFormatValue, WritesInfinitiesAndNaNAsTheFormatSpells) {
  EXPECT_EQ(formatValue(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(formatValue(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(formatValue(std::nan("")), "NaN");
}

TEST(MetricsHistogram, BucketsAreCumulativeAndUpperBoundsInclusive) {
  Histogram h({0.001, 0.01, 0.1});
  h.observe(0.0005);
  h.observe(0.001);  // on a bound: counted in that bucket (le)
  h.observe(0.05);
  h.observe(3);  // beyond every bound: +Inf only
  EXPECT_EQ(render({h.family("lat", "latency")}),
            "# HELP lat latency\n"
            "# TYPE lat histogram\n"
            "lat_bucket{le=\"0.001\"} 2\n"
            "lat_bucket{le=\"0.01\"} 2\n"
            "lat_bucket{le=\"0.1\"} 3\n"
            "lat_bucket{le=\"+Inf\"} 4\n"
            "lat_sum 3.0515\n"
            "lat_count 4\n");
  EXPECT_EQ(h.count(), 4u);
}

TEST(MetricsHistogram, AnEmptyHistogramRendersZeros) {
  Histogram h({1});
  EXPECT_EQ(render({h.family("x", "y")}),
            "# HELP x y\n# TYPE x histogram\nx_bucket{le=\"1\"} 0\nx_bucket{le=\"+Inf\"} 0\nx_sum 0\nx_count 0\n");
}

TEST(MetricsLabeledCounter, CountsPerValueSortedAndShowsAlwaysValuesAtZero) {
  LabeledCounter c;
  c.add("send");
  c.add("bind");
  c.add("send", 2);
  EXPECT_EQ(c.get("send"), 3u);
  EXPECT_EQ(c.get("never"), 0u);
  EXPECT_EQ(render({c.family("wsd_messages_in_total", "in", "type", {"sent"})}),
            "# HELP wsd_messages_in_total in\n"
            "# TYPE wsd_messages_in_total counter\n"
            "wsd_messages_in_total{type=\"bind\"} 1\n"
            "wsd_messages_in_total{type=\"send\"} 3\n"
            "wsd_messages_in_total{type=\"sent\"} 0\n");
}

TEST(MetricsIndexedCounter, CountsBySeriesIndexAndShowsEverySeriesFromTheStart) {
  IndexedCounter c(seriesOf("outcome", {"delivered", "failed"}));
  c.add(1);
  c.add(1, 2);
  EXPECT_EQ(c.get(0), 0u);
  EXPECT_EQ(c.get(1), 3u);
  EXPECT_EQ(render({c.family("wsd_webhook_deliveries_total", "hooks")}),
            "# HELP wsd_webhook_deliveries_total hooks\n"
            "# TYPE wsd_webhook_deliveries_total counter\n"
            "wsd_webhook_deliveries_total{outcome=\"delivered\"} 0\n"
            "wsd_webhook_deliveries_total{outcome=\"failed\"} 3\n");
}

TEST(MetricsIndexedCounter, WithoutZerosShowsOnlyTheSeriesThatMoved) {
  IndexedCounter c({{{"reason", "a"}, {"code", "1"}}, {{"reason", "b"}, {"code", "2"}}}, false);
  c.add(1);
  EXPECT_EQ(render({c.family("d_total", "d")}),
            "# HELP d_total d\n# TYPE d_total counter\nd_total{reason=\"b\",code=\"2\"} 1\n");
}

TEST(MetricsAtomicCounter, AddsUp) {
  AtomicCounter c;
  c.add();
  c.add(4);
  EXPECT_EQ(c.get(), 5u);
}

}  // namespace
}  // namespace wsd::metrics

namespace wsd {
namespace {

TEST(ServerMessageType, ReadsTheTypeOfARenderedMessage) {
  EXPECT_EQ(serverMessageType(R"({"type":"direct","from":"a"})"), "direct");
  EXPECT_EQ(serverMessageType(R"({"type":"pong"})"), "pong");
}

TEST(ServerMessageType, AnythingElseIsOtherSoLabelsStayBounded) {
  EXPECT_EQ(serverMessageType(R"({"type":"made_up"})"), "other");
  EXPECT_EQ(serverMessageType(R"({"from":"a","type":"direct"})"), "other");
  EXPECT_EQ(serverMessageType(R"({"type":"direct)"), "other");
  EXPECT_EQ(serverMessageType(""), "other");
}

TEST(ServerMessageType, EveryKnownTypeHasItsOwnIndexAndOtherIsLast) {
  for (std::size_t i = 0; i < kServerMessageTypes.size(); ++i) {
    const std::string rendered = R"({"type":")" + std::string(kServerMessageTypes[i]) + R"("})";
    EXPECT_EQ(serverMessageTypeIndex(rendered), i) << kServerMessageTypes[i];
  }
  EXPECT_EQ(serverMessageTypeIndex(R"({"type":"made_up"})"), kOtherServerType);
  EXPECT_EQ(serverMessageTypeIndex(R"({"type":"zzz"})"), kOtherServerType);  // past the last name
}

TEST(GatewayMetricsSeries, MessagesAreShownUnderEveryTypeAndTheCatchAll) {
  GatewayMetrics m;
  m.messagesIn.add(static_cast<std::size_t>(ClientType::kSend));
  m.messagesIn.add(kClientTypeCount);
  const auto text = metrics::render({m.messagesIn.family("in_total", "in")});
  EXPECT_NE(text.find("in_total{type=\"send\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("in_total{type=\"invalid\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("in_total{type=\"bind\"} 0\n"), std::string::npos) << text;
  EXPECT_EQ(m.messagesOut.size(), kServerMessageTypes.size() + 1);
}

TEST(GatewayMetricsDisconnects, CountedUnderBoundedReasonAndCode) {
  GatewayMetrics m;
  countDisconnect(m, 1000, "closed by client");
  countDisconnect(m, 4001, "my backend's own words");  // the reason given is never a label
  countDisconnect(m, 3999, "closed by client");        // a code of the client's choosing is "other"
  const auto text = metrics::render({m.disconnects.family("d_total", "d")});
  EXPECT_EQ(text,
            "# HELP d_total d\n# TYPE d_total counter\n"
            "d_total{reason=\"client_closed\",code=\"1000\"} 1\n"
            "d_total{reason=\"client_closed\",code=\"other\"} 1\n"
            "d_total{reason=\"kicked\",code=\"4001\"} 1\n");
}

TEST(GatewayMetricsDeliveries, WebhookAndMailOutcomesAreCountedFromTheirLogRecords) {
  GatewayMetrics m;
  for (auto type : {EventType::kWebhookDelivered, EventType::kWebhookFailed, EventType::kWebhookFailed,
                    EventType::kMailSent, EventType::kMailFailed, EventType::kMessageDirect}) {
    Event event;
    event.type = type;
    countDeliveryOutcome(m, event);
  }
  EXPECT_EQ(m.webhookDeliveries.get(0), 1u);
  EXPECT_EQ(m.webhookDeliveries.get(1), 2u);
  EXPECT_EQ(m.mailDeliveries.get(0), 1u);
  EXPECT_EQ(m.mailDeliveries.get(1), 1u);
}

TEST(PartitionLagFamily, InSecondsShowsEachPartitionsAge) {
  auto family = partitionLagFamily("lag_seconds", "lag", {{0, 5, 1.5}, {1, 0, 0}}, true);
  EXPECT_EQ(metrics::render({family}),
            "# HELP lag_seconds lag\n# TYPE lag_seconds gauge\n"
            "lag_seconds{partition=\"0\"} 1.5\nlag_seconds{partition=\"1\"} 0\n");
}

TEST(Health, IsFineUntilAProblemIsSetAndAfterItIsCleared) {
  Health health;
  EXPECT_EQ(health.problem(), "");
  health.set("broker down");
  EXPECT_EQ(health.problem(), "broker down");
  health.set("");
  EXPECT_EQ(health.problem(), "");
}

TEST(PartitionLagFamily, OneGaugePerPartition) {
  auto family = partitionLagFamily("wsd_log_consumer_lag", "lag", {{0, 5}, {1, 0}});
  EXPECT_EQ(metrics::render({family}),
            "# HELP wsd_log_consumer_lag lag\n"
            "# TYPE wsd_log_consumer_lag gauge\n"
            "wsd_log_consumer_lag{partition=\"0\"} 5\n"
            "wsd_log_consumer_lag{partition=\"1\"} 0\n");
}

}  // namespace
}  // namespace wsd
