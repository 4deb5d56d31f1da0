// The admin dashboard's files over HTTP: GET / is the page (dashboard/index.html), GET
// /dashboard/<path> its styles, scripts and the JS SDK, all from the table compiled into
// wsd (dashboard_assets.h). The page itself holds no secret: it asks for the admin token
// and calls the admin API with it, like any other client.
//
// Threads: gateway thread only (the answers are built from constant data).
#pragma once

#include <string_view>

#include "core/http_request.h"
#include "gateway/net/http_response.h"
#include "gateway/routes/dashboard_assets.h"

namespace wsd {

// The answer to a request on a dashboard path: the file, 404, or 405 for methods other
// than GET and HEAD. When `assets` has no SDK (no sdk/ file), sdk/<name>.js is read from
// `sdkDir` instead (see dashboardSdkDir()); a file read on the gateway thread, a few KiB.
HttpResponse dashboardResponse(const HttpRequest& request, std::span<const DashboardAsset> assets,
                               std::string_view sdkDir = {});
// "text/html; charset=utf-8" and so on, by the file's extension.
std::string_view contentTypeOf(std::string_view path);

}  // namespace wsd
