#include "gateway/routes/webhook_routes.h"

#include <algorithm>

#include "core/error_codes.h"
#include "core/ids.h"
#include "core/json.h"
#include "core/webhook_events.h"
#include "gateway/routes/admin_routes.h"
#include "gateway/routes/applied_answer.h"

namespace wsd {
namespace {

void hookFields(json::Writer& w, const store::WebhookRecord& hook) {
  json::field(w, "id", hook.id);
  json::field(w, "url", hook.url);
  json::key(w, "events");
  w.StartArray();
  for (const auto& name : hook.events) json::str(w, name);
  w.EndArray();
  json::field(w, "createdAt", hook.createdAt);
}

HttpResponse projectNotFound(const std::string& project) {
  return errorResponse(404, error_codes::kProjectNotFound.name, "no project '" + project + "'");
}

struct Route {
  GatewayContext& ctx;
  HttpExchange& exchange;
  const HttpRequest& request = exchange.request();

  int now(const HttpResponse& response) { return exchange.answer(response); }

  // Appends `event`; answers with `answer` once applied, or the rejection (*_not_found).
  int later(std::shared_ptr<Event> event, std::function<HttpResponse()> answer) {
    return appendThenAnswer(
        ctx.pipeline, exchange, std::move(event),
        {[answer = std::move(answer)](const Effects&) { return answer(); },
         [](const Error& rejection) { return errorResponse(404, rejection.code, rejection.message); },
         {},
         {}});
  }

  int add() {
    if (request.bodyTooLarge) return now(errorResponse(413, error_codes::kBadRequest.name, "request body too large"));
    json::Document body;
    if (!json::parse(body, request.body) || !body.IsObject()) {
      return now(errorResponse(400, error_codes::kBadRequest.name, "the body must be a JSON object"));
    }
    if (auto problem = ctx.schemas.check("http/webhook_create_request", body)) {
      return now(errorResponse(400, error_codes::kBadRequest.name, *problem));
    }
    auto project = json::string(body, "projectKey").value_or("");
    if (!ctx.state.project(project)) return now(projectNotFound(project));
    const DecideContext decided = ctx.decideContext();
    store::WebhookRecord hook{"wh_" + randomHex(8),
                              json::string(body, "url").value_or(""),
                              {},
                              json::string(body, "secret").value_or(randomHex(32)),
                              decided.nowMs};
    for (const auto& name : body["events"].GetArray()) hook.events.emplace_back(json::view(name));
    std::sort(hook.events.begin(), hook.events.end());
    hook.events.erase(std::unique(hook.events.begin(), hook.events.end()), hook.events.end());
    return later(webhookAddEvent(project, hook, decided), [project, hook] {
      return successResponse([&](json::Writer& w) {
        json::field(w, "projectKey", project);
        hookFields(w, hook);
        json::field(w, "secret", hook.secret);
      });
    });
  }

  int list() {
    auto project = request.param("projectKey");
    if (project.empty())
      return now(errorResponse(400, error_codes::kBadRequest.name, "query parameter 'projectKey' is required"));
    if (!ctx.state.project(project)) return now(projectNotFound(project));
    return now(successResponse([&](json::Writer& w) {
      json::field(w, "projectKey", project);
      json::key(w, "webhooks");
      w.StartArray();
      for (const auto& hook : ctx.state.webhooks(project)) {
        w.StartObject();
        hookFields(w, hook);
        w.EndObject();
      }
      w.EndArray();
    }));
  }

  int remove() {
    auto project = request.param("projectKey");
    auto id = request.param("id");
    if (project.empty() || id.empty()) {
      return now(
          errorResponse(400, error_codes::kBadRequest.name, "query parameters 'projectKey' and 'id' are required"));
    }
    if (!ctx.state.project(project)) return now(projectNotFound(project));
    auto hooks = ctx.state.webhooks(project);
    if (std::none_of(hooks.begin(), hooks.end(), [&](const store::WebhookRecord& h) { return h.id == id; })) {
      return now(errorResponse(404, error_codes::kWebhookNotFound.name,
                               "no webhook '" + id + "' in project '" + project + "'"));
    }
    return later(webhookRemoveEvent(project, id, ctx.decideContext()),
                 [] { return successResponse([](json::Writer&) {}); });
  }
};

}  // namespace

void addWebhookRoutes(RouteTable& table, GatewayContext& ctx) {
  const auto path = PathPattern::exactly("/webhook");
  table.guard(path, [&ctx](const HttpRequest& request) { return refuseUnlessAdmin(ctx, request); });
  auto route = [&ctx](int (Route::*handler)()) {
    return [&ctx, handler](HttpExchange& exchange) { return (Route{ctx, exchange}.*handler)(); };
  };
  table.add(kPost, path, route(&Route::add));
  table.add(kGet, path, route(&Route::list));
  table.add(kDelete, path, route(&Route::remove));
}

}  // namespace wsd
