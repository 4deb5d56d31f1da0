// The session directory without Redis: this gateway knows only the sessions it holds.
// A request naming one held elsewhere finds nothing and waits for nothing (it is refused
// at once, 404 unknown_conn); every poll session keeps its queue in memory; the loop has
// nothing of it to drive. Each client must therefore stay on the gateway holding its
// session (sticky load balancing, docs/operations.md).
//
// Threads: gateway thread only.
#pragma once

#include "gateway/sessions/session_directory.h"

namespace wsd {

class LocalSessionDirectory final : public SessionDirectory {
 public:
  Session* heldElsewhere(const std::string& conn, Transport transport, const HttpRequest& request,
                         std::int64_t nowMs) override;
  bool sessionsMayTrail() const override { return false; }
  bool shouldAwait(const std::string& conn, Need need) const override;
  void await(lws* request, std::string conn, Need need, std::int64_t nowMs, Resume resume) override;

  SharedPollQueue* sharedPollQueue() override { return nullptr; }
  void takeShared(lws* request, const std::string& project, const std::string& conn,
                  std::optional<HttpResponse> refusal, RefuseWhen refuseWhen, std::int64_t nowMs) override;

  void releaseWaiting(lws* /*request*/) override {}
  bool releaseSharedPoll(lws* /*request*/) override { return false; }
  void onPassEnd() override {}
  void tick(std::int64_t /*nowMs*/) override {}
  void sweep(std::int64_t /*nowMs*/) override {}
};

}  // namespace wsd
