#include "gateway/cluster/change_acks.h"

#include <cstdio>

#include "core/json.h"
#include "gateway/gateway_context.h"
#include "logging/logger.h"

namespace wsd {

bool ChangeAcks::acknowledged(EventType type) {
  switch (type) {
    case EventType::kProjectCreate:
    case EventType::kProjectDelete:
    case EventType::kProjectUpdate:
    case EventType::kProjectSecret:
    case EventType::kTokenIssue:
    case EventType::kTokenRevoke:
    case EventType::kTokenUpdate: return true;
    default: return false;
  }
}

bool ChangeAcks::clustered() const { return ctx_.options.nodeHeartbeatMs > 0; }

void ChangeAcks::observe(const Event& event) {
  if (!clustered()) return;
  if (acknowledged(event.type)) {
    ctx_.pipeline.submit(acknowledgment(event.project, event.id, ctx_.decideContext()));
    return;
  }
  if (event.type != EventType::kNodeApplied) return;
  auto it = waiting_.find(json::string(event.data, "event").value_or(""));
  if (it == waiting_.end()) return;
  it->second.pending.erase(event.node);
  if (!it->second.pending.empty()) return;
  auto done = std::move(it->second.done);
  waiting_.erase(it);
  done();
}

std::set<std::string> ChangeAcks::livePeers(std::int64_t nowMs) const {
  std::set<std::string> peers;
  if (!clustered()) return peers;
  for (const auto& [node, lastHeardMs] : sightings_.lastHeard()) {
    if (node != ctx_.options.node && nowMs - lastHeardMs < ctx_.options.nodeTimeoutMs) peers.insert(node);
  }
  return peers;
}

void ChangeAcks::whenAppliedEverywhere(const std::string& eventId, std::function<void()> done) {
  if (!clustered()) return done();
  const std::int64_t now = wallClockMs();
  Waiting waiting{livePeers(now), std::move(done), now + ctx_.options.nodeTimeoutMs};
  if (waiting.pending.empty()) return waiting.done();
  waiting_.emplace(eventId, std::move(waiting));
}

void ChangeAcks::tick(std::int64_t nowMs) {
  for (auto it = waiting_.begin(); it != waiting_.end();) {
    if (nowMs < it->second.deadlineMs) {
      ++it;
      continue;
    }
    std::string silent;
    for (const auto& node : it->second.pending) silent += (silent.empty() ? "" : ", ") + node;
    logging::warn("change " + it->first + " answered without the acknowledgment of " + silent +
                  " (silent past the node timeout)");
    auto done = std::move(it->second.done);
    it = waiting_.erase(it);
    done();
  }
}

}  // namespace wsd
