#include "gateway/routes/webhook_routes.h"

#include <algorithm>

#include "core/error_codes.h"
#include "core/ids.h"
#include "core/json.h"
#include "core/webhook_events.h"
#include "gateway/routes/admin_routes.h"

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
  HttpExchanges& exchanges;
  lws* wsi;
  HttpState& state;
  const HttpRequest& request;

  int now(const HttpResponse& response) { return writeResponse(wsi, response); }

  // Appends `event`; answers with `answer` once applied, or the rejection.
  int later(std::shared_ptr<Event> event, std::function<HttpResponse()> answer) {
    std::uint64_t id = state.id;
    HttpExchanges& open = exchanges;
    ctx.pipeline.submit(std::move(event), [&open, id, answer = std::move(answer)](const Result<Effects>& result) {
      lws* wsi = open.find(id);
      if (wsi == nullptr) return;  // the client hung up; the change stands
      if (!result.ok())
        return respondLater(wsi, errorResponse(503, error_codes::kLogUnavailable.name, result.error().message));
      if (const auto& rejection = result->rejection) {
        return respondLater(wsi, errorResponse(404, rejection->code, rejection->message));  // *_not_found
      }
      respondLater(wsi, answer());
    });
    return 0;
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

bool isWebhookPath(std::string_view path) { return path == "/webhook"; }

int handleWebhookRequest(GatewayContext& ctx, HttpExchanges& exchanges, lws* wsi, HttpState& state) {
  const HttpRequest& request = state.request;
  Route route{ctx, exchanges, wsi, state, request};
  if (!adminAuthorized(ctx, request)) {
    return route.now(errorResponse(401, error_codes::kUnauthorized.name,
                                   "missing or wrong admin token (Authorization: Bearer ...)"));
  }
  const std::string& m = request.method;
  if (m == "POST") return route.add();
  if (m == "GET") return route.list();
  if (m == "DELETE") return route.remove();
  return route.now(errorResponse(405, error_codes::kMethodNotAllowed.name, m + " is not supported on " + request.path));
}

}  // namespace wsd
