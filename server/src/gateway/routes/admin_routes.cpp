#include "gateway/routes/admin_routes.h"

#include "core/admin_events.h"
#include "core/constant_time.h"
#include "core/error_codes.h"
#include "core/http_framing.h"
#include "core/ids.h"
#include "core/json.h"
#include "gateway/cluster/change_acks.h"
#include "gateway/routes/applied_answer.h"

namespace wsd {
namespace {

// ---- answers --------------------------------------------------------------------------

void optionalTime(json::Writer& w, const char* key, const std::optional<std::int64_t>& value) {
  json::key(w, key);
  if (value)
    w.Int64(*value);
  else
    w.Null();
}

void tokenFields(json::Writer& w, const store::TokenRecord& t) {
  json::field(w, "token", t.token);
  optionalTime(w, "expiresAt", t.expiresAt);
  json::field(w, "createdAt", t.createdAt);
}

HttpResponse tokenAnswer(const std::string& project, const store::TokenRecord& t) {
  return successResponse([&](json::Writer& w) {
    tokenFields(w, t);
    json::field(w, "projectKey", project);
  });
}

HttpResponse statusForRejection(const Error& error) {
  int status = error.code == error_codes::kProjectExists.name ? 409 : error.code.ends_with("_not_found") ? 404 : 400;
  return errorResponse(status, error.code, error.message);
}

// ---- request checks ---------------------------------------------------------------------

std::optional<HttpResponse> parseBody(const GatewayContext& ctx, const HttpRequest& request, const char* schema,
                                      json::Document& body) {
  if (request.bodyTooLarge) return errorResponse(413, error_codes::kBadRequest.name, "request body too large");
  if (!json::parse(body, request.body) || !body.IsObject()) {
    return errorResponse(400, error_codes::kBadRequest.name, "the body must be a JSON object");
  }
  if (auto problem = ctx.schemas.check(schema, body))
    return errorResponse(400, error_codes::kBadRequest.name, *problem);
  return std::nullopt;
}

// expiresAt: absent -> the default lifetime; null -> never; a number -> ms since the epoch,
// or seconds when below 1e11 (no millisecond expiry is that early: it is 1973), so a
// client that sends Unix seconds gets what it meant.
std::optional<std::int64_t> expiryFrom(const GatewayContext& ctx, const rapidjson::Value& body, std::int64_t now) {
  const auto* v = json::member(body, "expiresAt");
  if (v == nullptr) {
    if (ctx.options.tokenTtlMs == 0) return std::nullopt;
    return now + ctx.options.tokenTtlMs;
  }
  if (v->IsNull()) return std::nullopt;
  constexpr double kSecondsBelow = 1e11;
  // The request schema bounds it to [0, end of year 9999], so the conversion is exact.
  const double value = v->GetDouble();
  return static_cast<std::int64_t>(value < kSecondsBelow ? value * 1000 : value);
}

// ---- the routes -----------------------------------------------------------------------

struct Route {
  GatewayContext& ctx;
  HttpExchange& exchange;
  const HttpRequest& request = exchange.request();

  // Appends `event`; answers with `answer(effects)` once applied (by every gateway, for
  // a change they enforce: change_acks.h), or the rejection.
  int later(std::shared_ptr<Event> event, std::function<HttpResponse(const Effects&)> answer) {
    AppliedAnswer answering{
        [answer = std::move(answer)](const Effects& effects) { return answer(effects); }, statusForRejection, {}, {}};
    if (ChangeAcks* acks = ChangeAcks::acknowledged(event->type) ? ctx.changeAcks : nullptr) {
      answering.hold = [acks, eventId = event->id](std::function<void()> release) {
        acks->whenAppliedEverywhere(eventId, std::move(release));
      };
    }
    return appendThenAnswer(ctx.pipeline, exchange, std::move(event), std::move(answering));
  }

  int now(const HttpResponse& response) { return exchange.answer(response); }

  int createProject() {
    json::Document body;
    if (auto bad = parseBody(ctx, request, "http/project_create_request", body)) return now(*bad);
    auto key = json::string(body, "key").value_or("");
    auto name = json::string(body, "name").value_or(key);
    if (ctx.state.project(key))
      return now(errorResponse(409, error_codes::kProjectExists.name, "project '" + key + "' already exists"));
    auto e = projectCreateEvent(key, name, ctx.decideContext());
    const std::int64_t createdAt = e->ts;
    return later(std::move(e), [key, name, createdAt](const Effects&) {
      return successResponse([&](json::Writer& w) {
        json::field(w, "key", key);
        json::field(w, "name", name);
        json::field(w, "createdAt", createdAt);
      });
    });
  }

  int listProjects() {
    return now(successResponse([&](json::Writer& w) {
      json::key(w, "projects");
      w.StartArray();
      for (const auto& p : ctx.state.projects()) {
        w.StartObject();
        json::field(w, "key", p.key);
        json::field(w, "name", p.name);
        json::field(w, "createdAt", p.createdAt);
        json::field(w, "connections", static_cast<std::int64_t>(ctx.state.connsOfProject(p.key).size()));
        json::field(w, "online", static_cast<std::int64_t>(ctx.state.onlineUids(p.key).size()));
        json::key(w, "settings");
        p.settings.writePublic(w, wallClockMs());
        json::key(w, "tokens");
        w.StartArray();
        for (const auto& t : ctx.state.tokens(p.key)) {
          w.StartObject();
          tokenFields(w, t);
          w.EndObject();
        }
        w.EndArray();
        w.EndObject();
      }
      w.EndArray();
    }));
  }

  int deleteProject() {
    auto key = request.param("key");
    if (key.empty()) return now(errorResponse(400, error_codes::kBadRequest.name, "query parameter 'key' is required"));
    if (!ctx.state.project(key))
      return now(errorResponse(404, error_codes::kProjectNotFound.name, "no project '" + key + "'"));
    auto e = projectDeleteEvent(key, ctx.decideContext());
    return later(std::move(e), [](const Effects&) { return successResponse([](json::Writer&) {}); });
  }

  // PATCH /project: changes the settings the body names; the answer shows them all.
  int updateProject() {
    json::Document body;
    if (auto bad = parseBody(ctx, request, "http/project_update_request", body)) return now(*bad);
    auto key = json::string(body, "key").value_or("");
    auto project = ctx.state.project(key);
    if (!project) return now(errorResponse(404, error_codes::kProjectNotFound.name, "no project '" + key + "'"));
    auto e = projectUpdateEvent(key, body["settings"], ctx.decideContext());
    const std::int64_t at = e->ts;
    // The answer is read once the event is applied: the project as the log made it, with
    // every earlier change to it (a secret issued through another gateway, say) in it.
    return later(std::move(e), [&state = ctx.state, key, at](const Effects&) {
      auto updated = state.project(key);
      if (!updated) return errorResponse(404, error_codes::kProjectNotFound.name, "no project '" + key + "'");
      return successResponse([&](json::Writer& w) {
        json::field(w, "key", updated->key);
        json::field(w, "name", updated->name);
        json::field(w, "createdAt", updated->createdAt);
        json::key(w, "settings");
        updated->settings.writePublic(w, at);
      });
    });
  }

  // POST /project/secret: a new server secret. The one it replaces stays valid for
  // `graceSeconds` (default 0), so a backend can switch without a refused call.
  int rotateSecret() {
    json::Document body;
    if (auto bad = parseBody(ctx, request, "http/project_secret_request", body)) return now(*bad);
    auto key = json::string(body, "key").value_or("");
    auto project = ctx.state.project(key);
    if (!project) return now(errorResponse(404, error_codes::kProjectNotFound.name, "no project '" + key + "'"));
    const std::string secret = randomHex(32);
    const std::int64_t graceMs = json::int64(body, "graceSeconds").value_or(0) * 1000;
    auto e = projectSecretEvent(key, secret, graceMs, ctx.decideContext());
    std::optional<std::int64_t> previousValidUntil;
    if (!project->settings.validSecrets(e->ts).empty()) previousValidUntil = e->ts + graceMs;
    const std::int64_t createdAt = e->ts;
    return later(std::move(e), [key, secret, createdAt, previousValidUntil](const Effects&) {
      return successResponse([&](json::Writer& w) {
        json::field(w, "key", key);
        json::field(w, "secret", secret);
        json::field(w, "createdAt", createdAt);
        optionalTime(w, "previousValidUntil", previousValidUntil);
      });
    });
  }

  int issueToken() {
    json::Document body;
    if (auto bad = parseBody(ctx, request, "http/token_create_request", body)) return now(*bad);
    auto project = json::string(body, "projectKey").value_or("");
    if (!ctx.state.project(project))
      return now(errorResponse(404, error_codes::kProjectNotFound.name, "no project '" + project + "'"));
    const DecideContext decided = ctx.decideContext();
    store::TokenRecord record{randomHex(20), expiryFrom(ctx, body, decided.nowMs), decided.nowMs};
    auto e = tokenIssueEvent(project, record, decided);
    return later(std::move(e), [project, record](const Effects&) { return tokenAnswer(project, record); });
  }

  int revokeToken() {
    auto project = request.param("projectKey");
    auto token = request.param("token");
    if (project.empty() || token.empty()) {
      return now(
          errorResponse(400, error_codes::kBadRequest.name, "query parameters 'projectKey' and 'token' are required"));
    }
    if (!ctx.state.project(project))
      return now(errorResponse(404, error_codes::kProjectNotFound.name, "no project '" + project + "'"));
    if (!ctx.state.token(project, token))
      return now(errorResponse(404, error_codes::kTokenNotFound.name, "no such token"));
    auto e = tokenRevokeEvent(project, token, ctx.decideContext());
    return later(std::move(e), [](const Effects&) { return successResponse([](json::Writer&) {}); });
  }

  int updateToken() {
    json::Document body;
    if (auto bad = parseBody(ctx, request, "http/token_update_request", body)) return now(*bad);
    auto project = json::string(body, "projectKey").value_or("");
    auto token = json::string(body, "token").value_or("");
    if (!ctx.state.project(project))
      return now(errorResponse(404, error_codes::kProjectNotFound.name, "no project '" + project + "'"));
    auto record = ctx.state.token(project, token);
    if (!record) return now(errorResponse(404, error_codes::kTokenNotFound.name, "no such token"));
    const DecideContext decided = ctx.decideContext();
    record->expiresAt = expiryFrom(ctx, body, decided.nowMs);
    auto e = tokenUpdateEvent(project, token, record->expiresAt, decided);
    return later(std::move(e), [project, updated = *record](const Effects&) { return tokenAnswer(project, updated); });
  }
};

}  // namespace

std::optional<HttpResponse> refuseUnlessAdmin(const GatewayContext& ctx, const HttpRequest& request) {
  if (adminAuthorized(ctx, request)) return std::nullopt;
  return errorResponse(401, error_codes::kUnauthorized.name,
                       "missing or wrong admin token (Authorization: Bearer ...)");
}

bool adminAuthorized(const GatewayContext& ctx, const HttpRequest& request) {
  const auto given = http::bearerCredentials(request.authorization);
  return given && equalInConstantTime(*given, ctx.options.adminToken);
}

void addAdminRoutes(RouteTable& table, GatewayContext& ctx) {
  for (const char* path : {"/project", "/project/secret", "/token"}) {
    table.guard(PathPattern::exactly(path),
                [&ctx](const HttpRequest& request) { return refuseUnlessAdmin(ctx, request); });
  }
  auto route = [&ctx](int (Route::*handler)()) {
    return [&ctx, handler](HttpExchange& exchange) { return (Route{ctx, exchange}.*handler)(); };
  };
  table.add(kPost, PathPattern::exactly("/project"), route(&Route::createProject));
  table.add(kGet, PathPattern::exactly("/project"), route(&Route::listProjects));
  table.add(kPatch, PathPattern::exactly("/project"), route(&Route::updateProject));
  table.add(kDelete, PathPattern::exactly("/project"), route(&Route::deleteProject));
  table.add(kPost, PathPattern::exactly("/project/secret"), route(&Route::rotateSecret));
  table.add(kPost, PathPattern::exactly("/token"), route(&Route::issueToken));
  table.add(kDelete, PathPattern::exactly("/token"), route(&Route::revokeToken));
  table.add(kPatch, PathPattern::exactly("/token"), route(&Route::updateToken));
}

}  // namespace wsd
