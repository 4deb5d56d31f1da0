// conn.open and conn.close carry exactly what schemas/events/conn.*.json say, in the
// order the log has always held them, and name the session in the envelope.
#include "core/connection_events.h"

#include <gtest/gtest.h>

#include "core/json.h"
#include "event_schema_check.h"

namespace wsd {
namespace {

using ConnectionEvents = test::EventMakerTest;
using test::schemaProblem;

TEST_F(ConnectionEvents, OpenRecordsTransportModeAndToken) {
  auto e = connOpenEvent("acme", "c1", {"sse", "long", "t0k"}, ctx());
  expectEnvelope(*e, EventType::kConnOpen, "acme", "c1");
  EXPECT_EQ(json::stringify(e->data), R"({"transport":"sse","mode":"long","token":"t0k"})");
  EXPECT_EQ(schemaProblem(*e), "");
}

TEST_F(ConnectionEvents, OpenWithATransportTheSchemaDoesNotNameFailsTheSchema) {
  auto e = connOpenEvent("acme", "c1", {"carrier-pigeon", "short", "t0k"}, ctx());
  EXPECT_NE(schemaProblem(*e), "");
}

TEST_F(ConnectionEvents, CloseRecordsCodeAndReason) {
  auto e = connCloseEvent("acme", "c1", 1001, "going away", ctx());
  expectEnvelope(*e, EventType::kConnClose, "acme", "c1");
  EXPECT_EQ(json::stringify(e->data), R"({"code":1001,"reason":"going away"})");
  EXPECT_EQ(schemaProblem(*e), "");
}

}  // namespace
}  // namespace wsd
