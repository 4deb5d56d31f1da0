// Every HTTP route of the gateway in one table: method(s) + path -> handler(HttpExchange&).
// GatewayServer::dispatch looks a request up here (routes/gateway_routes.h fills it).
//
// A request is answered by, in this order:
//   1. 404 not_found when no route's path matches;
//   2. the guards of its path (the admin token on the admin API: a caller without it
//      learns nothing, not even which methods a path takes);
//   3. the first route whose path and method match, in the order they were added;
//   4. 405 method_not_allowed when its path has routes, none for its method.
//
// Lookup is O(routes): a few dozen, compared as strings.
//
// Threads: gateway thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/routes/http_exchange.h"

namespace wsd {

// A set of HTTP methods (bits).
using Methods = std::uint32_t;
inline constexpr Methods kGet = 1U << 0;
inline constexpr Methods kHead = 1U << 1;
inline constexpr Methods kPost = 1U << 2;
inline constexpr Methods kPut = 1U << 3;
inline constexpr Methods kPatch = 1U << 4;
inline constexpr Methods kDelete = 1U << 5;
// Every method, including ones wsd has no name for.
inline constexpr Methods kAnyMethod = ~Methods{0};

// The bit of `method` ("GET", ...); 0 for a method wsd has no name for.
Methods methodBit(std::string_view method);

class PathPattern {
 public:
  // Just `path`.
  static PathPattern exactly(std::string path);
  // `prefix` and anything after it.
  static PathPattern startingWith(std::string prefix);
  // `before`, then one non-empty segment (no '/'), then `after`: /api/rooms/<room>/send.
  static PathPattern withSegment(std::string before, std::string after);

  bool matches(std::string_view path) const;

 private:
  enum class Kind { kExact, kPrefix, kSegment };
  PathPattern(Kind kind, std::string before, std::string after)
      : kind_(kind), before_(std::move(before)), after_(std::move(after)) {}

  Kind kind_;
  std::string before_;
  std::string after_;  // kSegment only
};

class RouteTable {
 public:
  // Answers the request, now or later; returns the libwebsockets result (0, or -1 to close).
  using Handler = std::function<int(HttpExchange&)>;
  // A refusal that comes before the method is looked at; nullopt lets the request on.
  using Guard = std::function<std::optional<HttpResponse>(const HttpRequest&)>;

  void add(Methods methods, PathPattern path, Handler handler);
  void guard(PathPattern path, Guard check);

  // Looks the request up and runs its handler, or answers 404, a guard's refusal or 405.
  int dispatch(HttpExchange& exchange) const;

 private:
  struct Route {
    Methods methods;
    PathPattern path;
    Handler handler;
  };
  struct PathGuard {
    PathPattern path;
    Guard check;
  };

  std::vector<Route> routes_;
  std::vector<PathGuard> guards_;
};

}  // namespace wsd
