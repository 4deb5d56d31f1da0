#include "webhook/dispatcher.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "core/json.h"
#include "core/webhook_events.h"
#include "logging/logger.h"
#include "webhook/hook_events.h"

namespace wsd::webhook {
namespace {

std::int64_t nowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string text(const Event& e, const char* name) { return json::string(e.data, name).value_or(""); }

bool chose(const store::WebhookRecord& hook, const std::string& type) {
  return std::binary_search(hook.events.begin(), hook.events.end(), type);
}

}  // namespace

Dispatcher::Dispatcher(std::string node, const store::WebhookStore& webhooks, RetryPolicy policy, Append append)
    : node_(std::move(node)),
      webhooks_(webhooks),
      append_(std::move(append)),
      sender_(policy, [this](const Delivery& d, const Outcome& o) { record(d, o); }) {}

Dispatcher::~Dispatcher() { stop(); }

// ---- following the log ----------------------------------------------------------------------

void Dispatcher::observe(const Event& event, const Effects& effects) {
  switch (event.type) {
    case EventType::kWebhookDelivered:
    case EventType::kWebhookFailed:
      if (!live_) unfinished_.erase(text(event, "delivery"));
      return;
    case EventType::kWebhookRemove:
      if (!live_) {
        const auto hook = text(event, "id");
        std::erase_if(unfinished_, [&](const auto& entry) {
          return entry.second.project == event.project && entry.second.hookId == hook;
        });
      }
      return;
    default: break;
  }
  if (event.project.empty()) return;
  auto hooks = webhooks_.webhooks(event.project);  // O(hooks of the project); usually none
  if (hooks.empty()) return;
  auto occurrences = occurrencesOf(event, effects);
  for (std::size_t i = 0; i < occurrences.size(); ++i) {
    const auto& occurrence = occurrences[i];
    std::string body;
    for (const auto& hook : hooks) {
      if (!chose(hook, occurrence.type)) continue;
      if (body.empty()) body = payload(event, occurrence);
      Delivery d{event.id + "." + std::to_string(i) + "." + hook.id,
                 event.project,
                 hook.id,
                 hook.url,
                 hook.secret,
                 event.id,
                 occurrence.type,
                 body};
      if (live_) {
        sender_.send(std::move(d));
      } else {
        std::string id = d.id;
        unfinished_.insert_or_assign(std::move(id), std::move(d));
      }
    }
  }
}

std::size_t Dispatcher::start() {
  live_ = true;
  const std::size_t resumed = unfinished_.size();
  for (auto& [id, delivery] : unfinished_) sender_.send(std::move(delivery));
  unfinished_.clear();
  sender_.start();
  return resumed;
}

void Dispatcher::stop() { sender_.stop(); }

// ---- recording outcomes (the sender's thread) ---------------------------------------------------

void Dispatcher::record(const Delivery& d, const Outcome& outcome) {
  if (!outcome.delivered) {
    logging::warn("webhooks: " + d.id + " to " + d.url + " failed after " + std::to_string(outcome.attempts) +
                      " attempt(s): " + outcome.error,
                  {{"delivery", d.id}});
  }
  const DeliveryReport report{.delivery = d.id,
                              .hook = d.hookId,
                              .event = d.eventId,
                              .type = d.type,
                              .url = d.url,
                              .delivered = outcome.delivered,
                              .attempts = outcome.attempts,
                              .status = static_cast<std::int64_t>(outcome.status),
                              .error = outcome.error};
  DecideContext ctx;
  ctx.node = node_;
  ctx.nowMs = nowMs();
  ctx.ids = &ids_;
  append_(webhookOutcomeEvent(d.project, report, ctx));
}

}  // namespace wsd::webhook
