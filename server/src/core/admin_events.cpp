#include "core/admin_events.h"

namespace wsd {
namespace {

// Copied up to the first NUL (rapidjson's C-string copy), as the admin events have always
// been written: a replayed log and a live one hold the same bytes.
void addText(Event& e, const char* name, const std::string& value) {
  e.data.AddMember(rapidjson::StringRef(name), rapidjson::Value(value.c_str(), e.alloc()), e.alloc());
}

// null when the token never expires
void addExpiry(Event& e, const std::optional<std::int64_t>& expiresAt) {
  rapidjson::Value expiry;
  if (expiresAt) expiry.SetInt64(*expiresAt);
  e.data.AddMember("expiresAt", expiry, e.alloc());
}

std::shared_ptr<Event> projectEvent(EventType type, const std::string& key, const DecideContext& ctx) {
  auto e = newEvent(type, key, "", ctx);
  addText(*e, "key", key);
  return e;
}

}  // namespace

std::shared_ptr<Event> projectCreateEvent(const std::string& key, const std::string& name, const DecideContext& ctx) {
  auto e = projectEvent(EventType::kProjectCreate, key, ctx);
  addText(*e, "name", name);
  return e;
}

std::shared_ptr<Event> projectDeleteEvent(const std::string& key, const DecideContext& ctx) {
  return projectEvent(EventType::kProjectDelete, key, ctx);
}

std::shared_ptr<Event> projectUpdateEvent(const std::string& key, const rapidjson::Value& settings,
                                          const DecideContext& ctx) {
  auto e = projectEvent(EventType::kProjectUpdate, key, ctx);
  e->data.AddMember("settings", rapidjson::Value(settings, e->alloc()), e->alloc());
  return e;
}

std::shared_ptr<Event> projectSecretEvent(const std::string& key, const std::string& secret, std::int64_t graceMs,
                                          const DecideContext& ctx) {
  auto e = newEvent(EventType::kProjectSecret, key, "", ctx);
  addText(*e, "secret", secret);
  e->data.AddMember("previousValidUntil", e->ts + graceMs, e->alloc());
  return e;
}

std::shared_ptr<Event> tokenIssueEvent(const std::string& project, const store::TokenRecord& token,
                                       const DecideContext& ctx) {
  auto e = newEvent(EventType::kTokenIssue, project, "", ctx);
  addText(*e, "token", token.token);
  addExpiry(*e, token.expiresAt);
  e->data.AddMember("createdAt", token.createdAt, e->alloc());
  return e;
}

std::shared_ptr<Event> tokenRevokeEvent(const std::string& project, const std::string& token,
                                        const DecideContext& ctx) {
  auto e = newEvent(EventType::kTokenRevoke, project, "", ctx);
  addText(*e, "token", token);
  return e;
}

std::shared_ptr<Event> tokenUpdateEvent(const std::string& project, const std::string& token,
                                        const std::optional<std::int64_t>& expiresAt, const DecideContext& ctx) {
  auto e = newEvent(EventType::kTokenUpdate, project, "", ctx);
  addText(*e, "token", token);
  addExpiry(*e, expiresAt);
  return e;
}

}  // namespace wsd
