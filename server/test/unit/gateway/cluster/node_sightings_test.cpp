// Gateways are heard from by this gateway's clock, whatever time their events carry, and
// forgotten when declared down, as the projector's node table is kept.
#include "gateway/cluster/node_sightings.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "core/ids.h"
#include "core/node_events.h"

namespace wsd {
namespace {

Event nodeEvent(EventType type, const std::string& node, std::int64_t sentAtMs, const std::string& project = "") {
  Event event;
  event.type = type;
  event.node = node;
  event.ts = sentAtMs;
  event.project = project;
  return event;
}

// node.down as a gateway appends it (core/node_events.h).
std::shared_ptr<Event> nodeDown(const std::string& declaredBy, const std::string& downNode,
                                const std::string& project = "") {
  IdGenerator ids;
  return nodeDownEvent(project, downNode, DecideContext{declaredBy, 3'000, 0, 0, &ids});
}

using Heard = std::map<std::string, std::int64_t>;

TEST(NodeSightings, AGatewayIsHeardFromWhenItsEventIsAppliedNotWhenItsClockSaysItWasSent) {
  NodeSightings sightings;
  // node-b's clock runs 30 s behind this gateway's.
  sightings.observe(nodeEvent(EventType::kNodeStart, "node-b", 70'000), 100'000);
  EXPECT_EQ(sightings.lastHeard(), (Heard{{"node-b", 100'000}}));
  sightings.observe(nodeEvent(EventType::kNodeAlive, "node-b", 72'000), 102'000);
  EXPECT_EQ(sightings.lastHeard(), (Heard{{"node-b", 102'000}}));
  // node-c's runs a minute ahead: it is not heard from in the future.
  sightings.observe(nodeEvent(EventType::kNodeAlive, "node-c", 162'000), 102'500);
  EXPECT_EQ(sightings.lastHeard(), (Heard{{"node-b", 102'000}, {"node-c", 102'500}}));
}

TEST(NodeSightings, TheGatewaysKnownAtStartAreHeardFromThenWhateverTimeTheLogGaveThem) {
  NodeSightings sightings;
  sightings.seed({{"node-b", 5'000}, {"node-c", 990'000}}, 500'000);
  EXPECT_EQ(sightings.lastHeard(), (Heard{{"node-b", 500'000}, {"node-c", 500'000}}));
}

TEST(NodeSightings, ADeclaredDownGatewayIsForgottenAndPerProjectEventsChangeNothing) {
  NodeSightings sightings;
  sightings.observe(nodeEvent(EventType::kNodeAlive, "node-b", 1'000), 1'000);
  sightings.observe(nodeEvent(EventType::kNodeAlive, "node-c", 1'000), 1'000);
  // A restart's per-project node.start and the per-project node.down end sessions only.
  sightings.observe(nodeEvent(EventType::kNodeStart, "node-d", 2'000, "shop"), 2'000);
  sightings.observe(*nodeDown("node-c", "node-b", "shop"), 3'000);
  EXPECT_EQ(sightings.lastHeard(), (Heard{{"node-b", 1'000}, {"node-c", 1'000}}));
  sightings.observe(*nodeDown("node-c", "node-b"), 3'000);
  EXPECT_EQ(sightings.lastHeard(), (Heard{{"node-c", 1'000}}));
  // Other events, even from a known gateway, are not what it says about itself.
  sightings.observe(nodeEvent(EventType::kNodeApplied, "node-c", 4'000), 4'000);
  EXPECT_EQ(sightings.lastHeard(), (Heard{{"node-c", 1'000}}));
}

}  // namespace
}  // namespace wsd
