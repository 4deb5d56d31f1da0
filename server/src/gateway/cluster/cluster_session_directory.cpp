#include "gateway/cluster/cluster_session_directory.h"

#include <utility>

#include "gateway/routes/stream_routes.h"
#include "store/redis_layout.h"

namespace wsd {

ClusterSessionDirectory::ClusterSessionDirectory(RedisBridge& redis, GatewayContext& ctx)
    : ctx_(ctx), redis_(redis), polls_(redis, ctx.options), held_(polls_, ctx), remotes_(ctx, redis, polls_) {
  ctx.pipeline.observe([this](const Event& event, const Effects&) {
    if (event.type != EventType::kConnClose) return;
    polls_.onSessionEnded(event.conn, unknownConnResponse());
    awaited_.sessionEnded(event.conn, wallClockMs());
  });
}

std::vector<std::string> ClusterSessionDirectory::channels() const {
  return {std::string(store::redis_layout::kPollReadyChannel), store::redis_layout::gatewayChannel(ctx_.options.node)};
}

void ClusterSessionDirectory::onPublished(const std::string& channel, const std::string& payload) {
  if (channel == store::redis_layout::kPollReadyChannel)
    polls_.onReady(payload);
  else
    onHolderChannelMessage(ctx_.sessions, payload);
}

Session* ClusterSessionDirectory::heldElsewhere(const std::string& conn, Transport transport,
                                                const HttpRequest& request, std::int64_t nowMs) {
  return remotes_.find(conn, transport, request, nowMs);
}

bool ClusterSessionDirectory::shouldAwait(const std::string& conn, Need need) const {
  return awaited_.worthAwaiting(conn, need);
}

void ClusterSessionDirectory::await(lws* request, std::string conn, Need need, std::int64_t nowMs, Resume resume) {
  awaited_.wait(request, std::move(conn), need, nowMs, std::move(resume));
}

void ClusterSessionDirectory::takeShared(lws* request, const std::string& project, const std::string& conn,
                                         std::optional<HttpResponse> refusal, RefuseWhen refuseWhen,
                                         std::int64_t nowMs) {
  polls_.take(request, project, conn, std::move(refusal), refuseWhen, nowMs);
}

bool ClusterSessionDirectory::releaseSharedPoll(lws* request) {
  polls_.release(request);
  return true;  // every poll GET here went to a shared queue
}

// What Redis answered during the pass runs now, with the pass's other writes.
void ClusterSessionDirectory::onPassEnd() {
  redis_.drain();
  awaited_.onApplied(ctx_.state);  // O(requests waiting for a session): few
}

void ClusterSessionDirectory::tick(std::int64_t nowMs) {
  polls_.tick(nowMs);
  awaited_.tick(nowMs);
}

}  // namespace wsd
