// The admin API's changes to projects and tokens (gateway/routes/admin_routes.cpp) as the events
// that record them. Kept apart from the routes so that what the log holds for each change
// (schemas/events/project.*.json, token.*.json) is laid out in one place, and tested
// against those schemas without a server.
//
// The route has checked the request and the project; nothing here looks anything up.
// Every event has an empty `conn` (no client connection acts) and is decided at
// ctx.nowMs, the time a created thing is created at.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/decide.h"
#include "core/event.h"
#include "store/state_store.h"

namespace wsd {

std::shared_ptr<Event> projectCreateEvent(const std::string& key, const std::string& name, const DecideContext& ctx);
std::shared_ptr<Event> projectDeleteEvent(const std::string& key, const DecideContext& ctx);
// `settings` is the request's settings object (schemas/http/project_update_request.json),
// recorded whole: the projector applies exactly what was asked.
std::shared_ptr<Event> projectUpdateEvent(const std::string& key, const rapidjson::Value& settings,
                                          const DecideContext& ctx);
// A new current server secret; the ones it replaces stay valid `graceMs` past ctx.nowMs.
std::shared_ptr<Event> projectSecretEvent(const std::string& key, const std::string& secret, std::int64_t graceMs,
                                          const DecideContext& ctx);

// `token.expiresAt` nullopt: never expires (recorded as null).
std::shared_ptr<Event> tokenIssueEvent(const std::string& project, const store::TokenRecord& token,
                                       const DecideContext& ctx);
std::shared_ptr<Event> tokenRevokeEvent(const std::string& project, const std::string& token, const DecideContext& ctx);
// The token's new expiry (nullopt: never).
std::shared_ptr<Event> tokenUpdateEvent(const std::string& project, const std::string& token,
                                        const std::optional<std::int64_t>& expiresAt, const DecideContext& ctx);

}  // namespace wsd
