// The operator's endpoints, without auth: GET /healthz (the process serves HTTP),
// GET /readyz (its backends are reachable: 200, or 503 naming what is not) and
// GET /metrics (Prometheus text format 0.0.4; gateway_metrics.h says what is counted).
//
// Threads: gateway thread only.
#pragma once

#include <string_view>

#include "core/http_request.h"
#include "gateway/gateway_context.h"
#include "gateway/net/http_response.h"

namespace wsd {

// The answer to GET (or HEAD) on /healthz, /readyz or /metrics; 405 for other methods.
HttpResponse healthResponse(GatewayContext& ctx, const HttpRequest& request);

// Everything /metrics shows, as families (unit-testable without a network).
std::vector<metrics::Family> collectMetrics(GatewayContext& ctx);

}  // namespace wsd
