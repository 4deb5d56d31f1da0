#include "gateway/net/pending_writes.h"

#include <algorithm>

#include "gateway/sessions/ws_session.h"

namespace wsd {

void PendingWrites::remove(WsSession* session) {
  std::erase(sessions_, session);
  std::replace(flushing_.begin(), flushing_.end(), session, static_cast<WsSession*>(nullptr));
}

void PendingWrites::flush() {
  // A write may fail and end a session, whose destructor runs later (collectGarbage);
  // a session given a message during the flush is listed again for the next one.
  flushing_.swap(sessions_);
  for (WsSession* session : flushing_) {
    if (session != nullptr) session->writeNow();
  }
  flushing_.clear();
}

}  // namespace wsd
