#include "gateway/sessions/local_session_directory.h"

#include <cassert>

namespace wsd {

Session* LocalSessionDirectory::heldElsewhere(const std::string& /*conn*/, Transport /*transport*/,
                                              const HttpRequest& /*request*/, std::int64_t /*nowMs*/) {
  return nullptr;  // no other gateway to ask
}

bool LocalSessionDirectory::shouldAwait(const std::string& /*conn*/, Need /*need*/) const {
  // What this gateway has not applied, no other gateway told the client: nothing to wait for.
  return false;
}

void LocalSessionDirectory::await(lws* /*request*/, std::string /*conn*/, Need /*need*/, std::int64_t /*nowMs*/,
                                  Resume /*resume*/) {
  assert(false && "await() without shouldAwait(): a local directory never waits");
}

void LocalSessionDirectory::takeShared(lws* /*request*/, const std::string& /*project*/, const std::string& /*conn*/,
                                       std::optional<HttpResponse> /*refusal*/, RefuseWhen /*refuseWhen*/,
                                       std::int64_t /*nowMs*/) {
  assert(false && "takeShared() without a shared queue");
}

}  // namespace wsd
