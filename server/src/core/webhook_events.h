// Webhooks as events: the admin API's webhook.add and webhook.remove
// (gateway/routes/webhook_routes.cpp), and the dispatcher's record of each delivery,
// webhook.delivered or webhook.failed (webhook/dispatcher.cpp; schemas/events/webhook.*.json).
// Laid out here once, so both sides only say what happened and the layout is tested
// against the schemas without an endpoint.
//
// Every event has an empty `conn` and is decided at ctx.nowMs.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/decide.h"
#include "core/event.h"
#include "store/state_store.h"

namespace wsd {

// `hook.events` sorted and unique; the event carries the secret so a replay restores it.
std::shared_ptr<Event> webhookAddEvent(std::string project, const store::WebhookRecord& hook, const DecideContext& ctx);
std::shared_ptr<Event> webhookRemoveEvent(std::string project, const std::string& hookId, const DecideContext& ctx);

// How one delivery ended, as its record tells it.
struct DeliveryReport {
  std::string_view delivery;  // <event id>.<occurrence index>.<webhook id>, as X-Wsd-Delivery
  std::string_view hook;      // the webhook's id
  std::string_view event;     // the id of the log event delivered
  std::string_view type;      // the hook event name (webhook/hook_events.h)
  std::string_view url;
  bool delivered = false;   // an attempt was answered 2xx: webhook.delivered, else webhook.failed
  int attempts = 0;         // made, the first included
  std::int64_t status = 0;  // the last attempt's HTTP status; 0: no answer
  std::string_view error;   // the last attempt's failure; only webhook.failed records it
};

std::shared_ptr<Event> webhookOutcomeEvent(std::string project, const DeliveryReport& report, const DecideContext& ctx);

}  // namespace wsd
