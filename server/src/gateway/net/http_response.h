// An HTTP answer as the routes build it, and the JSON shapes every API answer takes.
// No libwebsockets here (net/http.h writes these to a connection), so routes and their
// tables are tested without a network.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/json.h"

namespace wsd {

struct HttpResponse {
  int status = 200;
  std::string body;
  std::string contentType = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;  // extra ones, e.g. Set-Cookie
};

// The JSON body of every HTTP error: {"status":"error","code":...,"msg":...}.
std::string errorBody(std::string_view code, std::string_view message);
HttpResponse errorResponse(int status, std::string_view code, std::string_view message);
// 200 with {"status":"success", ...what `fields` writes}: how the admin and server APIs answer.
HttpResponse successResponse(const std::function<void(json::Writer&)>& fields);

}  // namespace wsd
