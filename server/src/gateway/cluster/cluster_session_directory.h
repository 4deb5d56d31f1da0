// The session directory given --redis (sessions/session_directory.h): SSE and polling
// clients may spread the requests of one session over every gateway. Its parts: the
// Redis bridge; the poll queues every gateway reads (shared_poll_queues.h, and
// held_poll_queues.h for the sessions held here); the sessions held elsewhere that this
// gateway acts for (remote_session.h); and the requests waiting for a session or bind
// this gateway has not read from the log yet (awaited_sessions.h).
//
// Threads: gateway thread only.
#pragma once

#include <string>
#include <vector>

#include "gateway/cluster/awaited_sessions.h"
#include "gateway/cluster/held_poll_queues.h"
#include "gateway/cluster/redis_bridge.h"
#include "gateway/cluster/remote_session.h"
#include "gateway/cluster/shared_poll_queues.h"
#include "gateway/gateway_context.h"
#include "gateway/sessions/session_directory.h"

namespace wsd {

class ClusterSessionDirectory final : public SessionDirectory {
 public:
  // Before the pipeline starts: it observes the sessions' ends. `redis` and `ctx` outlive it.
  ClusterSessionDirectory(RedisBridge& redis, GatewayContext& ctx);

  // The Redis channels to subscribe: where polls are said ready, and this gateway's own.
  std::vector<std::string> channels() const;
  // Something was published on one of channels().
  void onPublished(const std::string& channel, const std::string& payload);

  Session* heldElsewhere(const std::string& conn, Transport transport, const HttpRequest& request,
                         std::int64_t nowMs) override;
  bool sessionsMayTrail() const override { return true; }
  bool shouldAwait(const std::string& conn, Need need) const override;
  void await(lws* request, std::string conn, Need need, std::int64_t nowMs, Resume resume) override;

  SharedPollQueue* sharedPollQueue() override { return &held_; }
  void takeShared(lws* request, const std::string& project, const std::string& conn,
                  std::optional<HttpResponse> refusal, RefuseWhen refuseWhen, std::int64_t nowMs) override;

  void releaseWaiting(lws* request) override { awaited_.release(request); }
  bool releaseSharedPoll(lws* request) override;
  void onPassEnd() override;
  void tick(std::int64_t nowMs) override;
  void sweep(std::int64_t nowMs) override { remotes_.tick(nowMs); }

 private:
  GatewayContext& ctx_;
  RedisBridge& redis_;
  SharedPollQueues polls_;
  HeldPollQueues held_;
  RemoteSessions remotes_;
  AwaitedSessions awaited_;
};

}  // namespace wsd
