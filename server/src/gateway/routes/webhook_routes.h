// The admin API of webhooks, behind `Authorization: Bearer <admin-token>` like /project:
//
//   POST   /webhook  {projectKey, url, events:[...], secret?}  -> the webhook and its secret
//   GET    /webhook?projectKey=P                             -> the project's webhooks
//   DELETE /webhook?projectKey=P&id=ID
//
// Changes are events (webhook.add, webhook.remove): the answer is sent once the event is
// applied, so a 200 means the change is in the log. The secret is shown once, in the
// answer to POST; GET never shows it. docs/webhooks.md.
//
// Threads: gateway thread only.
#pragma once

#include "gateway/gateway_context.h"
#include "gateway/routes/route_table.h"

namespace wsd {

// The webhook routes, behind the admin token.
void addWebhookRoutes(RouteTable& table, GatewayContext& ctx);

}  // namespace wsd
