#include "gateway/metrics/gateway_metrics.h"

#include <algorithm>
#include <array>

#include "core/disconnect_labels.h"

namespace wsd {

static_assert(std::is_sorted(kServerMessageTypes.begin(), kServerMessageTypes.end()),
              "serverMessageTypeIndex searches kServerMessageTypes by halves");

std::vector<metrics::Labels> clientTypeSeries() {
  std::vector<std::string_view> names;
  for (std::size_t i = 0; i < kClientTypeCount; ++i) names.push_back(clientTypeName(static_cast<ClientType>(i)));
  names.emplace_back("invalid");
  return metrics::seriesOf("type", names);
}

std::vector<metrics::Labels> serverTypeSeries() {
  std::vector<std::string_view> names(kServerMessageTypes.begin(), kServerMessageTypes.end());
  names.emplace_back("other");
  return metrics::seriesOf("type", names);
}

std::vector<metrics::Labels> disconnectSeries() {
  std::vector<metrics::Labels> series;
  for (auto reason : disconnect::kReasons) {
    for (auto code : disconnect::kCodes)
      series.push_back({{"reason", std::string(reason)}, {"code", std::string(code)}});
  }
  return series;
}

void countDisconnect(GatewayMetrics& metrics, int code, std::string_view reason) {
  const auto labels = disconnect::labelsFor(code, reason);
  metrics.disconnects.add(labels.reason * disconnect::kCodes.size() + labels.code);
}

void countDeliveryOutcome(GatewayMetrics& metrics, const Event& event) {
  const auto at = [](DeliveryOutcome outcome) { return static_cast<std::size_t>(outcome); };
  switch (event.type) {
    case EventType::kWebhookDelivered: metrics.webhookDeliveries.add(at(DeliveryOutcome::kDelivered)); break;
    case EventType::kWebhookFailed: metrics.webhookDeliveries.add(at(DeliveryOutcome::kFailed)); break;
    case EventType::kMailSent: metrics.mailDeliveries.add(at(DeliveryOutcome::kDelivered)); break;
    case EventType::kMailFailed: metrics.mailDeliveries.add(at(DeliveryOutcome::kFailed)); break;
    default: break;
  }
}

void Health::set(const std::string& problem) {
  if (problem.empty() && healthy_.load(std::memory_order_acquire)) return;  // the common case: no lock
  std::lock_guard lock(mutex_);
  problem_ = problem;
  healthy_.store(problem.empty(), std::memory_order_release);
}

std::string Health::problem() const {
  if (healthy_.load(std::memory_order_acquire)) return {};
  std::lock_guard lock(mutex_);
  return problem_;
}

metrics::Family partitionLagFamily(std::string name, std::string help, const std::vector<log::PartitionLag>& lag,
                                   bool inSeconds) {
  metrics::Family family{std::move(name), std::move(help), metrics::Kind::kGauge, {}};
  for (const auto& p : lag) {
    const double value = inSeconds ? p.seconds : static_cast<double>(p.records);
    family.samples.push_back({"", {{"partition", std::to_string(p.partition)}}, value});
  }
  return family;
}

void watchEventLog(log::EventLog& log, GatewayMetrics& metrics) {
  log.observeAppends([&metrics](double seconds, const Error* failure) {  // any thread: atomics only
    if (failure != nullptr) {
      metrics.logAppendFailures.add();
      metrics.log.set("the last append failed: " + failure->message);
      return;
    }
    metrics.logAppend.observe(seconds);
    metrics.log.set("");
  });
  metrics.collectors.emplace_back([&log](std::vector<metrics::Family>& out) {
    auto lag = log.consumerLag();
    if (lag.empty()) return;  // the embedded log: nobody reads behind
    out.push_back(partitionLagFamily("wsd_log_consumer_lag",
                                     "Kafka: records this gateway has yet to read, per partition (high watermark "
                                     "minus position)",
                                     lag));
  });
}

// Server messages are rendered with "type" first (core/server_messages.cpp).
std::size_t serverMessageTypeIndex(std::string_view text) {
  constexpr std::string_view kPrefix = R"({"type":")";
  if (text.substr(0, kPrefix.size()) != kPrefix) return kOtherServerType;
  text.remove_prefix(kPrefix.size());
  const auto quote = text.find('"');
  if (quote == std::string_view::npos) return kOtherServerType;
  const std::string_view type = text.substr(0, quote);
  const auto* found = std::lower_bound(kServerMessageTypes.begin(), kServerMessageTypes.end(), type);
  if (found == kServerMessageTypes.end() || *found != type) return kOtherServerType;
  return static_cast<std::size_t>(found - kServerMessageTypes.begin());
}

std::string_view serverMessageType(std::string_view text) {
  const auto index = serverMessageTypeIndex(text);
  return index == kOtherServerType ? "other" : kServerMessageTypes[index];
}

}  // namespace wsd
