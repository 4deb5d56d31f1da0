// Where the sessions an SSE or polling request names may be besides this gateway's own
// (session_registry.h), and what a request does about one it cannot find here. Two
// answers: LocalSessionDirectory (sessions/local_session_directory.h), without Redis: a
// session is held by the gateway its client reached first, and every request of it must
// come back there (sticky load balancing); ClusterSessionDirectory
// (cluster/cluster_session_directory.h), given --redis: a request may reach any gateway,
// which acts for a session another one holds, waits briefly for a session or bind it has
// not read from the log yet, and serves polls from queues every gateway reads.
//
// The stream routes ask it (routes/stream_routes.cpp); the server's loop drives it
// (net/server.cpp: tick, sweep, end of pass); poll sessions opened here get its shared
// queue, if any (shared_poll_queue.h).
//
// Threads: gateway thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/http_request.h"
#include "gateway/net/connection_handle.h"
#include "gateway/net/http_response.h"
#include "gateway/sessions/session.h"
#include "gateway/sessions/shared_poll_queue.h"

namespace wsd {

class SessionDirectory {
 public:
  // What a request that waits for its session waits to see applied.
  enum class Need {
    kSession,   // the session's conn.open
    kBoundUid,  // its bind (the client may have bind_success from the gateway holding it)
  };
  // When a poll GET that carries a refusal gets it.
  enum class RefuseWhen {
    kNothingLeft,  // the session ended: its final `closed`, if still queued, is all there is
    kPollTimeout,  // its token is gone but it is still open: its `closed` is on its way
  };
  // Runs a waiting request's route again, answering later.
  using Resume = std::function<void(lws* request)>;

  virtual ~SessionDirectory() = default;

  // ---- requests naming a session not held here ----------------------------------------

  // The session another gateway holds, as this one acts for it; null if there is none
  // (or no other gateway to look at), or if it is another transport's, or another
  // project's or token's than `request` names. The caller has checked the request's
  // proof of ownership (session_proof.h).
  virtual Session* heldElsewhere(const std::string& conn, Transport transport, const HttpRequest& request,
                                 std::int64_t nowMs) = 0;
  // Whether a client may have heard of its session's open or bind (from another gateway)
  // before this gateway applied it: then an action needing the uid may wait for it.
  virtual bool sessionsMayTrail() const = 0;
  // Whether a request naming `conn`, unknown here (or, with kBoundUid, not known bound),
  // waits for it to appear rather than being refused now.
  virtual bool shouldAwait(const std::string& conn, Need need) const = 0;
  // Holds `request` until `conn` appears (or a bound passes), then runs `resume` once.
  // Only after shouldAwait said yes.
  virtual void await(lws* request, std::string conn, Need need, std::int64_t nowMs, Resume resume) = 0;

  // ---- polling ------------------------------------------------------------------------

  // The queue that poll sessions opened here keep their messages in, shared by every
  // gateway; null: each session keeps its own, and its GETs must come here.
  virtual SharedPollQueue* sharedPollQueue() = 0;
  // A GET for session `conn` of `project`, taken from its shared queue: answered with what
  // is queued, else held. With `refusal` it still takes what was left for the session (its
  // final `closed`) and is answered `refusal` as `refuseWhen` says. Only when
  // sharedPollQueue() is not null.
  virtual void takeShared(lws* request, const std::string& project, const std::string& conn,
                          std::optional<HttpResponse> refusal, RefuseWhen refuseWhen, std::int64_t nowMs) = 0;

  // ---- connections and the loop -------------------------------------------------------

  // The request's connection is going: it waits for no session any more.
  virtual void releaseWaiting(lws* request) = 0;
  // The connection of a poll GET is going. True if the shared queue held the GET; false
  // if the session holding it here must let it go.
  virtual bool releaseSharedPoll(lws* request) = 0;
  // At the end of each loop pass, after the log's commits were applied.
  virtual void onPassEnd() = 0;
  // At every tick of the gateway (at most four times a second): timeouts of held requests.
  virtual void tick(std::int64_t nowMs) = 0;
  // About once a second: forgets what was not used for long.
  virtual void sweep(std::int64_t nowMs) = 0;
};

}  // namespace wsd
