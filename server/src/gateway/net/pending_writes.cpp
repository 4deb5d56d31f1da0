#include "gateway/net/pending_writes.h"

#include <algorithm>
#include <utility>

#include "gateway/sessions/ws_session.h"

namespace wsd {

void PendingWrites::remove(WsSession* session) {
  std::erase(sessions_, session);
  std::replace(flushing_.begin(), flushing_.end(), session, static_cast<WsSession*>(nullptr));
}

// A fan-out lists thousands of sessions, and each write's first touch of a session, its
// queue and its connection missed the cache: 14 % of the CPU of a broadcast to 5,000
// (docs/performance.md, "Broadcast"). The sessions a few places ahead are loaded in
// stages while the current one's send(2) runs.
void PendingWrites::prefetchAhead(std::size_t i) const {
  using Stage = WsSession::PrefetchStage;
  constexpr std::pair<std::size_t, Stage> kStages[] = {
      {3, Stage::kSession}, {2, Stage::kQueueAndTransport}, {1, Stage::kConnection}};
  for (const auto& [ahead, stage] : kStages) {
    if (i + ahead < flushing_.size() && flushing_[i + ahead] != nullptr) flushing_[i + ahead]->prefetchForWrite(stage);
  }
}

void PendingWrites::flush() {
  // A write may fail and end a session, whose destructor runs later (collectGarbage);
  // a session given a message during the flush is listed again for the next one.
  flushing_.swap(sessions_);
  const std::size_t count = flushing_.size();
  for (std::size_t i = 0; i < count; ++i) {
    prefetchAhead(i);
    if (flushing_[i] != nullptr) flushing_[i]->writeNow();
  }
  flushing_.clear();
}

}  // namespace wsd
