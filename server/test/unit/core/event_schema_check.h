// Checks a made event against its shipped schema (schemas/events/<type>.json), for the
// tests of the files that make events: the event as the log would hold it must satisfy
// the schema, and every data field it carries must be one the schema declares, so a field
// renamed on either side fails.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "core/decide.h"
#include "core/event.h"
#include "core/json.h"
#include "core/schema_registry.h"

namespace wsd::test {

inline const SchemaRegistry& shippedSchemas() {
  static auto registry = SchemaRegistry::compile(embeddedSchemas());
  EXPECT_TRUE(registry.ok());
  return **registry;
}

inline std::string schemaNameOf(const Event& event) { return "events/" + std::string(eventTypeName(event.type)); }

// The declared properties of data in the event's schema; null when there is no such file.
inline std::optional<json::Document> declaredData(const Event& event) {
  for (const auto& file : embeddedSchemas()) {
    if (file.name != schemaNameOf(event)) continue;
    json::Document schema;
    EXPECT_TRUE(json::parse(schema, file.text));
    json::Document properties(rapidjson::kObjectType);
    const auto* envelope = json::member(schema, "properties");
    const auto* data = envelope != nullptr ? json::member(*envelope, "data") : nullptr;
    const auto* declared = data != nullptr ? json::member(*data, "properties") : nullptr;
    if (declared != nullptr) properties.CopyFrom(*declared, properties.GetAllocator());
    return properties;
  }
  return std::nullopt;
}

// Empty when the encoded event satisfies its schema and declares every data field it
// carries; otherwise what is wrong.
inline std::string schemaProblem(const Event& event) {
  json::Document encoded;
  if (!json::parse(encoded, event.encode())) return "the event does not encode to JSON";
  if (!shippedSchemas().has(schemaNameOf(event))) return "no schema " + schemaNameOf(event);
  if (auto problem = shippedSchemas().check(schemaNameOf(event), encoded)) return *problem;
  auto declared = declaredData(event);
  if (!declared) return "no schema file " + schemaNameOf(event);
  for (const auto& field : event.data.GetObject()) {
    if (!declared->HasMember(field.name)) return "data." + std::string(json::view(field.name)) + " is not declared";
  }
  return "";
}

// A context deciding at a fixed time on node "n1".
class EventMakerTest : public ::testing::Test {
 protected:
  static constexpr std::int64_t kNow = 1'700'000'000'000;
  IdGenerator ids;
  DecideContext ctx() {
    DecideContext c;
    c.node = "n1";
    c.nowMs = kNow;
    c.ids = &ids;
    return c;
  }
  // Decided now, on n1, by the given connection (empty: none).
  static void expectEnvelope(const Event& e, EventType type, const std::string& project, const std::string& conn) {
    EXPECT_EQ(e.type, type);
    EXPECT_FALSE(e.id.empty());
    EXPECT_EQ(e.ts, kNow);
    EXPECT_EQ(e.project, project);
    EXPECT_EQ(e.node, "n1");
    EXPECT_EQ(e.conn, conn);
  }
};

}  // namespace wsd::test
