// The webhooks projection: each project's webhook endpoints (webhook/ posts the chosen
// events to them). One of the state store's projections (state_store.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wsd::store {

// A webhook endpoint of a project (webhook/ posts the chosen events to it).
struct WebhookRecord {
  std::string id;                   // "wh_" + hex, unique within the project
  std::string url;                  // http:// or https://
  std::vector<std::string> events;  // hook event names (webhook/hook_events.h), sorted
  std::string secret;               // signs every delivery (X-Wsd-Signature)
  std::int64_t createdAt = 0;
};

class WebhookStore {
 public:
  virtual ~WebhookStore() = default;

  virtual std::vector<WebhookRecord> webhooks(std::string_view project) const = 0;  // sorted by id
  // Adds the webhook, or replaces the one with its id.
  virtual void putWebhook(std::string_view project, const WebhookRecord& hook) = 0;
  virtual void removeWebhook(std::string_view project, std::string_view id) = 0;
};

}  // namespace wsd::store
