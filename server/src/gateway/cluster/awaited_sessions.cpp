#include "gateway/cluster/awaited_sessions.h"

#include <algorithm>

#include "gateway/net/http.h"

namespace wsd {

void AwaitedSessions::wait(lws* request, std::string conn, Need need, std::int64_t nowMs, Resume resume) {
  waiting_.push_back({request, std::move(conn), need, nowMs, std::move(resume)});
}

template <typename Ready>
void AwaitedSessions::resumeIf(Ready ready) {
  if (waiting_.empty()) return;
  std::vector<Waiting> due;
  auto split = std::stable_partition(waiting_.begin(), waiting_.end(), [&](const Waiting& w) { return !ready(w); });
  std::move(split, waiting_.end(), std::back_inserter(due));
  waiting_.erase(split, waiting_.end());
  for (auto& w : due) w.resume(w.request);  // may wait() again: waiting_ is consistent by now
}

void AwaitedSessions::onApplied(const store::SessionStore& sessions) {
  resumeIf([&](const Waiting& w) {
    auto session = sessions.session(w.conn);
    // A session that ended meanwhile resumes too: its route refuses the request at once.
    if (w.need == Need::kBoundUid) return !session || !session->uid.empty();
    return session.has_value();
  });
}

void AwaitedSessions::sessionEnded(const std::string& conn, std::int64_t nowMs) {
  if (ended_.insert(conn).second) endedOrder_.emplace_back(nowMs, conn);
}

void AwaitedSessions::tick(std::int64_t nowMs) {
  while (!endedOrder_.empty() && nowMs - endedOrder_.front().first >= kEndedMemoryMs) {
    ended_.erase(endedOrder_.front().second);
    endedOrder_.pop_front();
  }
  // A client that gave up waiting is let go now: libwebsockets does not read its hang-up
  // while the answer is pending, and would wake its loop for it until the bound.
  std::erase_if(waiting_, [](const Waiting& w) {
    if (!peerHungUp(w.request)) return false;
    closeSoon(w.request);
    return true;
  });
  resumeIf([&](const Waiting& w) { return nowMs - w.sinceMs >= kBoundMs; });
}

void AwaitedSessions::release(lws* request) {
  std::erase_if(waiting_, [&](const Waiting& w) { return w.request == request; });
}

}  // namespace wsd
