// wslog's one HTTP call: GET /admin/state-snapshot of a live wsd, with its admin token
// (libcurl, blocking; wslog does nothing else meanwhile).
#pragma once

#include <string>

#include "core/result.h"

namespace wsd::wslog {

// The body of a 200 answer from BASE_URL/admin/state-snapshot. Errors: `wsd_unreachable`
// (curl's reason) or `wsd_refused` (the status and the server's error body).
Result<std::string> fetchStateSnapshot(const std::string& baseUrl, const std::string& adminToken);

// The admin token in `path` (wsd's DATA_DIR/admin-token), surrounding blanks dropped.
Result<std::string> readAdminToken(const std::string& path);

}  // namespace wsd::wslog
