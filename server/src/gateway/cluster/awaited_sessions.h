// Requests naming a session this gateway has not heard of yet. With several gateways, a
// client that got `connected` from one may send its next request to another before that
// one has read the session's conn.open from the log (it trails by milliseconds). Such a
// request waits, for a bounded time, for the session to appear, instead of being
// refused with 404; then its route runs again (answering later, as it cannot write now).
// Likewise a request that needs the session's uid, when the client may already have its
// bind_success from the holder while this gateway has not applied the bind: it waits for
// the uid instead of being answered not_bound. A session this gateway saw end is not
// waited for: a request for it is answered at once (a GET with its final `closed`).
//
// Threads: gateway thread only.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "gateway/net/connection_handle.h"
#include "gateway/sessions/session_directory.h"
#include "store/session_store.h"

namespace wsd {

class AwaitedSessions {
 public:
  // How long a request waits for its session to appear.
  static constexpr std::int64_t kBoundMs = 3000;
  using Resume = SessionDirectory::Resume;
  using Need = SessionDirectory::Need;

  void wait(lws* request, std::string conn, Need need, std::int64_t nowMs, Resume resume);
  // After events were applied: resumes the requests whose session appeared.
  void onApplied(const store::SessionStore& sessions);
  // Resumes the requests that waited long enough (their route will refuse them).
  void tick(std::int64_t nowMs);
  // The request's connection went away.
  void release(lws* request);
  // This gateway applied the session's end (conn.close); remembered for kEndedMemoryMs.
  void sessionEnded(const std::string& conn, std::int64_t nowMs);
  bool endedRecently(const std::string& conn) const { return ended_.contains(conn); }
  // Whether a request naming `conn` should wait for `need`: not for a session this gateway
  // saw end (a request for it is answered at once), but for its bind in any case.
  bool worthAwaiting(const std::string& conn, Need need) const {
    return need == Need::kBoundUid || !endedRecently(conn);
  }
  // Longer than any client waits between two requests of a live session.
  static constexpr std::int64_t kEndedMemoryMs = 60000;

 private:
  struct Waiting {
    lws* request;
    std::string conn;
    Need need;
    std::int64_t sinceMs;
    Resume resume;
  };
  template <typename Ready>
  void resumeIf(Ready ready);

  std::vector<Waiting> waiting_;  // few, and briefly
  std::unordered_set<std::string> ended_;
  std::deque<std::pair<std::int64_t, std::string>> endedOrder_;  // (when, conn), oldest first
};

}  // namespace wsd
