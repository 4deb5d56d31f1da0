// The gateway's route table (see the header).
#include "gateway/routes/route_table.h"

#include <algorithm>
#include <array>
#include <utility>

#include "core/error_codes.h"

namespace wsd {

Methods methodBit(std::string_view method) {
  static constexpr std::array<std::pair<std::string_view, Methods>, 6> kNames = {{
      {"GET", kGet},
      {"HEAD", kHead},
      {"POST", kPost},
      {"PUT", kPut},
      {"PATCH", kPatch},
      {"DELETE", kDelete},
  }};
  for (const auto& [name, bit] : kNames) {
    if (name == method) return bit;
  }
  return 0;
}

PathPattern PathPattern::exactly(std::string path) { return {Kind::kExact, std::move(path), {}}; }

PathPattern PathPattern::startingWith(std::string prefix) { return {Kind::kPrefix, std::move(prefix), {}}; }

PathPattern PathPattern::withSegment(std::string before, std::string after) {
  return {Kind::kSegment, std::move(before), std::move(after)};
}

bool PathPattern::matches(std::string_view path) const {
  switch (kind_) {
    case Kind::kExact: return path == before_;
    case Kind::kPrefix: return path.starts_with(before_);
    case Kind::kSegment: {
      if (path.size() <= before_.size() + after_.size()) return false;  // the segment may not be empty
      if (!path.starts_with(before_) || !path.ends_with(after_)) return false;
      const auto segment = path.substr(before_.size(), path.size() - before_.size() - after_.size());
      return segment.find('/') == std::string_view::npos;
    }
  }
  return false;
}

void RouteTable::add(Methods methods, PathPattern path, Handler handler) {
  routes_.push_back(Route{methods, std::move(path), std::move(handler)});
}

void RouteTable::guard(PathPattern path, Guard check) {
  guards_.push_back(PathGuard{std::move(path), std::move(check)});
}

int RouteTable::dispatch(HttpExchange& exchange) const {
  const HttpRequest& request = exchange.request();
  auto onPath = [&](const Route& route) { return route.path.matches(request.path); };
  if (std::none_of(routes_.begin(), routes_.end(), onPath)) {
    return exchange.answer(errorResponse(404, error_codes::kNotFound.name, "no such endpoint: " + request.path));
  }
  for (const auto& guard : guards_) {
    if (!guard.path.matches(request.path)) continue;
    if (auto refusal = guard.check(request)) return exchange.answer(*refusal);
  }
  const Methods bit = methodBit(request.method);
  for (const auto& route : routes_) {
    if (onPath(route) && (route.methods == kAnyMethod || (route.methods & bit) != 0)) return route.handler(exchange);
  }
  return exchange.answer(
      errorResponse(405, error_codes::kMethodNotAllowed.name, request.method + " is not supported on " + request.path));
}

}  // namespace wsd
