#include "gateway/gateway_metrics.h"

#include <algorithm>
#include <array>

namespace wsd {
namespace {

// schemas/server: the only types a label may take (anything else counts as "other").
constexpr std::array<std::string_view, 24> kServerTypes = {
    "bind_success",
    "broadcast",
    "closed",
    "connected",
    "direct",
    "error",
    "list",
    "offline",
    "online",
    "online_result",
    "ping",
    "pong",
    "room_created",
    "room_history",
    "room_joined",
    "room_left",
    "room_member_joined",
    "room_member_left",
    "room_message",
    "room_send_success",
    "send_success",
    "webrtc_answer",
    "webrtc_ice",
    "webrtc_offer",
};

}  // namespace

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

metrics::Family partitionLagFamily(std::string name, std::string help, const std::vector<log::PartitionLag>& lag) {
  metrics::Family family{std::move(name), std::move(help), metrics::Kind::kGauge, {}};
  for (const auto& p : lag) {
    family.samples.push_back({"", {{"partition", std::to_string(p.partition)}}, static_cast<double>(p.records)});
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
std::string_view serverMessageType(std::string_view text) {
  constexpr std::string_view kPrefix = R"({"type":")";
  if (text.substr(0, kPrefix.size()) != kPrefix) return "other";
  text.remove_prefix(kPrefix.size());
  const auto quote = text.find('"');
  if (quote == std::string_view::npos) return "other";
  const std::string_view type = text.substr(0, quote);
  return std::find(kServerTypes.begin(), kServerTypes.end(), type) != kServerTypes.end() ? type : "other";
}

}  // namespace wsd
