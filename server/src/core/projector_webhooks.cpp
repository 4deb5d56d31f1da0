// The projector's webhook handlers: webhook.add and webhook.remove keep the project's
// endpoints (store::WebhookRecord) that the dispatcher (webhook/) reads. Like every
// handler, they read nothing but the event and the store.
#include <algorithm>

#include "core/error_codes.h"
#include "core/json.h"
#include "core/projector.h"

namespace wsd {
namespace {

std::string text(const Event& e, const char* name) { return json::string(e.data, name).value_or(""); }

}  // namespace

void Projector::webhookAdd(const Event& e, Effects& fx) {
  if (!store_.project(e.project)) {
    fx.rejection = makeError(error_codes::kProjectNotFound.name, "no project '" + e.project + "'");
    return;
  }
  store::WebhookRecord hook{
      text(e, "id"), text(e, "url"), {}, text(e, "secret"), json::int64(e.data, "createdAt").value_or(e.ts)};
  if (const auto* events = json::member(e.data, "events"); events != nullptr && events->IsArray()) {
    for (const auto& name : events->GetArray()) {
      if (name.IsString()) hook.events.emplace_back(json::view(name));
    }
  }
  std::sort(hook.events.begin(), hook.events.end());
  hook.events.erase(std::unique(hook.events.begin(), hook.events.end()), hook.events.end());
  store_.putWebhook(e.project, hook);
}

void Projector::webhookRemove(const Event& e, Effects& fx) {
  const auto id = text(e, "id");
  auto hooks = store_.webhooks(e.project);
  if (std::none_of(hooks.begin(), hooks.end(), [&](const store::WebhookRecord& h) { return h.id == id; })) {
    fx.rejection =
        makeError(error_codes::kWebhookNotFound.name, "no webhook '" + id + "' in project '" + e.project + "'");
    return;
  }
  store_.removeWebhook(e.project, id);
}

}  // namespace wsd
