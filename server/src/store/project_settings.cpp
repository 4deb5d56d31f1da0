#include "store/project_settings.h"

#include "core/constant_time.h"

namespace wsd::store {

std::vector<std::string> ProjectSettings::validSecrets(std::int64_t ms) const {
  std::vector<std::string> valid;
  for (const auto& s : secrets) {
    if (!s.validUntil || *s.validUntil > ms) valid.push_back(s.secret);
  }
  return valid;
}

bool ProjectSettings::secretValidAt(std::string_view secret, std::int64_t ms) const {
  bool match = false;
  for (const auto& candidate : validSecrets(ms)) {
    // Every candidate is compared, so the time taken does not say which one matched.
    if (equalInConstantTime(candidate, secret)) match = true;
  }
  return match;
}

namespace {

constexpr std::string_view kAtLeastOnce = "at_least_once";
constexpr std::string_view kAtMostOnce = "at_most_once";

std::vector<std::string> strings(const rapidjson::Value& array) {
  std::vector<std::string> out;
  if (!array.IsArray()) return out;
  for (const auto& item : array.GetArray()) {
    if (item.IsString()) out.emplace_back(json::view(item));
  }
  return out;
}

void writeRules(json::Writer& w, const ProjectSettings& s) {
  json::key(w, "signedBind");
  w.Bool(s.signedBind);
  json::key(w, "allowedOrigins");
  w.StartArray();
  for (const auto& origin : s.allowedOrigins) json::str(w, origin);
  w.EndArray();
  json::field(w, "maxConnections", s.maxConnections);
  json::field(w, "offlineDelivery", s.offlineAtLeastOnce ? kAtLeastOnce : kAtMostOnce);
  json::field(w, "roomHistorySize", s.roomHistorySize);
  json::field(w, "roomHistoryTtl", s.roomHistoryTtl);
}

}  // namespace

void ProjectSettings::apply(const rapidjson::Value& patch) {
  if (const auto* v = json::member(patch, "signedBind"); v != nullptr && v->IsBool()) signedBind = v->GetBool();
  if (const auto* v = json::member(patch, "allowedOrigins")) allowedOrigins = strings(*v);
  if (auto max = json::int64(patch, "maxConnections")) maxConnections = *max;
  if (auto mode = json::string(patch, "offlineDelivery")) offlineAtLeastOnce = *mode == kAtLeastOnce;
  if (auto size = json::int64(patch, "roomHistorySize")) roomHistorySize = *size;
  if (auto ttl = json::int64(patch, "roomHistoryTtl")) roomHistoryTtl = *ttl;
}

void ProjectSettings::writePublic(json::Writer& w, std::int64_t nowMs) const {
  w.StartObject();
  writeRules(w, *this);
  json::key(w, "hasSecret");
  w.Bool(!validSecrets(nowMs).empty());
  w.EndObject();
}

void ProjectSettings::writeStored(json::Writer& w) const {
  w.StartObject();
  writeRules(w, *this);
  json::key(w, "secrets");
  w.StartArray();
  for (const auto& s : secrets) {
    w.StartObject();
    json::field(w, "secret", s.secret);
    json::field(w, "createdAt", s.createdAt);
    if (s.validUntil) json::field(w, "validUntil", *s.validUntil);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

ProjectSettings ProjectSettings::readStored(const rapidjson::Value& stored) {
  ProjectSettings settings;
  settings.apply(stored);
  if (const auto* list = json::member(stored, "secrets"); list != nullptr && list->IsArray()) {
    for (const auto& item : list->GetArray()) {
      settings.secrets.push_back({json::string(item, "secret").value_or(""), json::int64(item, "createdAt").value_or(0),
                                  json::int64(item, "validUntil")});
    }
  }
  return settings;
}

}  // namespace wsd::store
