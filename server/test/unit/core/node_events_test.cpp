// node.down names the silent gateway in its data, while the envelope names the gateway
// that declared it down.
#include "core/node_events.h"

#include <gtest/gtest.h>

#include "core/json.h"
#include "event_schema_check.h"

namespace wsd {
namespace {

using NodeEvents = test::EventMakerTest;
using test::schemaProblem;

TEST_F(NodeEvents, DownNamesTheSilentGatewayNotTheDecidingOne) {
  auto e = nodeDownEvent("acme", "n2", ctx());
  expectEnvelope(*e, EventType::kNodeDown, "acme", "");
  EXPECT_EQ(json::stringify(e->data), R"({"node":"n2"})");
  EXPECT_EQ(schemaProblem(*e), "");
}

TEST_F(NodeEvents, DownForTheNodeTableHasNoProject) {
  auto e = nodeDownEvent("", "n2", ctx());
  EXPECT_EQ(e->project, "");
  EXPECT_EQ(schemaProblem(*e), "");
}

}  // namespace
}  // namespace wsd
