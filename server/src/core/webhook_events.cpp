#include "core/webhook_events.h"

namespace wsd {
namespace {

// Copied up to the first NUL (rapidjson's C-string copy), as webhook.add and
// webhook.remove have always been written: the url and secret come from a request body.
void addText(Event& e, const char* name, const std::string& value) {
  e.data.AddMember(rapidjson::StringRef(name), rapidjson::Value(value.c_str(), e.alloc()), e.alloc());
}

}  // namespace

std::shared_ptr<Event> webhookAddEvent(std::string project, const store::WebhookRecord& hook,
                                       const DecideContext& ctx) {
  auto e = newEvent(EventType::kWebhookAdd, std::move(project), "", ctx);
  auto& a = e->alloc();
  addText(*e, "id", hook.id);
  addText(*e, "url", hook.url);
  rapidjson::Value events(rapidjson::kArrayType);
  for (const auto& name : hook.events) events.PushBack(rapidjson::Value(name.c_str(), a), a);
  e->data.AddMember("events", events, a);
  addText(*e, "secret", hook.secret);
  e->data.AddMember("createdAt", hook.createdAt, a);
  return e;
}

std::shared_ptr<Event> webhookRemoveEvent(std::string project, const std::string& hookId, const DecideContext& ctx) {
  auto e = newEvent(EventType::kWebhookRemove, std::move(project), "", ctx);
  addText(*e, "id", hookId);
  return e;
}

std::shared_ptr<Event> webhookOutcomeEvent(std::string project, const DeliveryReport& report,
                                           const DecideContext& ctx) {
  auto type = report.delivered ? EventType::kWebhookDelivered : EventType::kWebhookFailed;
  auto e = newEvent(type, std::move(project), "", ctx);
  addString(*e, "delivery", report.delivery);
  addString(*e, "hook", report.hook);
  addString(*e, "event", report.event);
  addString(*e, "type", report.type);
  addString(*e, "url", report.url);
  e->data.AddMember("attempts", report.attempts, e->alloc());
  e->data.AddMember("status", report.status, e->alloc());
  if (!report.delivered) addString(*e, "error", report.error);
  return e;
}

}  // namespace wsd
