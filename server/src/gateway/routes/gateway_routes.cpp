// The gateway's route table (see the header).
#include "gateway/routes/gateway_routes.h"

#include "gateway/net/connection_state.h"
#include "gateway/routes/admin_routes.h"
#include "gateway/routes/dashboard_route.h"
#include "gateway/routes/health_routes.h"
#include "gateway/routes/server_api_routes.h"
#include "gateway/routes/state_snapshot_route.h"
#include "gateway/routes/stream_routes.h"
#include "gateway/routes/webhook_routes.h"
#include "gateway/sessions/handshake.h"

namespace wsd {
namespace {

using Pattern = PathPattern;

void addOperatorRoutes(RouteTable& table, GatewayContext& ctx, AdminStream& adminStream) {
  for (const char* path : {"/healthz", "/readyz", "/metrics"}) {
    table.add(kGet | kHead, Pattern::exactly(path),
              [&ctx](HttpExchange& x) { return x.answer(healthResponse(ctx, x.request())); });
  }
  table.add(kGet, Pattern::exactly("/admin/events"),
            [&adminStream](HttpExchange& x) { return adminStream.open(x.connection(), x.request()); });
  const auto snapshot = Pattern::exactly("/admin/state-snapshot");
  table.guard(snapshot, [&ctx](const HttpRequest& request) { return refuseUnlessAdmin(ctx, request); });
  table.add(kGet, snapshot, [&ctx](HttpExchange& x) { return x.answer(stateSnapshotResponse(ctx)); });
}

void addDashboardRoutes(RouteTable& table) {
  auto serve = [](HttpExchange& x) {
    return x.answer(dashboardResponse(x.request(), embeddedDashboardAssets(), dashboardSdkDir()));
  };
  for (const char* path : {"/", "/dashboard"}) table.add(kGet | kHead, Pattern::exactly(path), serve);
  table.add(kGet | kHead, Pattern::startingWith("/dashboard/"), serve);
}

// A GET (or HEAD) opens or resumes the stream; any other method carries an action.
void addClientRoutes(RouteTable& table, StreamRoutes& streams) {
  GatewayContext& ctx = streams.ctx;
  table.add(kGet | kHead, Pattern::exactly("/sse"),
            [&ctx](HttpExchange& x) { return openSseStream(ctx, x.connection(), x.state()); });
  table.add(kAnyMethod, Pattern::exactly("/sse"),
            [&streams](HttpExchange& x) { return postAction(streams, x.connection(), x.state(), Transport::kSse); });
  table.add(kGet | kHead, Pattern::exactly("/poll"),
            [&streams](HttpExchange& x) { return pollMessages(streams, x.connection(), x.state()); });
  table.add(kAnyMethod, Pattern::exactly("/poll"),
            [&streams](HttpExchange& x) { return postAction(streams, x.connection(), x.state(), Transport::kPoll); });
  // Not an upgrade: a browser opened the URL; the answer says how to connect.
  table.add(kAnyMethod, Pattern::exactly("/ws"),
            [&ctx](HttpExchange& x) { return x.answer(plainWsGetResponse(ctx, x.request())); });
}

}  // namespace

RouteTable gatewayRoutes(StreamRoutes& streams, MailRoute& mail, AdminStream& adminStream) {
  GatewayContext& ctx = streams.ctx;
  RouteTable table;
  addAdminRoutes(table, ctx);
  addWebhookRoutes(table, ctx);
  addServerApiRoutes(table, ctx);
  table.add(kPost, Pattern::exactly("/mail"), [&mail](HttpExchange& x) { return mail.handle(x); });
  table.add(kAnyMethod, Pattern::exactly("/mail"), [&mail](HttpExchange& x) { return mail.refuseMethod(x); });
  addOperatorRoutes(table, ctx, adminStream);
  addDashboardRoutes(table);
  addClientRoutes(table, streams);
  return table;
}

}  // namespace wsd
