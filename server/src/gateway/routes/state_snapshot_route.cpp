// The state snapshot route (see the header).
#include "gateway/routes/state_snapshot_route.h"

#include "store/projection_snapshot.h"

namespace wsd {
namespace {

void writeOffsets(json::Writer& w, const LogOffsets& offsets) {
  w.StartObject();
  for (const auto& [partition, next] : offsets) json::field(w, std::to_string(partition), next);
  w.EndObject();
}

}  // namespace

HttpResponse stateSnapshotResponse(const GatewayContext& ctx) {
  const ProjectionCursor& cursor = ctx.pipeline.cursor();
  const store::Snapshot snapshot = store::snapshotOf(ctx.state, cursor.projects());
  return successResponse([&](json::Writer& w) {
    json::field(w, "node", ctx.options.node);
    json::field(w, "log", ctx.options.logName);
    json::key(w, "offsets");
    writeOffsets(w, cursor.next());
    json::field(w, "applied", static_cast<std::int64_t>(cursor.applied()));
    json::key(w, "limits");
    w.StartObject();
    json::field(w, "maxInbox", static_cast<std::int64_t>(ctx.options.projectorLimits.inboxMax));
    json::field(w, "maxRoomsPerConn", static_cast<std::int64_t>(ctx.options.projectorLimits.roomsPerConn));
    w.EndObject();
    json::field(w, "digest", store::digestOf(snapshot));
    json::key(w, "keys");
    store::writeEntries(w, snapshot);
  });
}

}  // namespace wsd
